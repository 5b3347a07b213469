//! `/customers/new`: add a customer, warning first when they may already exist.

use crate::tasks::spawn;
use api_types::{CustomerInput, DuplicateMatch, PermissionArea, PermissionLevel};
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, focus_error_summary};
use crate::pages::customer_form::{CustomerFields, CustomerForm, FIELDS, postcode_of, reason_text};
use crate::pages::problem::NoAccess;
use crate::session::Session;

const WARNING_ID: &str = "duplicate-warning";

#[component]
pub fn NewCustomer() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Add a customer", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Customers));
    if level < PermissionLevel::ReadWrite {
        return view! { <NoAccess/> }.into_any();
    }

    let navigate = use_navigate();
    let fields = CustomerFields::empty();
    let duplicates = RwSignal::new(Vec::<DuplicateMatch>::new());
    let pending = RwSignal::new(false);

    // Fails with the form's errors shown; `Ok` once the customer exists and the page has moved on.
    let fail = move |problem: api_types::Problem| {
        session.notice(&problem);
        duplicates.set(Vec::new());
        errors.set(FormErrors::from_problem(&problem, &FIELDS));
        focus_error_summary();
    };
    let create = move |input: CustomerInput| {
        let navigate = navigate.clone();
        async move {
            match api::customers::create(&input).await {
                Ok(customer) => {
                    session.flash.set(Some(format!("{} has been added", customer.display_name)));
                    navigate(&format!("/customers/{}", customer.id), NavigateOptions::default());
                }
                Err(problem) => fail(problem),
            }
        }
    };

    let check_then_create = {
        let create = create.clone();
        Callback::new(move |()| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            let input = fields.to_input(&CustomerInput::default());
            let create = create.clone();
            spawn(async move {
                match api::customers::duplicate_check(&input).await {
                    Ok(check) if check.items.is_empty() => create(input).await,
                    Ok(check) => {
                        errors.set(FormErrors::default());
                        duplicates.set(check.items);
                        dom::focus_soon(WARNING_ID);
                    }
                    Err(problem) => fail(problem),
                }
                pending.set(false);
            });
        })
    };
    let create_anyway = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let input = fields.to_input(&CustomerInput::default());
        let create = create.clone();
        spawn(async move {
            create(input).await;
            pending.set(false);
        });
    };

    let errors = Signal::from(errors);
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">"Add a customer"</h1>
                {move || (!duplicates.with(Vec::is_empty)).then(|| view! {
                    <DuplicateWarning matches=duplicates.get()/>
                    <div class="govuk-button-group">
                        <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                            on:click=create_anyway.clone()>"Create a new customer anyway"</button>
                    </div>
                })}
                <CustomerForm fields errors on_submit=check_then_create submit_label="Add customer"
                    cancel_href="/customers".to_owned()/>
            </div>
        </div>
    }
    .into_any()
}

/// The customers this one may be, each linked to their page, and why.
#[component]
fn DuplicateWarning(matches: Vec<DuplicateMatch>) -> impl IntoView {
    let items = matches
        .into_iter()
        .map(|m| {
            let customer = m.customer;
            let reasons: Vec<&str> = m.reasons.into_iter().map(reason_text).collect();
            let email = customer.emails.first().cloned();
            let postcode = postcode_of(&customer);
            view! {
                <li>
                    <a class="govuk-notification-banner__link app-wrap-anywhere" href=format!("/customers/{}", customer.id)>
                        {customer.display_name.clone()}
                    </a>
                    <ul class="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
                        {email.map(|email| view! { <li class="app-wrap-anywhere">"Email address: " {email}</li> })}
                        {postcode.map(|postcode| view! { <li>"Postcode: " {postcode}</li> })}
                        <li>"Has " {join_reasons(&reasons)}</li>
                    </ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-notification-banner" role="region" aria-labelledby="duplicate-warning-title"
            id=WARNING_ID tabindex="-1">
            <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="duplicate-warning-title">"Important"</h2>
            </div>
            <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">"This may be a customer who already exists"</p>
                <p class="govuk-body">"Check these customers before you add a new one:"</p>
                <ul class="govuk-list govuk-list--spaced">{items}</ul>
            </div>
        </div>
    }
}

/// "a, b and c".
fn join_reasons(reasons: &[&str]) -> String {
    match reasons {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
