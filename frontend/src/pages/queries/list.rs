//! `/queries`: the work queue. Filters live in the address bar, so every filtered list (and
//! every page of it) is a link; pages follow the API's cursor to the end, with no row cap.

use std::collections::HashMap;

use api_types::{Customer, PermissionArea, PermissionLevel, Problem, Query, QueryPage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use uuid::Uuid;

use crate::api::{self, code};
use crate::directory::Directory;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SuccessBanner, describe, focus_error_summary};
use crate::pages::pagination::Pagination;
use crate::pages::problem::NoAccess;
use crate::pages::queries::columns;
use crate::pages::queries::filters::FilterPanel;
use crate::pages::queries::queue_filter::{CURSOR, QueueFilter, SORTS};
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::views::ViewLinks;
use crate::pages::queries::words::{StatusBadge, Statuses, channel_name, priority_name};
use crate::session::Session;
use crate::time;

const PAGE_SIZE: u32 = 50;
const RESULTS_ID: &str = "queue-results";
const FILTER_ID: &str = "queue-filter";
/// GOV.UK Frontend's desktop breakpoint, in CSS pixels.
const DESKTOP_WIDTH: f64 = 769.0;

/// What the list area shows.
#[derive(Clone, Debug)]
enum Listing {
    Loading,
    Failed(Problem),
    Page { items: Vec<Query>, next_cursor: Option<String> },
}

#[component]
pub fn WorkQueue() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Queries", errors.with(|e| !e.is_empty())));
    let me = session.me_untracked();
    let level = me.as_ref().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let can_log = level >= PermissionLevel::ReadWrite;
    // For example "Query Q-000123 has been deleted", after the delete page.
    let flash = session.take_flash();
    let can_see_customers = me.is_some_and(|me| me.level(PermissionArea::Customers) >= PermissionLevel::Read);

    let params = use_query_map();
    let applied = Memo::new(move |_| params.with(QueueFilter::from_params));
    let cursor = Memo::new(move |_| params.with(|p| p.get(CURSOR)));
    let draft = RwSignal::new(applied.get_untracked());
    let statuses = Statuses::load(session);
    let directory = Directory::load(session);
    let types = QueryTypes::load(session);
    let listing = RwSignal::new(Listing::Loading);
    let names = RwSignal::new(HashMap::<Uuid, String>::new());
    // Shown beside the list on wide screens; on a phone it would push the list a screen
    // down, so there it starts hidden behind "Show filter", as in MoJ's own filter.
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_none_or(|w| w >= DESKTOP_WIDTH);
    let filter_shown = RwSignal::new(wide);
    // Only the latest request may fill the list: an earlier, slower answer is dropped.
    let generation = StoredValue::new(0_u64);

    // Every change of address (applying filters, removing a tag, the next page, Back) loads
    // the list again and puts the form back in step with what is shown.
    Effect::new(move |previous: Option<()>| {
        let filter = applied.get();
        let cursor = cursor.get();
        draft.set(filter.clone());
        listing.set(Listing::Loading);
        let moved = previous.is_some();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        spawn_local(async move {
            let mut path = format!("/api/v1/queries?limit={PAGE_SIZE}");
            let params = filter.api_params();
            if !params.is_empty() {
                path.push('&');
                path.push_str(&params);
            }
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={}", api::query_value(cursor)));
            }
            let result = api::get::<QueryPage>(&path).await;
            if generation.get_value() != this {
                return;
            }
            match result {
                Ok(page) => {
                    let customer_ids: Vec<Uuid> = page.items.iter().filter_map(|q| q.customer_id).collect();
                    listing.set(Listing::Page { items: page.items, next_cursor: page.next_cursor });
                    // After a new page or new filters, continue reading at the results.
                    if moved {
                        dom::focus_soon(RESULTS_ID);
                    }
                    if can_see_customers {
                        load_names(customer_ids, names).await;
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    listing.set(Listing::Failed(problem));
                }
            }
        });
    });

    let navigate = use_navigate();
    let apply = Callback::new(move |()| {
        let filter = draft.get_untracked();
        let problems = filter.check();
        if !problems.is_empty() {
            errors.set(problems);
            focus_error_summary();
            return;
        }
        errors.set(FormErrors::default());
        navigate(&filter.href(None), NavigateOptions::default());
    });

    let status_list = Signal::derive(move || statuses.0.get().unwrap_or_default());
    let results = move || match listing.get() {
        Listing::Loading => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Listing::Failed(problem) if problem.code == code::FORBIDDEN => view! { <NoAccess/> }.into_any(),
        Listing::Failed(problem) => {
            view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any()
        }
        Listing::Page { items, .. } if items.is_empty() => {
            let text = if applied.with(QueueFilter::is_empty) && cursor.with(Option::is_none) {
                "There are no queries yet."
            } else {
                "No queries match these filters."
            };
            view! { <p class="govuk-body" id=RESULTS_ID tabindex="-1">{text}</p> }.into_any()
        }
        Listing::Page { items, next_cursor } => {
            let next = next_cursor.map(|c| applied.with(|f| f.href(Some(&c))));
            let first = cursor.with(Option::is_some).then(|| applied.with(|f| f.href(None)));
            let order = applied.with(|f| f.sort_text().to_lowercase());
            view! {
                <QueueTable items columns=applied.with(QueueFilter::shown_columns) names=names.into() can_see_customers directory types order/>
                <Pagination next first label="Pages of queries"/>
            }
            .into_any()
        }
    };

    let toggle_label = move || if filter_shown.get() { "Hide filter" } else { "Show filter" };
    view! {
        {flash.map(|message| view! { <SuccessBanner message/> })}
        <ErrorSummary errors=errors.into()/>
        <h1 class="govuk-heading-l">"Queries"</h1>
        <ViewLinks applied/>
        <p class="govuk-body">
            <a class="govuk-link" href=move || format!("/queries/views/new{}", applied.with(|f| f.to_search(None)))>"Save as a view"</a>
            " · "
            <a class="govuk-link" href="/queries/views">"Saved views"</a>
        </p>
        <div class="govuk-button-group">
            {can_log.then(|| view! {
                <a href="/queries/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">
                    "Log a query"
                </a>
            })}
            // Before the panel it controls, so it comes first when tabbing and on a phone.
            <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                aria-controls=FILTER_ID aria-expanded=move || filter_shown.get().to_string()
                on:click=move |_| filter_shown.update(|shown| *shown = !*shown)>
                {toggle_label}
            </button>
        </div>
        <div class="moj-filter-layout app-filter-layout">
            <div class="moj-filter-layout__filter" id=FILTER_ID hidden=move || !filter_shown.get()>
                <FilterPanel applied draft statuses=status_list types directory errors=errors.into() on_apply=apply/>
            </div>
            <div class="moj-filter-layout__content">
                <SortForm applied/>
                {results}
            </div>
        </div>
    }
    .into_any()
}

