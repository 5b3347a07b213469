//! The search page's "In documents" list: letters and other attachments whose text holds every
//! word searched for, each linking to the query or customer it belongs to. Their text is read
//! in the background after upload, so the list says a new document may take a minute.

use crate::api::{self, Params};
use crate::forms::describe;
use crate::session::Session;
use crate::tasks::spawn_for_this_run;
use api_types::DocumentMatch;
use leptos::prelude::*;

/// How many documents the list shows.
const SHOWN: u32 = 10;

fn owner_link(found: &DocumentMatch) -> (String, String) {
    let document = &found.document;
    match (document.query_id, document.customer_id, &found.query_reference) {
        (Some(query), _, Some(reference)) => {
            (format!("/queries/{query}"), format!("{reference} {}", found.owner_title))
        }
        (_, Some(customer), _) => (format!("/customers/{customer}"), found.owner_title.clone()),
        (Some(query), _, None) => (format!("/queries/{query}"), found.owner_title.clone()),
        (None, None, _) => (String::new(), found.owner_title.clone()),
    }
}

/// Documents matching `text` (reloaded whenever it changes).
#[component]
pub fn FoundInDocuments(text: Memo<String>) -> impl IntoView {
    let session = Session::expect();
    let found = RwSignal::new(None::<Result<Vec<DocumentMatch>, String>>);
    Effect::new(move |_| {
        let q = text.get();
        found.set(None);
        if q.is_empty() {
            found.set(Some(Ok(Vec::new())));
            return;
        }
        spawn_for_this_run(async move {
            match api::documents::search(&Params::limit(SHOWN).with("q", &q)).await {
                Ok(list) => found.set(Some(Ok(list.items))),
                Err(problem) => {
                    session.notice(&problem);
                    found.set(Some(Err(describe(&problem))));
                }
            }
        });
    });
    move || match found.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => view! {
            <p class="govuk-body" id="document-results">
                "No documents match. A document’s text can be searched a minute or so after it is attached."
            </p>
        }
        .into_any(),
        Some(Ok(items)) => {
            let rows = items
                .iter()
                .map(|found| {
                    let (href, owner) = owner_link(found);
                    view! {
                        <li>
                            <a class="govuk-link" href=href data-row-link="">{found.document.name.clone()}</a>
                            <span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{owner}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="govuk-list govuk-list--spaced" id="document-results">{rows}</ul> }.into_any()
        }
    }
}
