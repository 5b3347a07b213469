//! One attached document: its name (a download link), what it is, its virus check, and the
//! preview, rename and delete it offers.

use super::{kind_text, size_text};
use crate::api;
use crate::forms::{ErrorMessage, describe};
use crate::session::Session;
use crate::tasks::spawn;
use crate::time;
use api_types::{Document, Problem, ScanStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::pin::Pin;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Preview,
    Rename,
    Delete,
}

#[component]
pub fn DocumentItem(document: Document, can_upload: bool, can_delete: bool, on_changed: Callback<()>) -> impl IntoView {
    let session = Session::expect();
    let open = RwSignal::new(Open::Nothing);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let name = RwSignal::new(document.name.clone());
    let reason = RwSignal::new(String::new());
    let (id, version) = (document.id, document.version);
    let quarantined = document.scan_status == ScanStatus::Quarantined;
    let (added, added_iso) = time::date(&document.created_at);
    let toggle = move |which: Open| {
        error.set(None);
        open.update(|now| *now = if *now == which { Open::Nothing } else { which });
    };

    // Renaming and deleting share one flow: one request at a time, the list reloaded after,
    // the reason shown beside the form when refused.
    let act = move |work: Pin<Box<dyn Future<Output = Result<(), Problem>>>>| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn(async move {
            match work.await {
                Ok(()) => on_changed.run(()),
                Err(problem) => {
                    session.notice(&problem);
                    let message =
                        problem.errors.first().map(|e| e.message.clone()).unwrap_or_else(|| describe(&problem));
                    error.set(Some(message));
                }
            }
            pending.set(false);
        });
    };
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        act(Box::pin(async move { api::documents::rename(id, version, name.get_untracked()).await.map(drop) }));
    };
    let delete = move |ev: SubmitEvent| {
        ev.prevent_default();
        act(Box::pin(api::documents::delete(id, version, reason.get_untracked())));
    };

    let title = document.name.clone();
    let link = if quarantined {
        view! { <span class="govuk-body govuk-!-font-weight-bold app-wrap-anywhere">{title.clone()}</span> }.into_any()
    } else {
        view! {
            <a class="govuk-link govuk-!-font-weight-bold app-wrap-anywhere" href=api::documents::content_url(id, false) download=title.clone()>
                {title.clone()}<span class="govuk-visually-hidden">" (download)"</span>
            </a>
        }
        .into_any()
    };
    let check = if quarantined {
        let signature = document.signature.clone().unwrap_or_default();
        view! { <strong class="govuk-tag govuk-tag--red">"Quarantined"</strong>" "<span class="govuk-body-s">"Virus found: "{signature}</span> }.into_any()
    } else {
        view! { <strong class="govuk-tag govuk-tag--green">"Virus checked"</strong> }.into_any()
    };
    let preview_name = title.clone();
    let content_type = document.content_type.clone();
    let preview = move || {
        (open.get() == Open::Preview).then(|| {
            let source = api::documents::content_url(id, true);
            let label = format!("Preview of {preview_name}");
            if content_type == "application/pdf" {
                view! { <iframe class="app-document-preview" src=source title=label></iframe> }.into_any()
            } else {
                view! { <img class="app-document-preview app-document-preview--picture" src=source alt=label/> }
                    .into_any()
            }
        })
    };
    let name_id = format!("document-name-{id}");
    let reason_id = format!("document-reason-{id}");
    let error_id = format!("document-error-{id}");
    let forms = move || {
        let (name_id, reason_id, error_id) = (name_id.clone(), reason_id.clone(), error_id.clone());
        let shown_error = move || error.get().map(|message| view! { <ErrorMessage id=error_id.clone() message/> });
        match open.get() {
        Open::Rename => Some(view! {
            <form class="app-document-form" novalidate=true on:submit=rename>
                <div class="govuk-form-group">
                    <label class="govuk-label" for=name_id.clone()>"New name"</label>
                    {shown_error.clone()}
                    <input class="govuk-input" id=name_id.clone() type="text" spellcheck="false"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    aria-disabled=move || pending.get().then_some("true")>"Save name"</button>
            </form>
        }
        .into_any()),
        Open::Delete => Some(view! {
            <form class="app-document-form" novalidate=true on:submit=delete>
                <div class="govuk-form-group">
                    <label class="govuk-label" for=reason_id.clone()>"Why delete it?"</label>
                    <div class="govuk-hint">"Kept in the audit trail. The document cannot be recovered."</div>
                    {shown_error}
                    <textarea class="govuk-textarea" id=reason_id.clone() rows="2"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button"
                    aria-disabled=move || pending.get().then_some("true")>"Delete document"</button>
            </form>
        }
        .into_any()),
        _ => None,
        }
    };
    let action = move |which: Open, text: &'static str| {
        let expanded = move || (open.get() == which).to_string();
        view! {
            <li><button type="button" class="app-link-button govuk-link" aria-expanded=expanded
                on:click=move |_| toggle(which)>{text}<span class="govuk-visually-hidden">" "{title.clone()}</span></button></li>
        }
    };
    view! {
        <li class="app-document">
            {link}
            <p class="govuk-body-s app-document__meta">
                {kind_text(&document.content_type)}", "{size_text(document.size_bytes)}", added "
                <time datetime=added_iso>{added}</time>" "{check}
            </p>
            <ul class="govuk-list app-inline-actions">
                {(document.previewable && !quarantined).then(|| action(Open::Preview, "Preview"))}
                {can_upload.then(|| action(Open::Rename, "Rename"))}
                {can_delete.then(|| action(Open::Delete, "Delete"))}
            </ul>
            {preview}
            {forms}
        </li>
    }
}