/// Fetches the names of customers not seen yet, one at a time (a page has at most 50 rows, and
/// the list API does not carry names).
async fn load_names(ids: Vec<Uuid>, names: RwSignal<HashMap<Uuid, String>>) {
    let mut wanted: Vec<Uuid> = ids.into_iter().filter(|id| names.with_untracked(|n| !n.contains_key(id))).collect();
    wanted.sort();
    wanted.dedup();
    for id in wanted {
        if let Ok(customer) = api::get::<Customer>(&format!("/api/v1/customers/{id}")).await {
            names.update(|n| {
                n.insert(id, customer.display_name);
            });
        }
    }
}

#[component]
fn QueueTable(
    items: Vec<Query>,
    columns: Vec<String>,
    names: Signal<HashMap<Uuid, String>>,
    can_see_customers: bool,
    directory: Directory,
    types: QueryTypes,
    order: String,
) -> impl IntoView {
    let count = items.len();
    let headings = columns
        .iter()
        .map(|key| view! { <th scope="col" class="govuk-table__header">{columns::heading(key)}</th> })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|query| {
            let columns = columns.clone();
            view! { <QueueRow query columns names can_see_customers directory types/> }
        })
        .collect_view();
    view! {
        // At 320px the table may be wider than the screen: it scrolls on its own (WCAG 1.4.10
        // allows that for data tables) and the region can be scrolled from the keyboard.
        <div class="app-table-container" role="region" aria-labelledby="queue-caption" tabindex="0" id=RESULTS_ID>
            <table class="govuk-table" id="queries">
                <caption class="govuk-table__caption govuk-table__caption--m" id="queue-caption">"Work queue"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">{headings}</tr>
                </thead>
                <tbody class="govuk-table__body">{rows}</tbody>
            </table>
        </div>
        <p class="govuk-body" aria-live="polite">
            {if count == 1 { format!("Showing 1 query, sorted by {order}") } else { format!("Showing {count} queries, sorted by {order}") }}
        </p>
    }
}

