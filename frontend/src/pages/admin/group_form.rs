//! `/admin/groups/new` and `/admin/groups/:id`: a group's name, its level in each area and its
//! members. Saved with `If-Match`; a group that is not built in can be deleted. Administrators
//! with less than full administration see the group without a form.

use crate::tasks::spawn;
use api_types::{FieldProblem, Group, GroupRequest, Permission, PermissionArea, PermissionLevel, Problem, User};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use crate::api;
use crate::directory::all_users;
use crate::dom;
use crate::forms::{
    ErrorSummary, FormErrors, RadioOption, Radios, SubmitOrCancel, TextArea, TextInput, focus_error_summary,
    write_errors,
};
use crate::member_picker::MemberPicker;
use crate::pages::admin::permission_labels::{AREAS, LEVELS, area_field, area_label, level_label, summary};
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::session::Session;

fn administration_level(session: Session) -> PermissionLevel {
    session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration))
}

/// `/admin/groups/new` (no `:id`) or `/admin/groups/:id`.
#[component]
pub fn GroupPage() -> impl IntoView {
    let session = Session::expect();
    let level = administration_level(session);
    let id = use_params_map().with_untracked(|p| p.get("id"));
    if level < PermissionLevel::Read || (id.is_none() && level < PermissionLevel::Full) {
        return view! { <NoAccess/> }.into_any();
    }
    let Some(id) = id else {
        return view! { <GroupForm group=None/> }.into_any();
    };
    let loaded = RwSignal::new(None::<Result<Group, Problem>>);
    spawn(async move {
        let result = api::users::group(&id).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    let page = move || match loaded.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(group)) if level < PermissionLevel::Full => view! { <GroupView group/> }.into_any(),
        Some(Ok(group)) => view! { <GroupForm group=Some(group)/> }.into_any(),
    };
    page.into_any()
}

/// A group for someone who may read but not change it.
#[component]
fn GroupView(group: Group) -> impl IntoView {
    dom::set_title(&group.name, false);
    let session = Session::expect();
    let users = RwSignal::new(Vec::<User>::new());
    spawn(async move { users.set(all_users(session).await) });
    let members = group.member_ids.clone();
    let names = move || {
        users.with(|users| {
            members
                .iter()
                .filter_map(|id| users.iter().find(|u| u.id == *id))
                .map(|u| view! { <li>{u.display_name.clone()}</li> })
                .collect_view()
        })
    };
    view! {
        <h1 class="govuk-heading-l app-wrap-anywhere">{group.name.clone()}</h1>
        <p class="govuk-body app-wrap-anywhere">{group.description.clone()}</p>
        <h2 class="govuk-heading-m">"Permissions"</h2>
        <p class="govuk-body">{summary(&group.grants)}</p>
        <h2 class="govuk-heading-m">"Members"</h2>
        <ul class="govuk-list govuk-list--bullet">{names}</ul>
        <a class="govuk-link" href="/admin/groups">"Back to groups"</a>
    }
}

/// Field names for errors: the API names grants by index in the list sent, the form by area.
fn form_errors(problem: &Problem, sent: &[PermissionArea]) -> FormErrors {
    let mut problem = problem.clone();
    for error in &mut problem.errors {
        let index = error
            .field
            .strip_prefix("grants[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(area) = index.and_then(|i| sent.get(i)) {
            error.field = area_field(*area).to_owned();
        }
    }
    let mut order = vec!["name", "description"];
    order.extend(AREAS.map(area_field));
    order.push("member_ids");
    write_errors(&problem, &order, "group")
}

