//! `/queries`: the work queue. Filters live in the address bar, so every filtered list (and
//! every page of it) is a link; pages follow the API's cursor to the end, with no row cap.

use crate::tasks::spawn_for_this_run;
use api_types::ProblemCode;
use api_types::{PermissionArea, PermissionLevel, Problem, Query};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::api::{self, Params};
use crate::directory::Directory;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, SuccessBanner, describe, focus_error_summary};
use crate::pages::pagination::Pagination;
use crate::pages::problem::NoAccess;
use crate::pages::queries::bulk::{BulkActions, BulkOutcome};
use crate::pages::queries::filters::FilterPanel;
use crate::pages::queries::queue_filter::{CURSOR, QueueFilter, remember_view};
use crate::pages::queries::queue_table::{Picked, QueueTable, RESULTS_ID};
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::views::ViewLinks;
use crate::pages::queries::words::Statuses;
use crate::session::Session;

const PAGE_SIZE: u32 = 50;
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
    // For example "Query Q-000123 has been deleted", after the delete page; later, the outcome
    // of a bulk change.
    let done = RwSignal::new(session.take_flash());
    let my_id = me.as_ref().map(|me| me.user.id);
    let can_see_customers = me.is_some_and(|me| me.level(PermissionArea::Customers) >= PermissionLevel::Read);

    let params = use_query_map();
    let applied = Memo::new(move |_| params.with(QueueFilter::from_params));
    let cursor = Memo::new(move |_| params.with(|p| p.get(CURSOR)));
    let draft = RwSignal::new(applied.get_untracked());
    let statuses = Statuses::load(session);
    let directory = Directory::load(session);
    let types = QueryTypes::load(session);
    let listing = RwSignal::new(Listing::Loading);
    // Rows chosen for a bulk change; a new page or list starts with none.
    let picked = RwSignal::new(Vec::<Picked>::new());
    // Bumped to load the same page again (after a bulk change).
    let reloads = RwSignal::new(0_u32);
    // Shown beside the list on wide screens; on a phone it would push the list a screen
    // down, so there it starts hidden behind "Show filter", as in MoJ's own filter.
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_none_or(|w| w >= DESKTOP_WIDTH);
    let filter_shown = RwSignal::new(wide);

    // Every change of address (applying filters, removing a tag, the next page, Back) loads
    // the list again and puts the form back in step with what is shown. A newer run of this
    // effect drops the request of the one before (tasks are owned by the run).
    Effect::new(move |previous: Option<(QueueFilter, Option<String>)>| {
        let filter = applied.get();
        let cursor = cursor.get();
        reloads.track();
        if let Some(me) = my_id {
            remember_view(me, &filter);
        }
        draft.set(filter.clone());
        // The same address loaded again (after a bulk change) leaves focus on what says how it went.
        let moved = previous.is_some_and(|shown| shown != (filter.clone(), cursor.clone()));
        let shown = (filter.clone(), cursor.clone());
        spawn_for_this_run(async move {
            let params = Params::limit(PAGE_SIZE).and(filter.api_params()).after(cursor.as_deref());
            match api::queries::list(&params).await {
                Ok(page) => {
                    picked.set(Vec::new());
                    listing.set(Listing::Page { items: page.items, next_cursor: page.next_cursor });
                    // After a new page or new filters, continue reading at the results.
                    if moved {
                        dom::focus_soon(RESULTS_ID);
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    listing.set(Listing::Failed(problem));
                }
            }
        });
        shown
    });

    let on_bulk = Callback::new(move |outcome: BulkOutcome| match outcome {
        BulkOutcome::Done(message) => {
            errors.set(FormErrors::default());
            done.set(Some(message));
            dom::focus_soon(BANNER_ID);
            reloads.update(|n| *n += 1);
        }
        BulkOutcome::Failed(problems) => {
            done.set(None);
            errors.set(problems);
            focus_error_summary();
            reloads.update(|n| *n += 1);
        }
        // Nothing was sent: the list and the officer's selection stay as they are.
        BulkOutcome::Refused(problems) => {
            done.set(None);
            errors.set(problems);
            focus_error_summary();
        }
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
        Listing::Failed(problem) if problem.code == ProblemCode::Forbidden => view! { <NoAccess/> }.into_any(),
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
            let picked = can_log.then_some(picked);
            view! {
                <QueueTable items applied picked can_see_customers directory types/>
                <Pagination next first label="Pages of queries"/>
            }
            .into_any()
        }
    };

    let toggle_label = move || if filter_shown.get() { "Hide filter" } else { "Show filter" };
    view! {
        {move || done.get().map(|message| view! { <SuccessBanner message/> })}
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
                {can_log.then(|| view! { <BulkActions picked directory statuses on_done=on_bulk/> })}
                {results}
            </div>
        </div>
    }
    .into_any()
}
