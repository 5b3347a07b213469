//! "Assign": who works the query (an officer, a team, both or neither), saved with `If-Match`
//! so two officers cannot silently overwrite each other's assignment. Officer and team are
//! picked by typing (a tenant has dozens of officers), with a warning when the officer is not in
//! the team.

use crate::tasks::spawn;
use api_types::{AssignRequest, FieldProblem, Query};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::autocomplete::{PickFromList, unchosen};
use crate::directory::Directory;
use crate::forms::{FormErrors, Warning, focus_error_summary, write_errors};
use crate::session::Session;

const FIELDS: [&str; 2] = ["assignee_id", "team_id"];

/// The officer and team pickers' own problems: a name typed but not chosen from the list.
pub fn unchosen_problems(
    (officer_text, officer): (RwSignal<String>, RwSignal<Option<Uuid>>),
    (team_text, team): (RwSignal<String>, RwSignal<Option<Uuid>>),
) -> Vec<FieldProblem> {
    let problem = |field: &str, message: &str| FieldProblem {
        field: field.to_owned(),
        code: String::new(),
        message: message.to_owned(),
    };
    let mut problems = Vec::new();
    if unchosen(officer_text, officer) {
        problems.push(problem("assignee_id", "Choose the officer from the list, or clear the box for no one"));
    }
    if unchosen(team_text, team) {
        problems.push(problem("team_id", "Choose the team from the list, or clear the box for no team"));
    }
    problems
}

/// Officer and team pickers and the not-in-the-team warning, for any form that assigns.
#[component]
pub fn AssigneeInputs(
    directory: Directory,
    officer: RwSignal<Option<Uuid>>,
    officer_text: RwSignal<String>,
    team: RwSignal<Option<Uuid>>,
    team_text: RwSignal<String>,
    errors: Signal<FormErrors>,
    /// The warning's id (one per form on a page).
    warning_id: &'static str,
) -> impl IntoView {
    let officers = Signal::derive(move || directory.officer_suggestions());
    let teams = Signal::derive(move || directory.team_suggestions());
    let outside =
        Signal::derive(move || directory.outside_teams(officer.get(), &team.get().into_iter().collect::<Vec<_>>()));
    view! {
        <PickFromList id="assignee_id" label="Officer" all=officers value=officer text=officer_text errors
            hint="Type a name and choose; leave empty for no one" label_class="govuk-label--s"/>
        <PickFromList id="team_id" label="Team" all=teams value=team text=team_text errors
            hint="Type a team and choose; leave empty for no team" label_class="govuk-label--s"/>
        <Warning id=warning_id text=outside/>
    }
}

/// `errors` belong to the page (its error summary is at the top); `on_saved` gets the query
/// as saved.
#[component]
pub fn AssignForm(
    query: Query,
    directory: Directory,
    errors: RwSignal<FormErrors>,
    on_saved: Callback<Query>,
) -> impl IntoView {
    let session = Session::expect();
    let officer = RwSignal::new(query.assignee_id);
    let team = RwSignal::new(query.team_id);
    let (officer_text, team_text) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let pending = RwSignal::new(false);
    let (id, version) = (query.id, query.version);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let problems = unchosen_problems((officer_text, officer), (team_text, team));
        if !problems.is_empty() {
            errors.set(FormErrors { fields: problems, general: None });
            focus_error_summary();
            return;
        }
        let request = AssignRequest { assignee_id: officer.get_untracked(), team_id: team.get_untracked() };
        pending.set(true);
        spawn(async move {
            match api::queries::assign(id, version, &request).await {
                Ok(saved) => {
                    errors.set(FormErrors::default());
                    on_saved.run(saved);
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &FIELDS, "query"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let errors = Signal::from(errors);
    view! {
        <form method="post" novalidate=true on:submit=submit class="govuk-!-margin-bottom-6" aria-labelledby="assign-heading">
            <h2 class="govuk-heading-m" id="assign-heading">"Assign"</h2>
            <AssigneeInputs directory officer officer_text team team_text errors warning_id="assign-warning"/>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Save assignment"</button>
        </form>
    }
}
