//! "Add a note" (for colleagues) and "Record a contact" (a call, letter, visit or email with
//! the customer: direction, channel, when, and what was said) on the query page.
//!
//! Both forms sit on one page with one error summary, so each form's fields carry its prefix
//! (`note-body`, `contact-body`) and the API's field names are mapped onto them.

use api_types::{ContactDirection, CreateNoteRequest, FieldProblem, Note, NoteKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::forms::{FormErrors, RadioOption, Radios, Select, TextArea, focus_error_summary};
use crate::pages::queries::when::{When, WhenInputs};
use crate::pages::queries::words::{CHANNELS, channel_from_key, channel_key, channel_name};
use crate::session::Session;
use crate::time;

/// The API's field names, in page order.
const API_FIELDS: [&str; 4] = ["direction", "channel", "occurred_at", "body"];

/// An API field error filed under this form's own field id.
fn prefixed(prefix: &str, errors: FormErrors) -> FormErrors {
    let fields =
        errors.fields.into_iter().map(|f| FieldProblem { field: format!("{prefix}-{}", f.field), ..f }).collect();
    FormErrors { fields, general: errors.general }
}

/// One of the two forms. `on_saved` runs after the note is saved (with a sentence for the
/// success banner).
#[component]
pub fn NoteForm(
    query_id: Uuid,
    kind: NoteKind,
    errors: RwSignal<FormErrors>,
    on_saved: Callback<String>,
) -> impl IntoView {
    let session = Session::expect();
    let contact = kind == NoteKind::Contact;
    let prefix = if contact { "contact" } else { "note" };
    let body = RwSignal::new(String::new());
    let direction = RwSignal::new(None::<ContactDirection>);
    let channel = RwSignal::new(String::new());
    let when = When::now();
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut problems: Vec<(&str, String)> = Vec::new();
        let mut occurred_at = None;
        if contact {
            if direction.get_untracked().is_none() {
                problems.push(("contact-direction", "Select who got in touch".to_owned()));
            }
            if channel_from_key(&channel.get_untracked()).is_none() {
                problems.push(("contact-channel", "Select how the contact happened".to_owned()));
            }
            match when.read() {
                Ok(_) if when.untouched() => {}
                Ok(at) => occurred_at = time::from_millis(at.to_millis()),
                Err(message) => problems.push(("contact-occurred_at", message.to_owned())),
            }
        }
        if body.get_untracked().trim().is_empty() {
            let message = if contact { "Enter what was said" } else { "Enter the note" };
            problems.push((if contact { "contact-body" } else { "note-body" }, message.to_owned()));
        }
        if !problems.is_empty() {
            let fields = problems
                .into_iter()
                .map(|(field, message)| FieldProblem { field: field.to_owned(), code: String::new(), message })
                .collect();
            errors.set(FormErrors { fields, general: None });
            focus_error_summary();
            return;
        }
        let request = CreateNoteRequest {
            kind,
            body: body.get_untracked().trim().to_owned(),
            direction: if contact { direction.get_untracked() } else { None },
            channel: if contact { channel_from_key(&channel.get_untracked()) } else { None },
            occurred_at,
        };
        pending.set(true);
        spawn_local(async move {
            match api::post::<_, Note>(&format!("/api/v1/queries/{query_id}/notes"), &request).await {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    body.set(String::new());
                    direction.set(None);
                    channel.set(String::new());
                    on_saved.run(if contact { "Contact recorded".to_owned() } else { "Note added".to_owned() });
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(prefixed(prefix, FormErrors::from_problem(&problem, &API_FIELDS)));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };

    let errors = Signal::from(errors);
    let heading_id = format!("{prefix}-heading");
    let contact_fields = contact.then(|| {
        let directions = vec![
            RadioOption { value: ContactDirection::Inbound, label: "The customer contacted us".to_owned(), hint: None },
            RadioOption { value: ContactDirection::Outbound, label: "We contacted the customer".to_owned(), hint: None },
        ];
        let channels = Signal::derive(|| {
            std::iter::once((String::new(), "Select a channel".to_owned()))
                .chain(CHANNELS.into_iter().map(|c| (channel_key(c).to_owned(), channel_name(c).to_owned())))
                .collect()
        });
        view! {
            <Radios name="contact-direction" legend="Who got in touch?" options=directions value=direction errors/>
            <Select id="contact-channel" label="How?" value=channel options=channels errors label_class="govuk-label--s"/>
            <WhenInputs id="contact-occurred_at" legend="When?" hint="Today or earlier. For example, 27 3 2026 at 14:05"
                when errors/>
        }
    });
    view! {
        <form method="post" novalidate=true on:submit=submit class="govuk-!-margin-bottom-6"
            aria-labelledby=heading_id.clone()>
            <h2 class="govuk-heading-m" id=format!("{prefix}-heading")>{if contact { "Record a contact" } else { "Add a note" }}</h2>
            {contact_fields}
            {if contact {
                view! { <TextArea id="contact-body" label="What was said" value=body errors
                    hint="A summary of the call, letter, visit or email"/> }.into_any()
            } else {
                view! { <TextArea id="note-body" label="Note" value=body errors
                    hint="For colleagues; the customer does not see notes"/> }.into_any()
            }}
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>
                {if contact { "Record contact" } else { "Add note" }}
            </button>
        </form>
    }
}
