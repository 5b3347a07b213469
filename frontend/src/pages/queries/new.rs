//! `/queries/new` (optionally `?customer_id=`): log a query, and a new customer with it if
//! need be, warning first when that customer may already exist.
//!
//! Both creates carry an `Idempotency-Key` made once per submission attempt and kept until the
//! query exists, so a retry after a timeout or a failed second step never makes a second
//! customer or query. Once the customer exists the form is about them (see
//! [`CustomerChoice::settle`]), so a retry after a query error does not touch the customer.

use crate::tasks::spawn;
use api_types::{FieldProblem, PermissionArea, PermissionLevel, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use uuid::Uuid;

use crate::api;
use crate::directory::Directory;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SubmitOrCancel, focus_error_summary};
use crate::pages::problem::NoAccess;
use crate::pages::queries::assign::{AssigneeInputs, unchosen_problems};
use crate::pages::queries::customer_choice::{
    self, CustomerChoice, CustomerInputs, DuplicateChoice, DuplicateWarning, WARNING_ID, Who,
};
use crate::pages::queries::edit::TypeSelect;
use crate::pages::queries::query_form::{self, QueryFields, QueryInputs, Routing};
use crate::pages::queries::types::QueryTypes;
use crate::session::Session;

/// The type and assignment fields, after the customer's.
const ROUTING_FIELDS: [&str; 3] = ["type_id", "assignee_id", "team_id"];

/// Every field on the page, in page order, for the error summary.
fn field_order() -> Vec<&'static str> {
    query_form::FIELDS.iter().chain(customer_choice::FIELDS.iter()).chain(ROUTING_FIELDS.iter()).copied().collect()
}

/// What the type and assignment part of the form holds.
#[derive(Clone, Copy)]
struct RoutingFields {
    type_id: RwSignal<String>,
    officer: RwSignal<Option<Uuid>>,
    officer_text: RwSignal<String>,
    team: RwSignal<Option<Uuid>>,
    team_text: RwSignal<String>,
}

impl RoutingFields {
    fn new() -> Self {
        Self {
            type_id: RwSignal::new(String::new()),
            officer: RwSignal::new(None),
            officer_text: RwSignal::new(String::new()),
            team: RwSignal::new(None),
            team_text: RwSignal::new(String::new()),
        }
    }

    fn check(self) -> Vec<FieldProblem> {
        unchosen_problems((self.officer_text, self.officer), (self.team_text, self.team))
    }

    fn routing(self) -> Routing {
        Routing {
            type_id: Uuid::parse_str(&self.type_id.get_untracked()).ok(),
            assignee_id: self.officer.get_untracked(),
            team_id: self.team.get_untracked(),
        }
    }
}

/// What one press of "Log query" leads to.
enum Next {
    /// Log the query for this customer (or nobody).
    Log(Option<Uuid>),
    /// Check the new customer for duplicates first.
    Check,
    /// Create the new customer, then log the query for them.
    CreateThenLog,
}

