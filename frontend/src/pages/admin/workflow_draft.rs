//! Changing a workflow on `/admin/workflows`: the chosen workflow's moves as a draft, moves
//! removed and added, where new queries start, then "Publish" sends it as the next version
//! (with `If-Match`). The server checks the whole definition and names what is wrong.

use crate::tasks::spawn;
use api_types::{PermissionLevel, TransitionRequirement, Workflow, WorkflowTransition};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::{FormErrors, Select, focus_error_summary};
use crate::pages::admin::workflows::{asks_for, definition_of, level_text, workflow_name};
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::Statuses;
use crate::table::{ACTIONS, Caption, Column, Table, column};

const DRAFT: &[Column] = &[column("From"), column("To"), column("Asks for"), column("Who may"), ACTIONS];

#[component]
pub fn DraftEditor(
    workflows: Vec<Workflow>,
    statuses: Statuses,
    types: QueryTypes,
    errors: RwSignal<FormErrors>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let workflows = StoredValue::new(workflows);
    let chosen = RwSignal::new(workflows.with_value(|all| all.first().map(|w| w.id.to_string()).unwrap_or_default()));
    let draft = RwSignal::new(Vec::<WorkflowTransition>::new());
    let initial = RwSignal::new(String::new());
    let current = move || {
        let id = Uuid::parse_str(&chosen.get()).ok();
        workflows.with_value(|all| all.iter().find(|w| Some(w.id) == id).cloned())
    };
    // Choosing another workflow starts a new draft from its current version.
    Effect::new(move |_| {
        if let Some(workflow) = current() {
            draft.set(workflow.definition.transitions.clone());
            initial.set(workflow.definition.initial_status_id.to_string());
        }
    });
    let workflow_options = Signal::derive(move || {
        workflows.with_value(|all| all.iter().map(|w| (w.id.to_string(), workflow_name(w, types))).collect())
    });
    let status_options = Signal::derive(move || {
        let live = statuses.0.get().unwrap_or_default().into_iter().filter(|s| !s.retired);
        std::iter::once((String::new(), "Choose a status".to_owned()))
            .chain(live.map(|s| (s.id.to_string(), s.name)))
            .collect::<Vec<_>>()
    });
    let rows = move || {
        draft
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, t)| {
                let (from, to) = (statuses.name(t.from_status_id), statuses.name(t.to_status_id));
                let label = format!(" from {from} to {to}");
                view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">{from.clone()}</td>
                        <td class="govuk-table__cell">{to.clone()}</td>
                        <td class="govuk-table__cell">{asks_for(&t.requires)}</td>
                        <td class="govuk-table__cell">{level_text(t.level)}</td>
                        <td class="govuk-table__cell">
                            <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                data-module="govuk-button"
                                on:click=move |_| draft.update(|moves| { moves.remove(index); })>
                                "Remove"<span class="govuk-visually-hidden">{label}</span>
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let publish = move |_| {
        let Some(workflow) = current() else { return };
        let Ok(start) = Uuid::parse_str(&initial.get_untracked()) else {
            errors.set(FormErrors::field("initial", "Choose where new queries start"));
            focus_error_summary();
            return;
        };
        let definition = definition_of(start, draft.get_untracked(), statuses);
        let name = workflow_name(&workflow, types);
        spawn(async move {
            match api::workflows::publish(workflow.id, workflow.version, &definition).await {
                Ok(published) => saved.run(format!("{name}: version {} published", published.current_version)),
                Err(problem) => failed.run(problem),
            }
        });
    };
    let next = move || current().map_or(1, |w| w.current_version + 1);
    view! {
        <section aria-labelledby="change-workflow-heading" class="govuk-!-margin-top-6">
            <h2 class="govuk-heading-m" id="change-workflow-heading">"Change a workflow"</h2>
            <Select id="workflow" label="Workflow" value=chosen options=workflow_options errors=errors.into()/>
            <Table id="draft-moves" caption="Moves in the draft" caption_size=Caption::Small columns=DRAFT>{rows}</Table>
            <AddMove draft statuses=status_options errors/>
            <Select id="initial" label="New queries start in" value=initial options=status_options errors=errors.into()/>
            <button type="button" class="govuk-button" data-module="govuk-button" id="publish-workflow" on:click=publish>
                {move || format!("Publish version {}", next())}
            </button>
        </section>
    }
}

/// "Add a move" to the draft: from, to, what it asks for and who may make it.
#[component]
fn AddMove(
    draft: RwSignal<Vec<WorkflowTransition>>,
    statuses: Signal<Vec<(String, String)>>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let summary = RwSignal::new(false);
    let reason = RwSignal::new(false);
    let level = RwSignal::new("read_write".to_owned());
    let levels = Signal::derive(|| {
        vec![
            ("read_write".to_owned(), "Anyone who may change queries (read-write)".to_owned()),
            ("full".to_owned(), "Only those with full access to queries".to_owned()),
        ]
    });
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (Ok(from_id), Ok(to_id)) = (Uuid::parse_str(&from.get_untracked()), Uuid::parse_str(&to.get_untracked()))
        else {
            errors.set(FormErrors::field("move-from", "Choose the status the move is from and the one it is to"));
            focus_error_summary();
            return;
        };
        if from_id == to_id
            || draft.with_untracked(|d| d.iter().any(|t| t.from_status_id == from_id && t.to_status_id == to_id))
        {
            errors.set(FormErrors::field(
                "move-to",
                "Choose another status: the draft has this move, or it goes nowhere",
            ));
            focus_error_summary();
            return;
        }
        let mut requires = Vec::new();
        if summary.get_untracked() {
            requires.push(TransitionRequirement::ResolutionSummary);
        }
        if reason.get_untracked() {
            requires.push(TransitionRequirement::Reason);
        }
        let level = if level.get_untracked() == "full" { PermissionLevel::Full } else { PermissionLevel::ReadWrite };
        draft.update(|d| d.push(WorkflowTransition { from_status_id: from_id, to_status_id: to_id, requires, level }));
        errors.set(FormErrors::default());
    };
    let checkbox = move |id: &'static str, text: &'static str, value: RwSignal<bool>| {
        view! {
            <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id=id name=id type="checkbox"
                    prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
                <label class="govuk-label govuk-checkboxes__label" for=id>{text}</label>
            </div>
        }
    };
    view! {
        <form method="post" novalidate=true on:submit=add class="app-panel govuk-!-margin-bottom-6">
            <h3 class="govuk-heading-s">"Add a move"</h3>
            <Select id="move-from" label="From" value=from options=statuses errors=errors.into()/>
            <Select id="move-to" label="To" value=to options=statuses errors=errors.into()/>
            <div class="govuk-form-group">
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"The move asks for"</legend>
                    <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        {checkbox("requires-summary", "A resolution summary", summary)}
                        {checkbox("requires-reason", "A reason", reason)}
                    </div>
                </fieldset>
            </div>
            <Select id="move-level" label="Who may make it" value=level options=levels errors=errors.into()/>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Add move"</button>
        </form>
    }
}
