//! The work queue's table: one row per query with the chosen columns, names as the list API
//! gives them (a page is one request), column headers that sort (MoJ's sortable table: each
//! sortable header says its order in `aria-sort` and links to the other order), and a checkbox
//! per row for bulk changes.

use api_types::{DueState, Query};
use leptos::prelude::*;
use uuid::Uuid;

use crate::directory::Directory;
use crate::pages::queries::columns;
use crate::pages::queries::queue_filter::QueueFilter;
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::{StatusBadge, channel_name, priority_name};
use crate::time;

pub const RESULTS_ID: &str = "queue-results";

/// A row chosen for a bulk change, with what the change needs of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    pub id: Uuid,
    pub version: i64,
    pub reference: String,
    pub team_id: Option<Uuid>,
}

impl Picked {
    fn of(query: &Query) -> Self {
        Self { id: query.id, version: query.version, reference: query.reference.clone(), team_id: query.team_id }
    }
}

/// The id of a row's checkbox (an error about that query links to it).
pub fn checkbox_id(id: Uuid) -> String {
    format!("pick-{id}")
}

/// The API's sort key for a column, if the list can be sorted by it.
fn sort_key(column: &str) -> Option<&'static str> {
    match column {
        "reference" => Some("reference"),
        "received_at" => Some("received_at"),
        "updated_at" => Some("updated_at"),
        "due_at" => Some("due_at"),
        _ => None,
    }
}

/// `(key, descending)` of the applied sort (empty: the API's default, oldest received first).
fn current_sort(filter: &QueueFilter) -> (String, bool) {
    let sort = if filter.sort.is_empty() { "received_at" } else { filter.sort.as_str() };
    match sort.strip_prefix('-') {
        Some(key) => (key.to_owned(), true),
        None => (sort.to_owned(), false),
    }
}