#[component]
pub fn NewQuery() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Log a query", errors.with(|e| !e.is_empty())));
    let me = session.me_untracked();
    let level = me.as_ref().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    if level < PermissionLevel::ReadWrite {
        return view! { <NoAccess/> }.into_any();
    }
    let can_add_customers = me.is_some_and(|me| me.level(PermissionArea::Customers) >= PermissionLevel::ReadWrite);

    let preselected =
        use_query_map().with_untracked(|p| p.get("customer_id")).and_then(|raw| Uuid::parse_str(&raw).ok());
    let fields = QueryFields::now();
    let routing = RoutingFields::new();
    let types = QueryTypes::load(session);
    let directory = Directory::load(session);
    let choice = CustomerChoice::new(preselected.is_some());
    if let Some(id) = preselected {
        spawn(async move {
            match api::customers::get(id).await {
                Ok(customer) => choice.known.set(Some(customer)),
                // The link named a customer who cannot be shown: the officer chooses again.
                Err(problem) => {
                    session.notice(&problem);
                    choice.who.set(None);
                }
            }
        });
    }
    let pending = RwSignal::new(false);
    // Made on the first attempt, kept across retries, dropped only when the query exists.
    let key = StoredValue::new(None::<String>);
    let navigate = use_navigate();

    let fail = move |problem: Problem| {
        session.notice(&problem);
        errors.set(FormErrors::from_problem(&problem, &field_order()));
        focus_error_summary();
    };
    let log = move |customer_id: Option<Uuid>, key: String| {
        let navigate = navigate.clone();
        async move {
            let Some(request) = fields.to_request_with(customer_id, routing.routing()) else { return };
            match api::queries::create(&format!("{key}-query"), &request).await {
                Ok(query) => {
                    session.flash.set(Some(format!("Query {} has been logged", query.reference)));
                    navigate(&format!("/queries/{}", query.id), NavigateOptions::default());
                }
                Err(problem) => fail(problem),
            }
        }
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let problems: Vec<FieldProblem> = fields
            .check()
            .into_iter()
            .chain(choice.check())
            .map(|(field, message)| FieldProblem { field: field.to_owned(), code: String::new(), message })
            .chain(routing.check())
            .collect();
        if !problems.is_empty() {
            errors.set(FormErrors { fields: problems, general: None });
            focus_error_summary();
            return;
        }
        let next = match choice.who.get_untracked() {
            Some(Who::Known) => Next::Log(choice.known.get_untracked().map(|c| c.id)),
            Some(Who::Existing) => Next::Log(choice.existing.get_untracked().map(|c| c.id)),
            Some(Who::New) if choice.duplicates_current() => match choice.duplicate_choice.get_untracked() {
                Some(DuplicateChoice::Existing(id)) => Next::Log(Some(id)),
                _ => Next::CreateThenLog,
            },
            Some(Who::New) => Next::Check,
            _ => Next::Log(None),
        };
        let key = key.with_value(Clone::clone).unwrap_or_else(|| {
            let fresh = api::new_idempotency_key();
            key.set_value(Some(fresh.clone()));
            fresh
        });
        pending.set(true);
        let log = log.clone();
        spawn(async move {
            let input = choice.input();
            let next = match next {
                Next::Check => match api::customers::duplicate_check(&input).await {
                    Ok(check) if check.items.is_empty() => Next::CreateThenLog,
                    Ok(check) => {
                        errors.set(FormErrors::default());
                        choice.duplicates.set(check.items);
                        choice.checked.set(Some(input.clone()));
                        choice.duplicate_choice.set(None);
                        dom::focus_soon(WARNING_ID);
                        pending.set(false);
                        return;
                    }
                    Err(problem) => {
                        fail(problem);
                        pending.set(false);
                        return;
                    }
                },
                other => other,
            };
            match next {
                Next::Log(customer_id) => log(customer_id, key).await,
                Next::CreateThenLog => match api::customers::create_once(&format!("{key}-customer"), &input).await {
                    Ok(customer) => {
                        let id = customer.id;
                        choice.settle(customer);
                        log(Some(id), key).await;
                    }
                    Err(problem) => fail(problem),
                },
                Next::Check => {}
            }
            pending.set(false);
        });
    };

    let errors = Signal::from(errors);
    let cancel = preselected.map_or_else(|| "/queries".to_owned(), |id| format!("/customers/{id}"));
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">"Log a query"</h1>
                <form method="post" novalidate=true on:submit=submit>
                    <QueryInputs fields errors/>
                    {if can_add_customers || preselected.is_some() {
                        view! { <CustomerInputs choice errors/> }.into_any()
                    } else {
                        // Without permission to add customers, only anonymous queries can be logged here.
                        choice.who.set(Some(Who::Anonymous));
                        ().into_any()
                    }}
                    {move || choice.duplicates_shown().then(|| view! { <DuplicateWarning choice errors/> })}
                    <TypeSelect types value=routing.type_id current=None errors/>
                    <fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Who will work it? (optional)"</legend>
                        <AssigneeInputs directory officer=routing.officer officer_text=routing.officer_text
                            team=routing.team team_text=routing.team_text errors warning_id="log-warning"/>
                    </fieldset>
                    <SubmitOrCancel label="Log query" pending cancel=cancel.clone()/>
                </form>
            </div>
        </div>
    }
    .into_any()
}
