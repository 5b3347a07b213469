//! `/customers/:id/merge`: "Merge into another customer", for administrators. The officer
//! finds the customer who lives on (the survivor), reads what will happen, and confirms. This
//! record's queries, notes and history move to the survivor, and links to this record lead
//! there from then on. Saved with `If-Match` on this record.

use crate::tasks::spawn;
use api_types::{Customer, MergeRequest, PermissionArea, PermissionLevel};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SubmitOrCancel, focus_error_summary, write_errors};
use crate::pages::customer::{load_customer, load_failure};
use crate::pages::customer_search::CustomerSearch;
use crate::pages::problem::NoAccess;
use crate::session::Session;

const FIELD: &str = "survivor_id";

#[component]
pub fn MergeCustomer() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Customers));
    if level < PermissionLevel::Full {
        return view! { <NoAccess/> }.into_any();
    }
    let loaded = load_customer(session);
    let page = move || match loaded.get() {
        None => {
            dom::set_title("Merge into another customer", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(customer)) => view! { <MergeForm customer/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn MergeForm(customer: Customer) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Merge into another customer", errors.with(|e| !e.is_empty())));
    let survivor = RwSignal::new(None::<Customer>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let (id, version, name) = (customer.id, customer.version, customer.display_name.clone());

    let submit = {
        let name = name.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let Some(chosen) = survivor.get_untracked() else {
                errors.set(FormErrors::field(FIELD, "Select the customer to merge this record into"));
                focus_error_summary();
                return;
            };
            pending.set(true);
            let (navigate, name) = (navigate.clone(), name.clone());
            spawn(async move {
                let request = MergeRequest { survivor_id: chosen.id };
                match api::customers::merge(id, version, &request).await {
                    Ok(result) => {
                        let moved = match result.moved_queries {
                            1 => "1 query moved".to_owned(),
                            n => format!("{n} queries moved"),
                        };
                        session.flash.set(Some(format!(
                            "{name} has been merged into {} ({moved})",
                            result.survivor.display_name
                        )));
                        navigate(&format!("/customers/{}", result.survivor.id), NavigateOptions::default());
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        errors.set(write_errors(&problem, &[FIELD], "customer"));
                        focus_error_summary();
                    }
                }
                pending.set(false);
            });
        }
    };
    let errors = Signal::from(errors);
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <span class="govuk-caption-l app-wrap-anywhere">{name.clone()}</span>
                <h1 class="govuk-heading-l">"Merge into another customer"</h1>
                <p class="govuk-body">"Use this when the same person has two records. Find the record to keep."</p>
                <form method="post" novalidate=true on:submit=submit>
                    <CustomerSearch field=FIELD legend="Which customer should this record be merged into?"
                        chosen=survivor errors exclude=Some(id)/>
                    <div class="govuk-warning-text">
                        <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                        <strong class="govuk-warning-text__text">
                            <span class="govuk-visually-hidden">"Warning"</span>
                            {format!(
                                "{name}’s queries, notes and history will move to the customer you choose. \
                                 Links to this record will lead to that customer. This cannot be undone here."
                            )}
                        </strong>
                    </div>
                    <SubmitOrCancel label="Merge customers" pending cancel=format!("/customers/{id}") warning=true/>
                </form>
            </div>
        </div>
    }
}
