//! "Assign": who works the query (an officer, a team, both or neither), saved with `If-Match`
//! so two officers cannot silently overwrite each other's assignment.

use api_types::{AssignRequest, Query};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::directory::Directory;
use crate::forms::{FormErrors, Select, focus_error_summary, write_errors};
use crate::session::Session;

const FIELDS: [&str; 2] = ["assignee_id", "team_id"];

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
    let text = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
    let officer = RwSignal::new(text(query.assignee_id));
    let team = RwSignal::new(text(query.team_id));
    let pending = RwSignal::new(false);
    let (id, version, current_officer) = (query.id, query.version, query.assignee_id);

    let officers = Signal::derive(move || {
        let mut options = vec![(String::new(), "No one".to_owned())];
        let mut known = directory.officers();
        // The current assignee stays selectable even when their name cannot be listed.
        if let Some(current) = current_officer
            && !known.iter().any(|(id, _)| *id == current)
        {
            known.push((current, directory.user_name(current)));
        }
        options.extend(known.into_iter().map(|(id, name)| (id.to_string(), name)));
        options
    });
    let teams = Signal::derive(move || {
        let mut options = vec![(String::new(), "No team".to_owned())];
        let list = directory.teams.get().unwrap_or_default();
        options.extend(list.into_iter().map(|t| (t.id.to_string(), t.name)));
        options
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = AssignRequest {
            assignee_id: Uuid::parse_str(&officer.get_untracked()).ok(),
            team_id: Uuid::parse_str(&team.get_untracked()).ok(),
        };
        pending.set(true);
        spawn_local(async move {
            let path = format!("/api/v1/queries/{id}/assignment");
            match api::post_if_match::<_, Query>(&path, version, &request).await {
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
            <Select id="assignee_id" label="Officer" value=officer options=officers errors label_class="govuk-label--s"/>
            <Select id="team_id" label="Team" value=team options=teams errors label_class="govuk-label--s"/>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Save assignment"</button>
        </form>
    }
}