#[component]
pub fn QueueTable(
    items: Vec<Query>,
    applied: Memo<QueueFilter>,
    picked: Option<RwSignal<Vec<Picked>>>,
    can_see_customers: bool,
    directory: Directory,
    types: QueryTypes,
) -> impl IntoView {
    let count = items.len();
    let columns = applied.with_untracked(QueueFilter::shown_columns);
    let (sorted_by, descending) = applied.with_untracked(current_sort);
    let all = items.iter().map(Picked::of).collect::<Vec<_>>();
    let select_all = picked.map(|picked| {
        let total = all.len();
        let checked = Memo::new(move |_| total > 0 && picked.with(|p| p.len() == total));
        view! {
            <th scope="col" class="govuk-table__header app-pick-cell">
                <div class="govuk-checkboxes govuk-checkboxes--small">
                    <div class="govuk-checkboxes__item">
                        <input class="govuk-checkboxes__input" type="checkbox" id="pick-all" prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                picked.set(if on { all.clone() } else { Vec::new() });
                            }/>
                        <label class="govuk-label govuk-checkboxes__label" for="pick-all">
                            <span class="govuk-visually-hidden">"Select every query on this page"</span>
                        </label>
                    </div>
                </div>
            </th>
        }
    });
    let headings = columns
        .iter()
        .map(|key| {
            let heading = columns::heading(key);
            let Some(sort) = sort_key(key) else {
                return view! { <th scope="col" class="govuk-table__header">{heading}</th> }.into_any();
            };
            let here = sorted_by == sort;
            let aria_sort = match (here, descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            // Ascending first; the sorted column's link turns it round.
            let next = if here && !descending { format!("-{sort}") } else { sort.to_owned() };
            let href = applied.with_untracked(|f| QueueFilter { sort: next, ..f.clone() }.href(None));
            let arrow = match aria_sort {
                "ascending" => "▲",
                "descending" => "▼",
                _ => "▲▼",
            };
            view! {
                <th scope="col" class="govuk-table__header app-nowrap" aria-sort=aria_sort>
                    <a class="govuk-link app-sort-link" href=href>
                        {heading}<span class="app-sort-link__arrow" aria-hidden="true">{arrow}</span>
                    </a>
                </th>
            }
            .into_any()
        })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|query| {
            let columns = columns.clone();
            view! { <QueueRow query columns picked can_see_customers directory types/> }
        })
        .collect_view();
    let order = applied.with_untracked(|f| f.sort_text().to_lowercase());
    view! {
        // Fits its space at desktop widths (cells wrap between words); on a phone it scrolls on
        // its own (WCAG 1.4.10 allows that for data tables) and can be scrolled from the keyboard.
        <div class="app-table-container" role="region" aria-labelledby="queue-caption" tabindex="0" id=RESULTS_ID>
            <table class="govuk-table app-queue-table" id="queries">
                <caption class="govuk-table__caption govuk-table__caption--m" id="queue-caption">"Work queue"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">{select_all}{headings}</tr>
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
    picked: Option<RwSignal<Vec<Picked>>>,
    can_see_customers: bool,
    directory: Directory,
    types: QueryTypes,
) -> impl IntoView {
    let pick = picked.map(|picked| {
        let this = Picked::of(&query);
        let id = this.id;
        let checked = Memo::new(move |_| picked.with(|p| p.iter().any(|q| q.id == id)));
        let reference = query.reference.clone();
        view! {
            <td class="govuk-table__cell app-pick-cell">
                <div class="govuk-checkboxes govuk-checkboxes--small">
                    <div class="govuk-checkboxes__item">
                        <input class="govuk-checkboxes__input" type="checkbox" id=checkbox_id(id) prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let this = this.clone();
                                picked.update(|p| {
                                    p.retain(|q| q.id != id);
                                    if on {
                                        p.push(this);
                                    }
                                });
                            }/>
                        <label class="govuk-label govuk-checkboxes__label" for=checkbox_id(id)>
                            <span class="govuk-visually-hidden">"Select "{reference}</span>
                        </label>
                    </div>
                </div>
            </td>
        }
    });
    let cell = move |key: &str| -> AnyView {
        let plain = |text: String| view! { <td class="govuk-table__cell">{text}</td> }.into_any();
        let when = |at: &chrono::DateTime<chrono::Utc>| {
            let (text, iso) = time::date(at);
            view! { <td class="govuk-table__cell"><time datetime=iso>{text}</time></td> }.into_any()
        };
        match key {
            "reference" => view! {
                <th scope="row" class="govuk-table__header app-nowrap">
                    <a class="govuk-link" href=format!("/queries/{}", query.id) data-row-link="">{query.reference.clone()}</a>
                </th>
            }
            .into_any(),
            "subject" => plain(query.subject.clone()),
            "customer" => {
                let customer = match (query.customer_id, &query.customer_name) {
                    (None, _) => view! { "Anonymous" }.into_any(),
                    (Some(id), Some(name)) if can_see_customers => {
                        view! { <a class="govuk-link" href=format!("/customers/{id}")>{name.clone()}</a> }.into_any()
                    }
                    (Some(_), _) => view! { "Named customer" }.into_any(),
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
                view! { <td class="govuk-table__cell">{label}</td> }.into_any()
            }
            "assignee" => plain(assigned_to(&query, directory)),
            "team" => plain(query.team_name.clone().unwrap_or_else(|| "No team".to_owned())),
            "received_at" => when(&query.received_at),
            "updated_at" => when(&query.updated_at),
            "due_at" => view! { <td class="govuk-table__cell"><DueCell due_at=query.due_at due_state=query.due_state/></td> }.into_any(),
            _ => view! { <td class="govuk-table__cell"></td> }.into_any(),
        }
    };
    let cells = columns.iter().map(|key| cell(key)).collect_view();
    view! { <tr class="govuk-table__row">{pick}{cells}</tr> }
}

/// "Olive Officer (you)", "Planning", "Olive Officer (Planning)" or "Unassigned".
fn assigned_to(query: &Query, directory: Directory) -> String {
    let officer = query.assignee_id.map(|id| {
        let name = query.assignee_name.clone().unwrap_or_else(|| "Another officer".to_owned());
        if directory.my_id() == Some(id) { format!("{name} (you)") } else { name }
    });
    let team = query.team_id.map(|_| query.team_name.clone().unwrap_or_else(|| "Unknown team".to_owned()));
    match (officer, team) {
        (None, None) => "Unassigned".to_owned(),
        (Some(officer), None) => officer,
        (None, Some(team)) => team,
        (Some(officer), Some(team)) => format!("{officer} ({team})"),
    }
}

/// When the query is due and, in words and colour (GOV.UK tags: text, never colour alone),
/// whether it is due soon, overdue or was breached.
#[component]
fn DueCell(due_at: Option<chrono::DateTime<chrono::Utc>>, due_state: Option<DueState>) -> impl IntoView {
    let tag = due_state.and_then(|state| match state {
        DueState::OnTime => None,
        DueState::DueSoon => Some(("govuk-tag govuk-tag--yellow", "Due soon")),
        DueState::Overdue => Some(("govuk-tag govuk-tag--red", "Overdue")),
        DueState::Breached => Some(("govuk-tag govuk-tag--orange", "Breached")),
    });
    let due = due_at.map(|at| {
        let (text, iso) = time::date_time(&at);
        view! { <time datetime=iso>{text}</time> }
    });
    view! {
        {due}
        {tag.map(|(class, text)| view! { <br/><strong class=format!("{class} app-due-tag")>{text}</strong> })}
    }
}
