//! The query page's composer: one form for a note for colleagues or a record of a contact with
//! the customer (a call, letter, visit or email: direction, channel, when, and what was said).
//!
//! Saving keeps the officer where they were: the page does not jump to a banner; focus returns to
//! the text box and the outcome is announced in the composer's own status line.

use crate::tasks::spawn;
use api_types::{ContactDirection, CreateNoteRequest, FieldProblem, NoteKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{FormErrors, RadioOption, Radios, Select, TextArea, focus_error_summary};
use crate::pages::queries::when::{When, WhenInputs};
use crate::pages::queries::words::{CHANNELS, channel_from_key, channel_key, channel_name};
use crate::session::Session;
use crate::time;

/// The text box's id (focus returns here after a save).
pub const COMPOSER_BODY_ID: &str = "composer-body";

/// The API's field names, in page order, and the ids of the fields that show them.
const FIELD_IDS: [(&str, &str); 4] = [
    ("direction", "contact-direction"),
    ("channel", "contact-channel"),
    ("occurred_at", "contact-occurred_at"),
    ("body", COMPOSER_BODY_ID),
];

/// An API problem with each field error filed under the composer's id for that field.
fn field_errors(problem: &api_types::Problem) -> FormErrors {
    let errors = FormErrors::from_problem(problem, &FIELD_IDS.map(|(api, _)| api));
    let fields = errors
        .fields
        .into_iter()
        .map(|f| {
            let id =
                FIELD_IDS.iter().find(|(api, _)| *api == f.field).map_or(f.field.clone(), |(_, id)| (*id).to_owned());
            FieldProblem { field: id, ..f }
        })
        .collect();
    FormErrors { fields, general: errors.general }
}

/// The composer. `on_saved` runs after a save (the page reloads its timeline).
#[component]
pub fn Composer(query_id: Uuid, errors: RwSignal<FormErrors>, on_saved: Callback<()>) -> impl IntoView {
    let session = Session::expect();
    let kind = RwSignal::new(Some(NoteKind::Note));
    let contact = Memo::new(move |_| kind.get() == Some(NoteKind::Contact));
    let body = RwSignal::new(String::new());
    let direction = RwSignal::new(None::<ContactDirection>);
    let channel = RwSignal::new(String::new());
    let when = When::now();
    let pending = RwSignal::new(false);
    let status = RwSignal::new(String::new());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let contact = contact.get_untracked();
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
            problems.push((COMPOSER_BODY_ID, message.to_owned()));
        }
        status.set(String::new());
        if !problems.is_empty() {
            errors.set(FormErrors::fields(problems));
            focus_error_summary();
            return;
        }
        let request = CreateNoteRequest {
            kind: if contact { NoteKind::Contact } else { NoteKind::Note },
            body: body.get_untracked().trim().to_owned(),
            direction: if contact { direction.get_untracked() } else { None },
            channel: if contact { channel_from_key(&channel.get_untracked()) } else { None },
            occurred_at,
        };
        pending.set(true);
        spawn(async move {
            match api::queries::add_note(query_id, &request).await {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    body.set(String::new());
                    direction.set(None);
                    channel.set(String::new());
                    status.set(if contact { "Contact recorded".to_owned() } else { "Note added".to_owned() });
                    dom::focus_soon(COMPOSER_BODY_ID);
                    on_saved.run(());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(field_errors(&problem));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };

    let errors = Signal::from(errors);
    let kinds = vec![
        RadioOption { value: NoteKind::Note, label: "A note for colleagues".to_owned(), hint: None },
        RadioOption { value: NoteKind::Contact, label: "A contact with the customer".to_owned(), hint: None },
    ];
    let contact_fields = move || {
        contact.get().then(|| {
            let directions = vec![
                RadioOption {
                    value: ContactDirection::Inbound,
                    label: "The customer contacted us".to_owned(),
                    hint: None,
                },
                RadioOption {
                    value: ContactDirection::Outbound,
                    label: "We contacted the customer".to_owned(),
                    hint: None,
                },
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
        })
    };
    let text_box = move || {
        if contact.get() {
            view! { <TextArea id=COMPOSER_BODY_ID label="What was said" value=body errors
            hint="A summary of the call, letter, visit or email"/> }
            .into_any()
        } else {
            view! { <TextArea id=COMPOSER_BODY_ID label="Note" value=body errors
            hint="For colleagues; the customer does not see notes"/> }
            .into_any()
        }
    };
    view! {
        <form method="post" novalidate=true on:submit=submit class="app-composer govuk-!-margin-bottom-6" id="composer"
            aria-labelledby="composer-heading">
            <h2 class="govuk-heading-m" id="composer-heading">"Add to the record"</h2>
            <Radios name="composer-kind" legend="What are you adding?" options=kinds value=kind errors inline=true/>
            {contact_fields}
            {text_box}
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || if contact.get() { "Record contact" } else { "Add note" }}
                </button>
                <p class="govuk-body govuk-!-margin-bottom-0" role="status" id="composer-status">{move || status.get()}</p>
            </div>
        </form>
    }
}
