//! `/admin/teams/new` and `/admin/teams/:id`: a team's name and members (a checkbox per user).
//! Changes are saved with `If-Match`.

use crate::tasks::spawn;
use api_types::{FieldProblem, Problem, Team, TeamInput, User};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use crate::api;
use crate::directory::all_users;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, SubmitOrCancel, TextInput, focus_error_summary, write_errors};
use crate::member_picker::MemberPicker;
use crate::pages::admin::can_administer;
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::session::Session;

const FIELDS: [&str; 2] = ["name", "member_ids"];

/// `/admin/teams/new` (no `:id`) or `/admin/teams/:id`.
#[component]
pub fn TeamPage() -> impl IntoView {
    let session = Session::expect();
    if !can_administer(session) {
        return view! { <NoAccess/> }.into_any();
    }
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let Some(id) = id else {
        return view! { <TeamForm team=None/> }.into_any();
    };
    let loaded = RwSignal::new(None::<Result<Team, Problem>>);
    spawn(async move {
        let result = api::teams::get(&id).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    let page = move || match loaded.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(team)) => view! { <TeamForm team=Some(team)/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn TeamForm(team: Option<Team>) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let title = if team.is_some() { "Change team" } else { "Add a team" };
    Effect::new(move |_| dom::set_title(title, errors.with(|e| !e.is_empty())));
    let name = RwSignal::new(team.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let members = RwSignal::new(team.as_ref().map(|t| t.member_ids.clone()).unwrap_or_default());
    let leaders = RwSignal::new(team.as_ref().map(|t| t.leader_ids.clone()).unwrap_or_default());
    let users = RwSignal::new(None::<Vec<User>>);
    spawn(async move { users.set(Some(all_users(session).await)) });
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let existing = team.as_ref().map(|t| (t.id, t.version));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let input = TeamInput {
            name: name.get_untracked().trim().to_owned(),
            member_ids: members.get_untracked(),
            leader_ids: leaders.get_untracked(),
        };
        if input.name.is_empty() {
            errors.set(FormErrors::field("name", "Enter the team’s name"));
            focus_error_summary();
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            let result = match existing {
                Some((id, version)) => api::teams::update(id, version, &input).await,
                None => api::teams::create(&input).await,
            };
            match result {
                Ok(saved) => {
                    let verb = if existing.is_some() { "changed" } else { "added" };
                    session.flash.set(Some(format!("Team {} has been {verb}", saved.name)));
                    navigate("/admin/teams", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    let mut shown = write_errors(&problem, &FIELDS, "team");
                    if problem.status == 409 {
                        let message = "A team with this name already exists".to_owned();
                        shown = FormErrors {
                            fields: vec![FieldProblem { field: "name".to_owned(), code: String::new(), message }],
                            general: None,
                        };
                    }
                    errors.set(shown);
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let errors = Signal::from(errors);
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">{title}</h1>
                <form method="post" novalidate=true on:submit=submit>
                    <TextInput id="name" label="Team name" value=name errors class="govuk-!-width-two-thirds"/>
                    <MemberPicker id="member_ids" users members errors=errors leaders/>
                    <SubmitOrCancel label="Save team" pending cancel="/admin/teams".to_owned()/>
                </form>
            </div>
        </div>
    }
}
