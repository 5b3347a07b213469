//! `/queries/:id/share` and `/customers/:id/share`: "Share with a colleague" — they get an
//! in-app notification linking to the record, with an optional message.

use crate::tasks::spawn;
use api_types::{FieldProblem, PermissionArea, PermissionLevel, ShareRequest, SharedKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};
use uuid::Uuid;

use crate::api;
use crate::autocomplete::PickFromList;
use crate::directory::Directory;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SubmitOrCancel, TextArea, focus_error_summary};
use crate::pages::history::Record;
use crate::pages::problem::NoAccess;
use crate::session::Session;

const FIELDS: [&str; 2] = ["recipient_id", "message"];

#[component]
pub fn Share(record: Record) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Share with a colleague", errors.with(|e| !e.is_empty())));
    let area = if record == Record::Query { PermissionArea::Queries } else { PermissionArea::Customers };
    if session.me_untracked().map_or(PermissionLevel::None, |me| me.level(area)) < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let raw_id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());
    let Ok(subject_id) = Uuid::parse_str(&raw_id) else {
        return view! { <crate::pages::not_found::NotFound/> }.into_any();
    };
    let (subject_kind, back) = match record {
        Record::Query => (SharedKind::Query, format!("/queries/{subject_id}")),
        Record::Customer => (SharedKind::Customer, format!("/customers/{subject_id}")),
    };
    let directory = Directory::load(session);
    let recipient = RwSignal::new(None::<Uuid>);
    let recipient_text = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    // Anyone but yourself, found by typing (a tenant has dozens of officers).
    let colleagues = Signal::derive(move || {
        let me = directory.my_id();
        directory.officer_suggestions().into_iter().filter(|s| Some(s.id) != me).collect()
    });

    let submit = {
        let back = back.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let Some(recipient_id) = recipient.get_untracked() else {
                let message = if recipient_text.with_untracked(|t| t.trim().is_empty()) {
                    "Select who to share with"
                } else {
                    "Choose the colleague from the list"
                };
                errors.set(FormErrors::field("recipient_id", message));
                focus_error_summary();
                return;
            };
            let text = message.get_untracked().trim().to_owned();
            let request =
                ShareRequest { recipient_id, subject_kind, subject_id, message: (!text.is_empty()).then_some(text) };
            let name = directory.user_name(recipient_id);
            pending.set(true);
            let (navigate, back) = (navigate.clone(), back.clone());
            spawn(async move {
                match api::notifications::share(&request).await {
                    Ok(_) => {
                        session.flash.set(Some(format!("Shared with {name}")));
                        navigate(&back, NavigateOptions::default());
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        let mut shown = FormErrors::from_problem(&problem, &FIELDS);
                        // The API names the recipient "recipient_id" only when it is not a user.
                        if problem.status == 404 {
                            shown = FormErrors {
                                fields: vec![FieldProblem {
                                    field: "recipient_id".to_owned(),
                                    code: String::new(),
                                    message: "Select a colleague who can be found".to_owned(),
                                }],
                                general: None,
                            };
                        }
                        errors.set(shown);
                        focus_error_summary();
                    }
                }
                pending.set(false);
            });
        }
    };
    let errors = Signal::from(errors);
    let noun = if record == Record::Query { "query" } else { "customer" };
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">"Share with a colleague"</h1>
                <p class="govuk-body">{format!("They will get a notification with a link to this {noun}.")}</p>
                <form method="post" novalidate=true on:submit=submit>
                    <PickFromList id="recipient_id" label="Colleague" all=colleagues value=recipient text=recipient_text errors
                        hint="Type a name and choose" label_class="govuk-label--s"/>
                    <TextArea id="message" label="Message (optional)" value=message errors
                        hint="Why you are sharing it, up to 1,000 characters"/>
                    <SubmitOrCancel label="Share" pending cancel=back.clone()/>
                </form>
            </div>
        </div>
    }
    .into_any()
}
