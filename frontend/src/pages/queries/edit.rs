//! `/queries/:id/edit`: "Change details" — correct a query's customer, channel, date received,
//! priority, subject, description and type. Saved with `If-Match`; every change is kept in the
//! query's history (field by field) and on its timeline.

use crate::tasks::spawn;
use api_types::{PermissionArea, PermissionLevel, Problem, Query};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, FormGroup, SubmitOrCancel, focus_error_summary, write_errors};
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::pages::queries::change_customer::{self, CustomerChange, CustomerChangeInputs};
use crate::pages::queries::query_form::{self, QueryFields, QueryInputs};
use crate::pages::queries::types::QueryTypes;
use crate::session::Session;

/// Loads the query named by the `:id` in the address.
pub fn load_query(session: Session) -> RwSignal<Option<Result<Query, Problem>>> {
    let loaded = RwSignal::new(None);
    let id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());
    spawn(async move {
        let result = api::queries::get(&id).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    loaded
}

#[component]
pub fn EditQuery() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    if level < PermissionLevel::ReadWrite {
        return view! { <NoAccess/> }.into_any();
    }
    let loaded = load_query(session);
    let types = QueryTypes::load(session);
    let page = move || match loaded.get() {
        None => {
            dom::set_title("Change details", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(query)) => view! { <EditForm query types/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn EditForm(query: Query, types: QueryTypes) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let title = format!("Change details of {}", query.reference);
    {
        let title = title.clone();
        Effect::new(move |_| dom::set_title(&title, errors.with(|e| !e.is_empty())));
    }
    let fields = QueryFields::from_query(&query);
    let customer = CustomerChange::new(query.customer_id);
    let type_id = RwSignal::new(query.type_id.map(|id| id.to_string()).unwrap_or_default());
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let (id, version, current_type) = (query.id, query.version, query.type_id);
    let back = format!("/queries/{id}");

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let problems = fields.check();
        if !problems.is_empty() {
            let fields = problems
                .into_iter()
                .map(|(field, message)| api_types::FieldProblem {
                    field: field.to_owned(),
                    code: String::new(),
                    message,
                })
                .collect();
            errors.set(FormErrors { fields, general: None });
            focus_error_summary();
            return;
        }
        let customer_id = match customer.customer_id() {
            Ok(id) => id,
            Err(problem) => {
                errors.set(problem);
                focus_error_summary();
                return;
            }
        };
        let Some(request) = fields.to_update(customer_id, Uuid::parse_str(&type_id.get_untracked()).ok()) else {
            return;
        };
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            match api::queries::update(id, version, &request).await {
                Ok(saved) => {
                    session.flash.set(Some(format!("The details of {} have been changed", saved.reference)));
                    navigate(&format!("/queries/{id}"), NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    let order: Vec<&str> = [change_customer::FIELD, "customer_id"]
                        .into_iter()
                        .chain(query_form::FIELDS)
                        .chain(["type_id"])
                        .collect();
                    errors.set(write_errors(&problem, &order, "query"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let errors = Signal::from(errors);
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <span class="govuk-caption-l">{query.reference.clone()}</span>
                <h1 class="govuk-heading-l">"Change details"</h1>
                <form method="post" novalidate=true on:submit=submit>
                    <CustomerChangeInputs change=customer errors/>
                    <QueryInputs fields errors/>
                    <TypeSelect types value=type_id current=current_type errors/>
                    <SubmitOrCancel label="Save changes" pending cancel=back.clone()/>
                </form>
            </div>
        </div>
    }
}

/// The type: active types, each with its active sub-types grouped under it (`<optgroup>`,
/// which screen readers announce). A retired type the query already has stays selectable.
#[component]
pub fn TypeSelect(
    types: QueryTypes,
    value: RwSignal<String>,
    current: Option<Uuid>,
    errors: Signal<FormErrors>,
) -> impl IntoView {
    const ID: &str = "type_id";
    let error = Memo::new(move |_| errors.with(|e| e.message(ID)));
    let groups = move || {
        let chosen = value.get();
        let option = move |id: Uuid, text: String| {
            let key = id.to_string();
            let selected = key == chosen;
            view! { <option value=key selected=selected>{text}</option> }
        };
        types
            .tree()
            .into_iter()
            .filter(|(parent, _)| parent.active || Some(parent.id) == current)
            .map(|(parent, children)| {
                let kids = children
                    .into_iter()
                    .filter(|c| c.active || Some(c.id) == current)
                    .map(|c| option(c.id, c.name))
                    .collect_view();
                view! {
                    <optgroup label=parent.name.clone()>
                        {option(parent.id, format!("{} (general)", parent.name))}
                        {kids}
                    </optgroup>
                }
            })
            .collect_view()
    };
    view! {
        <FormGroup error=error>
            <label class="govuk-label govuk-label--m" for=ID>"Type (optional)"</label>
            <div class="govuk-hint" id="type_id-hint">"What the query is about, for reports"</div>
            {move || error.get().map(|message| view! { <crate::forms::ErrorMessage id="type_id-error".to_owned() message/> })}
            <select class="govuk-select" id=ID name=ID
                aria-describedby=move || if error.with(Option::is_some) { "type_id-hint type_id-error" } else { "type_id-hint" }
                prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.with(String::is_empty)>"Not set"</option>
                {groups}
            </select>
        </FormGroup>
    }
}
