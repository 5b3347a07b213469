//! Attaching files: a file picker (keyboard-operable, as the browser's own control is) inside a
//! zone files can be dropped on. Each file goes up on its own, so each has its own progress and
//! outcome: attached and virus checked, or refused with the reason (a virus found, a kind of file
//! not accepted, the scanner unavailable).

use crate::api::{self, documents::Owner};
use crate::forms::describe;
use crate::tasks::spawn;
use api_types::ProblemCode;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};

#[derive(Debug, Clone, PartialEq)]
enum State {
    Sending(f64),
    Attached,
    Refused(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    key: usize,
    name: String,
    state: State,
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return vec![] };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[component]
pub fn Attach(owner: Owner, on_added: Callback<()>) -> impl IntoView {
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_key = StoredValue::new(0_usize);
    let over = RwSignal::new(false);
    let set_state = move |key: usize, state: State| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|r| r.key == key) {
                row.state = state;
            }
        });
    };
    let send = move |files: Vec<File>| {
        for file in files {
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            rows.update(|rows| rows.push(Row { key, name: file.name(), state: State::Sending(0.0) }));
            spawn(async move {
                let progress = move |share: f64| set_state(key, State::Sending(share));
                match api::documents::upload(owner, file, progress).await {
                    Ok(_) => {
                        set_state(key, State::Attached);
                        on_added.run(());
                    }
                    Err(problem) => {
                        let reason = match problem.code {
                            ProblemCode::Infected
                            | ProblemCode::UnsupportedFileType
                            | ProblemCode::ScannerUnavailable => {
                                problem.detail.clone().unwrap_or_else(|| problem.title.clone())
                            }
                            _ => {
                                problem.errors.first().map(|e| e.message.clone()).unwrap_or_else(|| describe(&problem))
                            }
                        };
                        set_state(key, State::Refused(format!("{}. {reason}", problem.title)));
                    }
                }
            });
        }
    };
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        send(files_of(input.files()));
        // The same file can be chosen again after a failure.
        input.set_value("");
    };
    let dropped = move |ev: DragEvent| {
        ev.prevent_default();
        over.set(false);
        send(files_of(ev.data_transfer().and_then(|d| d.files())));
    };
    let zone_class = move || if over.get() { "app-drop-zone app-drop-zone--over" } else { "app-drop-zone" };
    let outcome = |row: Row| {
        let id = format!("upload-{}", row.key);
        let state = match row.state {
            State::Sending(share) => {
                let percent = (share * 100.0).round() as u32;
                view! {
                    <progress class="app-upload-progress" max="100" value=percent.to_string()
                        aria-label=format!("Uploading {}", row.name)></progress>
                    " "<span class="govuk-body-s">{format!("Uploading and checking for viruses: {percent}%")}</span>
                }
                .into_any()
            }
            State::Attached => {
                view! { <strong class="govuk-tag govuk-tag--green">"Attached"</strong>" "<span class="govuk-body-s">"Virus checked"</span> }
                    .into_any()
            }
            State::Refused(reason) => view! {
                <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{reason}</p>
            }
            .into_any(),
        };
        view! { <li class="app-upload" id=id><span class="govuk-!-font-weight-bold app-wrap-anywhere">{row.name}</span>" "{state}</li> }
    };
    view! {
        <div class=zone_class
            on:dragover=move |ev: DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=dropped>
            <div class="govuk-form-group govuk-!-margin-bottom-0">
                <label class="govuk-label govuk-label--s" for="documents-upload">"Attach files"</label>
                <div class="govuk-hint" id="documents-upload-hint">
                    "Drag files here or choose them. PDFs, pictures, office documents, text and zip files are checked for viruses before they are kept."
                </div>
                <input class="govuk-file-upload" id="documents-upload" name="files" type="file" multiple=true
                    aria-describedby="documents-upload-hint" on:change=chosen/>
            </div>
        </div>
        <ul class="govuk-list app-uploads" id="documents-uploads" aria-live="polite">
            {move || rows.get().into_iter().map(outcome).collect_view()}
        </ul>
    }
}
