//! Bulk changes from the work queue: assign the chosen queries, or move them to a status, in one
//! request (`POST /api/v1/queries/bulk`). Each query is changed as its own request would change
//! it; the ones that could not be (changed by someone else meanwhile, say) are listed in the
//! error summary, each linking to its row.

use api_types::{BulkChange, BulkChangeRequest, BulkChangeResult, BulkItem, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::autocomplete::{PickFromList, unchosen};
use crate::directory::Directory;
use crate::forms::{FormErrors, Select, TextInput, Warning, describe};
use crate::pages::queries::queue_table::{Picked, checkbox_id};
use crate::pages::queries::words::Statuses;
use crate::session::Session;
use crate::tasks::spawn;

/// The team picker's "keep each query's team" value.
const KEEP: &str = "keep";

/// What happened, for the page to say.
#[derive(Clone, Debug)]
pub enum BulkOutcome {
    /// Everything chosen was changed: the success message.
    Done(String),
    /// Some or all failed: the errors for the page's error summary.
    Failed(FormErrors),
    /// Not sent (nothing selected, an officer typed but not chosen): the errors to fix first.
    Refused(FormErrors),
}

#[component]
pub fn BulkActions(
    picked: RwSignal<Vec<Picked>>,
    directory: Directory,
    statuses: Statuses,
    on_done: Callback<BulkOutcome>,
) -> impl IntoView {
    let session = Session::expect();
    // Officers are picked by typing (a tenant has dozens); teams are few, and the list has
    // "keep each query's team", so they stay a select.
    let officer = RwSignal::new(None::<Uuid>);
    let officer_text = RwSignal::new(String::new());
    let team = RwSignal::new(KEEP.to_owned());
    let status = RwSignal::new(String::new());
    let status_note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let no_errors = Signal::derive(FormErrors::default);

    let officers = Signal::derive(move || directory.officer_suggestions());
    let teams = Signal::derive(move || {
        let mut options =
            vec![(KEEP.to_owned(), "Keep each query's team".to_owned()), (String::new(), "No team".to_owned())];
        options.extend(directory.teams.get().unwrap_or_default().into_iter().map(|t| (t.id.to_string(), t.name)));
        options
    });
    let status_options = Signal::derive(move || {
        let mut options = vec![(String::new(), "Choose a status".to_owned())];
        options.extend(statuses.0.get().unwrap_or_default().into_iter().map(|s| (s.id.to_string(), s.name)));
        options
    });

    let outside_team = Memo::new(move |_| {
        let chosen = team.get();
        let teams: Vec<Uuid> = if chosen == KEEP {
            picked.with(|p| p.iter().filter_map(|q| q.team_id).collect())
        } else {
            Uuid::parse_str(&chosen).ok().into_iter().collect()
        };
        directory.outside_teams(officer.get(), &teams)
    });

    let send = move |change: BulkChange, done: String| {
        if pending.get_untracked() {
            return;
        }
        let chosen = picked.get_untracked();
        if chosen.is_empty() {
            on_done.run(BulkOutcome::Refused(FormErrors::field("pick-all", "Select the queries to change")));
            return;
        }
        pending.set(true);
        let items = chosen.iter().map(|p| BulkItem { id: p.id, version: p.version }).collect();
        let request = BulkChangeRequest { items, change };
        spawn(async move {
            let outcome = match api::queries::bulk(&request).await {
                Ok(result) if result.failed == 0 => {
                    let noun = if result.succeeded == 1 { "query" } else { "queries" };
                    BulkOutcome::Done(format!("{} {noun} {done}", result.succeeded))
                }
                Ok(result) => BulkOutcome::Failed(failures(&result, &chosen)),
                Err(problem) => {
                    session.notice(&problem);
                    BulkOutcome::Failed(FormErrors { fields: Vec::new(), general: Some(describe(&problem)) })
                }
            };
            pending.set(false);
            on_done.run(outcome);
        });
    };

    let assign = move |ev: SubmitEvent| {
        ev.prevent_default();
        if unchosen(officer_text, officer) {
            let message = "Choose the officer from the list, or clear the box for no one";
            on_done.run(BulkOutcome::Refused(FormErrors::field("bulk-assignee", message)));
            return;
        }
        let assignee_id = officer.get_untracked();
        let keep_team = team.with_untracked(|t| t == KEEP);
        let team_id = Uuid::parse_str(&team.get_untracked()).ok();
        let to = match (assignee_id, team_id) {
            (None, None) if keep_team => "left with no officer".to_owned(),
            (None, None) => "unassigned".to_owned(),
            (Some(id), None) => format!("assigned to {}", directory.user_name(id)),
            (None, Some(id)) => format!("assigned to {}", directory.team_name(id)),
            (Some(o), Some(t)) => format!("assigned to {} ({})", directory.user_name(o), directory.team_name(t)),
        };
        send(BulkChange::Assign { assignee_id, team_id, keep_team }, to);
    };
    let change_status = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(status_id) = Uuid::parse_str(&status.get_untracked()) else {
            on_done.run(BulkOutcome::Refused(FormErrors::field("bulk-status", "Choose the status to move them to")));
            return;
        };
        // The one text answers whichever the move asks for: a resolution summary or a reason.
        let note = Some(status_note.get_untracked().trim().to_owned()).filter(|t| !t.is_empty());
        let change = BulkChange::Status { status_id, resolution_summary: note.clone(), reason: note };
        send(change, format!("moved to {}", statuses.name(status_id)));
    };

    let count = move || match picked.with(Vec::len) {
        0 => "No queries selected".to_owned(),
        1 => "1 query selected".to_owned(),
        n => format!("{n} queries selected"),
    };
    view! {
        <div class="app-bulk-actions" id="bulk-actions" role="region" aria-labelledby="bulk-heading">
            <h2 class="govuk-heading-s govuk-!-margin-bottom-2" id="bulk-heading">"Change selected queries"</h2>
            <p class="govuk-body-s" id="bulk-count" aria-live="polite">{count}</p>
            <div class="app-bulk-actions__forms">
                <form method="post" novalidate=true on:submit=assign class="app-inline-form" aria-label="Assign selected queries">
                    <PickFromList id="bulk-assignee" label="Officer" all=officers value=officer text=officer_text
                        errors=no_errors hint="Empty for no one"/>
                    <Select id="bulk-team" label="Team" value=team options=teams errors=no_errors/>
                    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        aria-disabled=move || pending.get().then_some("true")>"Assign selected"</button>
                </form>
                <form method="post" novalidate=true on:submit=change_status class="app-inline-form" aria-label="Change the status of selected queries">
                    <Select id="bulk-status" label="Status" value=status options=status_options errors=no_errors/>
                    <TextInput id="bulk-status-note" label="Summary or reason" value=status_note errors=no_errors
                        hint="When the move asks for one"/>
                    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        aria-disabled=move || pending.get().then_some("true")>"Change status"</button>
                </form>
            </div>
            <Warning id="bulk-warning" text=outside_team.into()/>
        </div>
    }
}

/// Each query that failed, by reference, linking to its checkbox.
fn failures(result: &BulkChangeResult, chosen: &[Picked]) -> FormErrors {
    let reference = |id: Uuid| chosen.iter().find(|p| p.id == id).map_or_else(String::new, |p| p.reference.clone());
    let fields = result
        .results
        .iter()
        .filter_map(|outcome| outcome.problem.as_ref().map(|problem| (outcome.id, problem)))
        .map(|(id, problem)| api_types::FieldProblem {
            field: checkbox_id(id),
            code: problem.code.to_string(),
            message: format!("{}: {}", reference(id), why(problem)),
        })
        .collect();
    let general = if result.succeeded == 0 {
        "None of the selected queries could be changed.".to_owned()
    } else {
        format!("{} of {} selected queries were changed; these were not.", result.succeeded, result.results.len())
    };
    FormErrors { fields, general: Some(general) }
}

fn why(problem: &Problem) -> String {
    match problem.status {
        412 => "someone else changed it since the list was loaded".to_owned(),
        404 => "it no longer exists or you may not change it".to_owned(),
        _ => problem.errors.first().map_or_else(|| describe(problem), |e| e.message.clone()),
    }
}
