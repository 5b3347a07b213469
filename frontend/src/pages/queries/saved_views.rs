//! `/queries/views` and `/queries/views/new`: an officer's saved views (FR-008). A view is a
//! work-queue filter and sort with a name, kept personal or shared with a team; saving starts
//! from the work queue ("Save as a view"), so what is saved is what the officer is looking at.

use crate::tasks::spawn;
use api_types::{View, ViewInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::api;
use crate::directory::Directory;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, Select, SubmitOrCancel, SuccessBanner, TextInput, focus_error_summary};
use crate::pages::queries::columns;
use crate::pages::queries::queue_filter::QueueFilter;
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};

const FIELDS: [&str; 4] = ["name", "team_id", "columns", "filter"];

const SAVED_VIEWS_COLUMNS: &[Column] = &[column("Name"), column("Shared with"), Column::numeric("Queries"), ACTIONS];

/// The saved views this officer can see (their own, and their teams'), each with its count, a
/// link to it and, for its owner, a way to delete it.
#[component]
pub fn SavedViews() -> impl IntoView {
    let session = Session::expect();
    Effect::new(move |_| dom::set_title("Saved views", false));
    let flash = RwSignal::new(session.take_flash());
    let directory = Directory::load(session);
    let views = RwSignal::new(None::<Vec<View>>);
    let errors = RwSignal::new(FormErrors::default());
    let load = move || {
        spawn(async move {
            match api::views::list().await {
                Ok(list) => views.set(Some(list.items.into_iter().filter(|v| v.saved.is_some()).collect())),
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &[]));
                    views.set(Some(Vec::new()));
                }
            }
        });
    };
    load();
    let delete = move |view: View| {
        let Some(saved) = view.saved.clone() else { return };
        spawn(async move {
            match api::views::delete(view.id, saved.version).await {
                Ok(()) => {
                    flash.set(Some(format!("The view ‘{}’ has been deleted", view.name)));
                    load();
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &[]));
                    focus_error_summary();
                }
            }
        });
    };
    let rows = move || {
        let me = directory.my_id();
        views.get().map(|list| {
            if list.is_empty() {
                return view! {
                    <p class="govuk-body" id="no-saved-views">
                        "You have no saved views. Filter the "<a class="govuk-link" href="/queries">"work queue"</a>
                        ", then choose ‘Save as a view’."
                    </p>
                }
                .into_any();
            }
            let body = list
                .into_iter()
                .map(|view| {
                    let saved = view.saved.clone().unwrap_or_else(|| unreachable!("only saved views are listed"));
                    let href = QueueFilter::from_query_string(&view.filter).href(None);
                    let shared = saved.team_id.map_or_else(|| "Only you".to_owned(), |t| directory.team_name(t));
                    let owned = Some(saved.owner_id) == me;
                    let name = view.name.clone();
                    let view_for_delete = view.clone();
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell"><a class="govuk-link" href=href>{view.name.clone()}</a></td>
                            <td class="govuk-table__cell">{shared}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{view.count}</td>
                            <td class="govuk-table__cell">
                                {owned.then(|| view! {
                                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                        data-module="govuk-button" on:click=move |_| delete(view_for_delete.clone())>
                                        "Delete"<span class="govuk-visually-hidden">" "{name.clone()}</span>
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="saved-views" caption="Your views and your teams’ views" caption_size=Caption::Medium columns=SAVED_VIEWS_COLUMNS>
                    {body}
                </Table>
            }
            .into_any()
        })
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <ErrorSummary errors=errors.into()/>
        <h1 class="govuk-heading-l">"Saved views"</h1>
        {rows}
        <p class="govuk-body"><a class="govuk-link" href="/queries">"Back to the work queue"</a></p>
    }
}

/// Saves the work queue's filter and sort (given in the address) as a named view.
#[component]
pub fn SaveView() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Save as a view", errors.with(|e| !e.is_empty())));
    let filter = use_query_map().with_untracked(QueueFilter::from_params);
    let directory = Directory::load(session);
    let name = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let teams = Signal::derive(move || {
        std::iter::once((String::new(), "Only me".to_owned()))
            .chain(directory.teams.get().unwrap_or_default().into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect()
    });
    // The columns the queue showed, to keep or change; the reference is always one of them.
    let chosen = RwSignal::new(filter.shown_columns());
    let back = filter.href(None);
    let submit = {
        let filter = filter.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let picked = chosen.get_untracked();
            let columns: Vec<String> = columns::ALL
                .iter()
                .map(|(key, _)| (*key).to_owned())
                .filter(|key| key == "reference" || picked.contains(key))
                .collect();
            let input = ViewInput {
                name: name.get_untracked().trim().to_owned(),
                filter: filter.unsorted().to_search(None).trim_start_matches('?').to_owned(),
                columns: columns.clone(),
                sort: if filter.sort.is_empty() { "received_at".to_owned() } else { filter.sort.clone() },
                team_id: uuid::Uuid::parse_str(&team.get_untracked()).ok(),
            };
            // Back to the queue, showing the view as saved.
            let back = QueueFilter { columns: columns::chosen(columns.iter().map(String::as_str)), ..filter.clone() }
                .href(None);
            pending.set(true);
            let navigate = navigate.clone();
            spawn(async move {
                match api::views::create(&input).await {
                    Ok(view) => {
                        session.flash.set(Some(format!("The view ‘{}’ has been saved", view.name)));
                        navigate(&back, NavigateOptions::default());
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        errors.set(FormErrors::from_problem(&problem, &FIELDS));
                        focus_error_summary();
                    }
                }
                pending.set(false);
            });
        }
    };
    let errors = Signal::from(errors);
    let summary = if filter.unsorted().is_empty() {
        "Every query in the work queue".to_owned()
    } else {
        "The work queue as you filtered it".to_owned()
    };
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">"Save as a view"</h1>
                <p class="govuk-body">{summary}", "{filter.sort_text().to_lowercase()}". It will appear with the views above the work queue."</p>
                <form method="post" novalidate=true on:submit=submit>
                    <TextInput id="name" label="Name" value=name errors hint="For example, Post to answer this week"/>
                    <Select id="team_id" label="Share with" value=team options=teams errors
                        hint="Everyone in the team will see it; ‘assigned to me’ then means each person’s own"/>
                    <ColumnChoice chosen/>
                    <SubmitOrCancel label="Save view" pending cancel=back.clone()/>
                </form>
            </div>
        </div>
    }
}

/// Which columns the view shows (the reference always).
#[component]
fn ColumnChoice(chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let boxes = columns::ALL
        .iter()
        .filter(|(key, _)| *key != "reference")
        .map(|(key, heading)| {
            let key = (*key).to_owned();
            let id = format!("column-{key}");
            let checked = {
                let key = key.clone();
                move || chosen.with(|c| c.contains(&key))
            };
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    c.retain(|k| *k != key);
                    if on {
                        c.push(key.clone());
                    }
                });
            };
            view! {
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=id.clone() name="columns" type="checkbox"
                        prop:checked=checked on:change=toggle/>
                    <label class="govuk-label govuk-checkboxes__label" for=id>{*heading}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" aria-describedby="columns-hint">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Columns"</legend>
                <div class="govuk-hint" id="columns-hint">"The reference is always shown"</div>
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">{boxes}</div>
            </fieldset>
        </div>
    }
}