/// One query as a row of the chosen columns; the reference (first) is the row's header.
#[component]
fn QueueRow(
    query: Query,
    columns: Vec<String>,
    names: Signal<HashMap<Uuid, String>>,
    can_see_customers: bool,
    directory: Directory,
    types: QueryTypes,
) -> impl IntoView {
    let cell = move |key: &str| -> AnyView {
        let plain = |text: String| view! { <td class="govuk-table__cell app-wrap-anywhere">{text}</td> }.into_any();
        let when = |at: &chrono::DateTime<chrono::Utc>| {
            let (text, iso) = time::date(at);
            view! { <td class="govuk-table__cell app-nowrap"><time datetime=iso>{text}</time></td> }.into_any()
        };
        match key {
            "reference" => view! {
                <th scope="row" class="govuk-table__header app-nowrap">
                    <a class="govuk-link" href=format!("/queries/{}", query.id)>{query.reference.clone()}</a>
                </th>
            }
            .into_any(),
            "subject" => plain(query.subject.clone()),
            "customer" => {
                let customer = match query.customer_id {
                    None => view! { "Anonymous" }.into_any(),
                    Some(id) if can_see_customers => {
                        let name = move || names.with(|n| n.get(&id).cloned()).unwrap_or_else(|| "Customer".to_owned());
                        view! { <a class="govuk-link app-wrap-anywhere" href=format!("/customers/{id}")>{name}</a> }
                            .into_any()
                    }
                    Some(_) => view! { "Named customer" }.into_any(),
                };
                view! { <td class="govuk-table__cell">{customer}</td> }.into_any()
            }
            "channel" => plain(channel_name(query.channel).to_owned()),
            "status" => {
                let status = query.status.clone();
                view! { <td class="govuk-table__cell"><StatusBadge status/></td> }.into_any()
            }
            "priority" => plain(priority_name(query.priority).to_owned()),
            "type" => {
                let type_id = query.type_id;
                let label = move || type_id.map_or_else(|| "Not set".to_owned(), |id| types.label(id));
                view! { <td class="govuk-table__cell app-wrap-anywhere">{label}</td> }.into_any()
            }
            "assignee" => {
                let (assignee, team) = (query.assignee_id, query.team_id);
                let assigned = move || match (assignee, team) {
                    (None, None) => "Unassigned".to_owned(),
                    (Some(officer), None) => directory.user_name(officer),
                    (None, Some(team)) => directory.team_name(team),
                    (Some(officer), Some(team)) => {
                        format!("{} ({})", directory.user_name(officer), directory.team_name(team))
                    }
                };
                view! { <td class="govuk-table__cell app-wrap-anywhere">{assigned}</td> }.into_any()
            }
            "team" => {
                let team = query.team_id;
                let name = move || team.map_or_else(|| "No team".to_owned(), |t| directory.team_name(t));
                view! { <td class="govuk-table__cell app-wrap-anywhere">{name}</td> }.into_any()
            }
            "received_at" => when(&query.received_at),
            "updated_at" => when(&query.updated_at),
            _ => view! { <td class="govuk-table__cell"></td> }.into_any(),
        }
    };
    let cells = columns.iter().map(|key| cell(key)).collect_view();
    view! { <tr class="govuk-table__row">{cells}</tr> }
}

/// "Sort by": a select and a button (changing the select alone does not reload the list, so
/// keyboard and screen reader users can look through the options first, WCAG 3.2.2).
#[component]
fn SortForm(applied: Memo<QueueFilter>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| chosen.set(applied.with(|f| f.sort.clone())));
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let filter = QueueFilter { sort: chosen.get_untracked(), ..applied.get_untracked() };
        navigate(&filter.href(None), NavigateOptions::default());
    };
    let options = SORTS
        .into_iter()
        .enumerate()
        .map(|(index, (key, text))| {
            // The API's default sort is also the empty value, so a plain link stays plain.
            let value = if index == 0 { String::new() } else { key.to_owned() };
            view! { <option value=value.clone() selected=move || chosen.get() == value>{text}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/queries" novalidate=true on:submit=submit class="app-sort-form">
            <div class="govuk-form-group govuk-!-margin-bottom-2">
                <label class="govuk-label" for="sort">"Sort by"</label>
                <select class="govuk-select" id="sort" name="sort" prop:value=move || chosen.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Sort"</button>
        </form>
    }
}
