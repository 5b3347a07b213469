//! `/customers/:id/edit`: change a customer's details, unless someone else changed them first.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{Customer, PermissionArea, PermissionLevel};
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, focus_error_summary};
use crate::pages::customer::{load_customer, load_failure};
use crate::pages::customer_form::{CustomerFields, CustomerForm, FIELDS, input_of};
use crate::pages::problem::NoAccess;
use crate::session::Session;

const CHANGED_ELSEWHERE: &str =
    "Someone else has changed this customer since you opened it. Reload the page to see their changes.";

#[component]
pub fn EditCustomer() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Customers));
    if level < PermissionLevel::ReadWrite {
        return view! { <NoAccess/> }.into_any();
    }
    let loaded = load_customer(session);
    let page = move || match loaded.get() {
        None => {
            dom::set_title("Change customer details", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(customer)) => view! { <EditForm customer/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn EditForm(customer: Customer) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Change customer details", errors.with(|e| !e.is_empty())));
    let navigate = use_navigate();
    let stored = input_of(&customer);
    let fields = CustomerFields::from_input(&stored);
    let pending = RwSignal::new(false);
    let (id, version) = (customer.id, customer.version);
    let page = format!("/customers/{id}");

    let save = {
        let page = page.clone();
        Callback::new(move |()| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let input = fields.to_input(&stored);
            let (navigate, page) = (navigate.clone(), page.clone());
            spawn(async move {
                match api::customers::update(id, version, &input).await {
                    Ok(saved) => {
                        session.flash.set(Some(format!("{}’s details have been updated", saved.display_name)));
                        navigate(&page, NavigateOptions::default());
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        let shown = if problem.code == ProblemCode::PreconditionFailed || problem.status == 412 {
                            FormErrors { fields: Vec::new(), general: Some(CHANGED_ELSEWHERE.to_owned()) }
                        } else {
                            FormErrors::from_problem(&problem, &FIELDS)
                        };
                        errors.set(shown);
                        focus_error_summary();
                    }
                }
                pending.set(false);
            });
        })
    };

    let errors = Signal::from(errors);
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <span class="govuk-caption-l app-wrap-anywhere">{customer.display_name.clone()}</span>
                <h1 class="govuk-heading-l">"Change customer details"</h1>
                <CustomerForm fields errors on_submit=save submit_label="Save changes" cancel_href=page/>
            </div>
        </div>
    }
}
