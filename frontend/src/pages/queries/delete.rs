//! `/queries/:id/delete`: "Delete query", for those with full access to queries. A
//! confirmation page (GOV.UK warning text), then back to the work queue with a banner.

use crate::tasks::spawn;
use api_types::{PermissionArea, PermissionLevel, Query};
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SubmitOrCancel, focus_error_summary, write_errors};
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::pages::queries::edit::load_query;
use crate::session::Session;

#[component]
pub fn DeleteQuery() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    if level < PermissionLevel::Full {
        return view! { <NoAccess/> }.into_any();
    }
    let loaded = load_query(session);
    let page = move || match loaded.get() {
        None => {
            dom::set_title("Delete query", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(query)) => view! { <Confirm query/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn Confirm(query: Query) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let title = format!("Are you sure you want to delete {}?", query.reference);
    {
        let title = title.clone();
        Effect::new(move |_| dom::set_title(&title, errors.with(|e| !e.is_empty())));
    }
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let (id, version, reference) = (query.id, query.version, query.reference.clone());
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let (navigate, reference) = (navigate.clone(), reference.clone());
        spawn(async move {
            match api::queries::delete(id, version).await {
                Ok(()) => {
                    session.flash.set(Some(format!("Query {reference} has been deleted")));
                    navigate("/queries", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &[], "query"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors.into()/>
                <span class="govuk-caption-l app-wrap-anywhere">{query.reference.clone()}": "{query.subject.clone()}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                <div class="govuk-warning-text">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        "The query will no longer be listed or open from links. Its audit trail is kept."
                    </strong>
                </div>
                <form method="post" novalidate=true on:submit=delete>
                    <SubmitOrCancel label="Delete query" pending cancel=format!("/queries/{id}") warning=true/>
                </form>
            </div>
        </div>
    }
}
