//! `/users/:id`: one user, what they may do in each area and which group gives it, and (for
//! administrators who may change users) their name, status and groups. Saved with `If-Match`;
//! disabling someone signs them out at once.

use crate::tasks::spawn;
use api_types::{Group, PermissionArea, PermissionLevel, Problem, User, UserAccess, UserStatus, UserUpdateRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{
    Choice, ErrorSummary, FormErrors, IdCheckboxes, RadioOption, Radios, SubmitOrCancel, TextInput,
    focus_error_summary, write_errors,
};
use crate::pages::admin::permission_labels::{area_label, level_label};
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};

const FIELDS: [&str; 3] = ["display_name", "status", "group_ids"];

#[derive(Clone, Debug)]
struct Loaded {
    user: User,
    access: UserAccess,
    groups: Vec<Group>,
}

async fn load(id: &str) -> Result<Loaded, Problem> {
    let user = api::users::get(id).await?;
    let access = api::users::access(id).await?;
    let groups = api::users::groups().await?.items;
    Ok(Loaded { user, access, groups })
}

const ACCESS_COLUMNS: &[Column] = &[column("Area"), column("Level"), column("Given by")];

#[component]
pub fn UserPage() -> impl IntoView {
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    let loaded = RwSignal::new(None::<Result<Loaded, Problem>>);
    spawn(async move {
        let result = load(&id).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    let can_change = level >= PermissionLevel::ReadWrite;
    let page = move || match loaded.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(loaded)) => view! { <UserDetail loaded can_change/> }.into_any(),
    };
    page.into_any()
}

#[component]
fn UserDetail(loaded: Loaded, can_change: bool) -> impl IntoView {
    let Loaded { user, access, groups } = loaded;
    let errors = RwSignal::new(FormErrors::default());
    let title = user.display_name.clone();
    Effect::new(move |_| dom::set_title(&title, errors.with(|e| !e.is_empty())));
    let group_name = {
        let groups = groups.clone();
        move |id: &Uuid| {
            groups.iter().find(|g| g.id == *id).map_or_else(|| "Unknown group".to_owned(), |g| g.name.clone())
        }
    };
    let rows = access
        .permissions
        .iter()
        .map(|p| {
            let given_by: Vec<String> = p.given_by.iter().map(&group_name).collect();
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{area_label(p.area)}</th>
                    <td class="govuk-table__cell">{level_label(p.level)}</td>
                    <td class="govuk-table__cell app-wrap-anywhere">{given_by.join(", ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=Signal::from(errors)/>
                <h1 class="govuk-heading-l app-wrap-anywhere">{user.display_name.clone()}</h1>
                <p class="govuk-body app-wrap-anywhere">{user.email.clone()}</p>
                <Table id="access" caption="What they may do" caption_size=Caption::Medium columns=ACCESS_COLUMNS>
                    {rows}
                </Table>
                {if can_change {
                    view! { <UserForm user access groups errors/> }.into_any()
                } else {
                    view! { <a class="govuk-link" href="/users">"Back to users"</a> }.into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn UserForm(user: User, access: UserAccess, groups: Vec<Group>, errors: RwSignal<FormErrors>) -> impl IntoView {
    let session = Session::expect();
    let name = RwSignal::new(user.display_name.clone());
    let status = RwSignal::new(Some(user.status));
    let chosen = RwSignal::new(access.group_ids.clone());
    let break_glass = RwSignal::new(access.break_glass.unwrap_or(false));
    let has_password = access.break_glass.is_some();
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let (id, version) = (user.id, user.version);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let input = UserUpdateRequest {
            display_name: name.get_untracked().trim().to_owned(),
            status: status.get_untracked().unwrap_or(UserStatus::Active),
            group_ids: chosen.get_untracked(),
            break_glass: has_password.then(|| break_glass.get_untracked()),
        };
        if input.display_name.is_empty() {
            errors.set(FormErrors::field("display_name", "Enter the user’s name"));
            focus_error_summary();
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            match api::users::update(id, version, &input).await {
                Ok(saved) => {
                    session.flash.set(Some(format!("{} has been changed", saved.display_name)));
                    navigate("/users", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &FIELDS, "user"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };
    let choices: Vec<Choice> = groups.into_iter().map(|g| Choice { id: g.id, label: g.name, hint: None }).collect();
    let statuses = vec![
        RadioOption { value: UserStatus::Active, label: "Active".to_owned(), hint: None },
        RadioOption {
            value: UserStatus::Disabled,
            label: "Disabled".to_owned(),
            hint: Some("They cannot sign in, and are signed out at once".to_owned()),
        },
    ];
    let errors = Signal::from(errors);
    view! {
        <h2 class="govuk-heading-m">"Change this user"</h2>
        <form method="post" novalidate=true on:submit=submit>
            <TextInput id="display_name" label="Name" value=name errors class="govuk-!-width-two-thirds"/>
            <Radios name="status" legend="Status" options=statuses value=status errors/>
            <div class="govuk-form-group">
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Groups"</legend>
                    <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        <IdCheckboxes name="group_ids" choices chosen/>
                    </div>
                </fieldset>
            </div>
            {has_password.then(|| view! {
                <div class="govuk-form-group">
                    <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        <div class="govuk-checkboxes__item">
                            <input class="govuk-checkboxes__input" id="break_glass" name="break_glass" type="checkbox"
                                aria-describedby="break_glass-hint"
                                prop:checked=move || break_glass.get()
                                on:change=move |ev| break_glass.set(event_target_checked(&ev))/>
                            <label class="govuk-label govuk-checkboxes__label" for="break_glass">"Break-glass account"</label>
                            <div class="govuk-hint govuk-checkboxes__hint" id="break_glass-hint">
                                "May sign in with a password even when password sign-in is limited, for emergencies"
                            </div>
                        </div>
                    </div>
                </div>
            })}
            <SubmitOrCancel label="Save changes" pending cancel="/users".to_owned()/>
        </form>
    }
}