#[component]
fn GroupForm(group: Option<Group>) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let title = if group.is_some() { "Change group" } else { "Add a group" };
    Effect::new(move |_| dom::set_title(title, errors.with(|e| !e.is_empty())));
    let name = RwSignal::new(group.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    let description = RwSignal::new(group.as_ref().map(|g| g.description.clone()).unwrap_or_default());
    let level_of = |area: PermissionArea| {
        group.as_ref().and_then(|g| g.grants.iter().find(|p| p.area == area)).map_or(PermissionLevel::None, |p| p.level)
    };
    let own_teams = RwSignal::new(
        group
            .as_ref()
            .and_then(|g| g.grants.iter().find(|p| p.area == PermissionArea::Queries))
            .is_some_and(|p| p.own_teams),
    );
    let levels: Vec<(PermissionArea, RwSignal<Option<PermissionLevel>>)> =
        AREAS.iter().map(|area| (*area, RwSignal::new(Some(level_of(*area))))).collect();
    let members = RwSignal::new(group.as_ref().map(|g| g.member_ids.clone()).unwrap_or_default());
    let users = RwSignal::new(None::<Vec<User>>);
    spawn(async move { users.set(Some(all_users(session).await)) });
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let existing = group.as_ref().map(|g| (g.id, g.version));
    let builtin = group.as_ref().is_some_and(|g| g.builtin);
    let kept_grants = group.as_ref().map(|g| g.grants.clone()).unwrap_or_default();

    let grants_now = {
        let levels = levels.clone();
        move || -> Vec<Permission> {
            levels
                .iter()
                .filter_map(|(area, level)| {
                    let level = level.get_untracked().unwrap_or(PermissionLevel::None);
                    let own_teams = *area == PermissionArea::Queries && own_teams.get_untracked();
                    (level > PermissionLevel::None).then_some(Permission { area: *area, level, own_teams })
                })
                .collect()
        }
    };
    let submit = {
        let navigate = navigate.clone();
        let kept_grants = kept_grants.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let grants = if builtin { kept_grants.clone() } else { grants_now() };
            let sent: Vec<PermissionArea> = grants.iter().map(|g| g.area).collect();
            let input = GroupRequest {
                name: name.get_untracked().trim().to_owned(),
                description: description.get_untracked().trim().to_owned(),
                grants,
                member_ids: members.get_untracked(),
            };
            if input.name.is_empty() {
                errors.set(FormErrors::field("name", "Enter the group’s name"));
                focus_error_summary();
                return;
            }
            pending.set(true);
            let navigate = navigate.clone();
            spawn(async move {
                let result = match existing {
                    Some((id, version)) => api::users::update_group(id, version, &input).await,
                    None => api::users::create_group(&input).await,
                };
                match result {
                    Ok(saved) => {
                        let verb = if existing.is_some() { "changed" } else { "added" };
                        session.flash.set(Some(format!("Group {} has been {verb}", saved.name)));
                        navigate("/admin/groups", NavigateOptions::default());
                    }
                    Err(problem) => {
                        session.notice(&problem);
                        let mut shown = form_errors(&problem, &sent);
                        if problem.status == 409 && shown.fields.is_empty() && shown.general.is_none() {
                            let message = "A group with this name already exists".to_owned();
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
        }
    };
    let delete = move |_| {
        let Some((id, version)) = existing else { return };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            match api::users::delete_group(id, version).await {
                Ok(()) => {
                    session.flash.set(Some("The group has been deleted".to_owned()));
                    navigate("/admin/groups", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(form_errors(&problem, &[]));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let errors_signal = Signal::from(errors);
    let level_options = || {
        LEVELS
            .iter()
            .map(|level| RadioOption { value: *level, label: level_label(*level).to_owned(), hint: None })
            .collect()
    };
    let grant_fields = if builtin {
        view! {
            <h2 class="govuk-heading-m">"Permissions"</h2>
            <div class="govuk-inset-text">"A built-in group keeps its permissions. To give different permissions, add a group."</div>
            <p class="govuk-body">{summary(&kept_grants)}</p>
        }
        .into_any()
    } else {
        let radios = levels
            .iter()
            .map(|(area, level)| {
                view! {
                    <Radios name=area_field(*area) legend=area_label(*area) options=level_options()
                        value=*level errors=errors_signal inline=true/>
                }
            })
            .collect_view();
        view! {
            <h2 class="govuk-heading-m">"Permissions"</h2>
            <p class="govuk-body">"Full adds deleting, merging, exporting and the area’s settings to read and write."</p>
            {radios}
            <div class="govuk-form-group">
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                    <div class="govuk-checkboxes__item">
                        <input class="govuk-checkboxes__input" id="own_teams" name="own_teams" type="checkbox"
                            aria-describedby="own_teams-hint"
                            prop:checked=move || own_teams.get() on:change=move |ev| own_teams.set(event_target_checked(&ev))/>
                        <label class="govuk-label govuk-checkboxes__label" for="own_teams">"Queries of members’ own teams only"</label>
                        <div class="govuk-hint govuk-checkboxes__hint" id="own_teams-hint">
                            "The queries permission then covers only queries assigned to a team the member is in, or to them"
                        </div>
                    </div>
                </div>
            </div>
        }
        .into_any()
    };
    let can_delete = existing.is_some() && !builtin;
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors_signal/>
                <h1 class="govuk-heading-l">{title}</h1>
                <form method="post" novalidate=true on:submit=submit>
                    <TextInput id="name" label="Group name" value=name errors=errors_signal class="govuk-!-width-two-thirds"/>
                    <TextArea id="description" label="Description (optional)" value=description errors=errors_signal
                        hint="What the group is for, so other administrators know whom to add"/>
                    {grant_fields}
                    <MemberPicker id="member_ids" users members errors=errors_signal/>
                    <SubmitOrCancel label="Save group" pending cancel="/admin/groups".to_owned()/>
                </form>
                {can_delete.then(|| view! {
                    <h2 class="govuk-heading-m">"Delete this group"</h2>
                    <p class="govuk-body">"Its members lose the permissions it gives; nothing else changes."</p>
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                        aria-disabled=move || pending.get().then_some("true") on:click=delete.clone()>"Delete group"</button>
                })}
            </div>
        </div>
    }
}
