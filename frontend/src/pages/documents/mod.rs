//! The documents panel of a query or a customer (FR-012): what is attached, each with its virus
//! check, a preview of PDFs and pictures, download, rename and delete; and attaching more by
//! dragging files onto the panel or choosing them, each with its own progress and outcome.

mod found;
mod item;
mod upload;

use crate::api::{self, documents::Owner};
use crate::session::Session;
use crate::tasks::spawn;
use api_types::{Document, Problem};
use item::DocumentItem;
use leptos::prelude::*;
use upload::Attach;

pub use api::documents::Owner as DocumentOwner;
pub use found::FoundInDocuments;

#[component]
pub fn DocumentsPanel(
    owner: Owner,
    can_upload: bool,
    can_delete: bool,
    /// Told after a document is attached, renamed or deleted (the page's timeline reloads).
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let session = Session::expect();
    let documents = RwSignal::new(None::<Result<Vec<Document>, Problem>>);
    let reload = move || {
        spawn(async move {
            let found = api::documents::list(owner).await.map(|list| list.items);
            if let Err(problem) = &found {
                session.notice(problem);
            }
            documents.set(Some(found));
        });
    };
    reload();
    let on_changed = Callback::new(move |()| {
        reload();
        if let Some(told) = on_change {
            told.run(());
        }
    });
    let listed = move || {
        match documents.get() {
        None => view! { <p class="govuk-body">"Loading documents…"</p> }.into_any(),
        Some(Err(_)) => view! { <p class="govuk-body">"The documents could not be loaded."</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="govuk-body govuk-hint" id="documents-none">"No documents attached"</p> }.into_any()
        }
        Some(Ok(items)) => view! {
            <ul class="govuk-list app-documents" id="documents-list">
                {items.into_iter().map(|document| view! { <DocumentItem document can_upload can_delete on_changed/> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <section class="app-documents-panel" aria-labelledby="documents-heading" id="documents">
            <h2 class="govuk-heading-m" id="documents-heading">"Documents"</h2>
            {listed}
            {can_upload.then(|| view! { <Attach owner on_added=on_changed/> })}
        </section>
    }
}

/// "12 KB", "3.4 MB": a size as people read it.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let bytes = bytes as f64;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < KB * KB {
        format!("{:.0} KB", (bytes / KB).ceil())
    } else {
        format!("{:.1} MB", bytes / (KB * KB))
    }
}

/// What kind of file a content type is, in words.
pub fn kind_text(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "text/plain" => "Text",
        "application/zip" => "Zip file",
        "application/rtf" => "Rich text",
        kind if kind.starts_with("image/") => "Picture",
        kind if kind.contains("wordprocessingml") || kind.contains("opendocument.text") => "Document",
        kind if kind.contains("spreadsheetml") || kind.contains("opendocument.spreadsheet") => "Spreadsheet",
        kind if kind.contains("presentationml") => "Presentation",
        _ => "File",
    }
}
