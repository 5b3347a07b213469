//! `/admin/workflows`: the organisation's statuses, and its workflows: the default one and
//! those of query types, each drawn as a table of the moves it allows (from, to, what the move
//! asks for, who may make it). An administrator changes one workflow at a time in a draft
//! and publishes it as the next version; queries already logged keep the version they
//! started under until moved.

use crate::tasks::spawn;
use api_types::{
    NewWorkflow, PermissionLevel, TransitionRequirement, Workflow, WorkflowDefinition, WorkflowTransition,
};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, Select, SuccessBanner, focus_error_summary, write_errors};
use crate::pages::admin::can_administer;
use crate::pages::admin::statuses::StatusesSection;
use crate::pages::admin::workflow_draft::DraftEditor;
use crate::pages::problem::NoAccess;
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::Statuses;
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};

const MOVES: &[Column] = &[column("From"), column("To"), column("Asks for"), column("Who may")];

pub fn requirement_text(requirement: TransitionRequirement) -> &'static str {
    match requirement {
        TransitionRequirement::ResolutionSummary => "A resolution summary",
        TransitionRequirement::Reason => "A reason",
    }
}

pub fn level_text(level: PermissionLevel) -> &'static str {
    if level == PermissionLevel::Full { "Queries: full" } else { "Queries: read-write" }
}

/// "Nothing" or the list of what a move asks for.
pub fn asks_for(requires: &[TransitionRequirement]) -> String {
    if requires.is_empty() {
        return "Nothing".to_owned();
    }
    requires.iter().map(|r| requirement_text(*r)).collect::<Vec<_>>().join(", ")
}

/// The workflow's name: "Default workflow" or the query type it belongs to.
pub fn workflow_name(workflow: &Workflow, types: QueryTypes) -> String {
    workflow
        .query_type_id
        .map_or_else(|| "Default workflow".to_owned(), |id| format!("Workflow for {}", types.label(id)))
}

#[component]
pub fn WorkflowsAdmin() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Statuses and workflows", errors.with(|e| !e.is_empty())));
    if !can_administer(session) {
        return view! { <NoAccess/> }.into_any();
    }
    let statuses = Statuses::load(session);
    let types = QueryTypes::load(session);
    let workflows = RwSignal::new(None::<Vec<Workflow>>);
    let load = move || {
        spawn(async move {
            match api::workflows::list().await {
                Ok(list) => workflows.set(Some(list.items)),
                Err(problem) => session.notice(&problem),
            }
        });
    };
    load();
    let flash = RwSignal::new(None::<String>);
    let saved = Callback::new(move |message: String| {
        errors.set(FormErrors::default());
        flash.set(Some(message));
        dom::focus_soon(BANNER_ID);
        statuses.reload(session);
        load();
    });
    let failed = Callback::new(move |problem: api_types::Problem| {
        session.notice(&problem);
        errors.set(write_errors(&problem, &["name", "category", "rename", "status_ids", "transitions"], "workflow"));
        focus_error_summary();
    });
    // Drawn once the statuses and types have loaded too, since each picture names them.
    let pictures = move || {
        if statuses.0.with(Option::is_none) || types.0.with(Option::is_none) {
            return None;
        }
        let drawn = workflows
            .get()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(index, workflow)| view! { <Picture index workflow statuses types/> })
            .collect_view();
        Some(drawn)
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <ErrorSummary errors=errors.into()/>
        <h1 class="govuk-heading-l">"Statuses and workflows"</h1>
        <StatusesSection statuses errors saved failed/>
        <h2 class="govuk-heading-m">"Workflows"</h2>
        <p class="govuk-body">
            "A workflow says which moves between statuses a query may make, what each move asks for and who may make it. "
            "A query type without its own workflow follows its parent type's, or the default."
        </p>
        {pictures}
        {move || workflows.get().map(|all| view! { <DraftEditor workflows=all statuses types errors saved failed/> })}
        {move || workflows.get().map(|all| view! { <AddTypeWorkflow workflows=all types errors saved failed/> })}
    }
    .into_any()
}

/// One workflow as a table of its moves.
#[component]
fn Picture(index: usize, workflow: Workflow, statuses: Statuses, types: QueryTypes) -> impl IntoView {
    let name = workflow_name(&workflow, types);
    let start = statuses.name(workflow.definition.initial_status_id);
    let rows = workflow
        .definition
        .transitions
        .iter()
        .map(|t| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{statuses.name(t.from_status_id)}</td>
                    <td class="govuk-table__cell">{statuses.name(t.to_status_id)}</td>
                    <td class="govuk-table__cell">{asks_for(&t.requires)}</td>
                    <td class="govuk-table__cell">{level_text(t.level)}</td>
                </tr>
            }
        })
        .collect_view();
    let caption = format!("{name}, version {}: new queries start in {start}", workflow.current_version);
    view! {
        <Table id=format!("workflow-{index}") caption caption_size=Caption::Small columns=MOVES>{rows}</Table>
    }
}

/// "Give a query type its own workflow": it starts as a copy of the default.
#[component]
fn AddTypeWorkflow(
    workflows: Vec<Workflow>,
    types: QueryTypes,
    errors: RwSignal<FormErrors>,
    saved: Callback<String>,
    failed: Callback<api_types::Problem>,
) -> impl IntoView {
    let Some(default) = workflows.iter().find(|w| w.query_type_id.is_none()).cloned() else {
        return ().into_any();
    };
    let taken: Vec<Uuid> = workflows.iter().filter_map(|w| w.query_type_id).collect();
    let chosen = RwSignal::new(String::new());
    let options = Signal::derive(move || {
        let all = types.0.get().unwrap_or_default();
        std::iter::once((String::new(), "Choose a query type".to_owned()))
            .chain(
                all.iter()
                    .filter(|t| t.active && !taken.contains(&t.id))
                    .map(|t| (t.id.to_string(), types.label(t.id))),
            )
            .collect()
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(query_type_id) = Uuid::parse_str(&chosen.get_untracked()) else {
            errors.set(FormErrors::field("query_type_id", "Choose the query type to give its own workflow"));
            focus_error_summary();
            return;
        };
        let request = NewWorkflow { query_type_id, definition: default.definition.clone() };
        spawn(async move {
            match api::workflows::create(&request).await {
                Ok(_) => saved.run(format!("{} now has its own workflow", types.label(query_type_id))),
                Err(problem) => failed.run(problem),
            }
        });
    };
    view! {
        <form method="post" novalidate=true on:submit=add class="govuk-!-margin-top-6">
            <h2 class="govuk-heading-m">"Give a query type its own workflow"</h2>
            <p class="govuk-body">"It starts as a copy of the default workflow, to change above."</p>
            <Select id="query_type_id" label="Query type" value=chosen options errors=errors.into()/>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Add workflow"</button>
        </form>
    }
    .into_any()
}

/// The definition to publish: the statuses are those the moves and the start name, in the
/// organisation's order.
pub fn definition_of(initial: Uuid, transitions: Vec<WorkflowTransition>, statuses: Statuses) -> WorkflowDefinition {
    let order: Vec<Uuid> = statuses.0.get_untracked().unwrap_or_default().into_iter().map(|s| s.id).collect();
    let used =
        |id: &Uuid| *id == initial || transitions.iter().any(|t| t.from_status_id == *id || t.to_status_id == *id);
    WorkflowDefinition { initial_status_id: initial, status_ids: order.into_iter().filter(used).collect(), transitions }
}
