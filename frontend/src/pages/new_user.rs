//! `/users/new`: add a user with a password and their groups.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{CreateUserRequest, GroupList, PermissionArea, PermissionLevel};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{
    Choice, ErrorMessage, ErrorSummary, FormErrors, FormGroup, IdCheckboxes, TextInput, focus_error_summary,
};
use crate::pages::problem::NoAccess;
use crate::session::Session;

/// The form's fields, in page order.
const FIELDS: [&str; 4] = ["display_name", "email", "password", "group_ids"];
const EMAIL_TAKEN: &str = "A user with this email address already exists";

#[component]
pub fn NewUser() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Add a user", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::ReadWrite {
        return view! { <NoAccess/> }.into_any();
    }

    let navigate = use_navigate();
    let (display_name, email, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let groups = RwSignal::new(None::<GroupList>);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let pending = RwSignal::new(false);

    spawn(async move {
        match api::users::groups().await {
            Ok(list) => groups.set(Some(list)),
            Err(problem) => {
                session.notice(&problem);
                groups.set(Some(GroupList { items: Vec::new() }));
                errors.set(FormErrors::from_problem(&problem, &FIELDS));
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let request = CreateUserRequest {
            email: email.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            group_ids: chosen.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn(async move {
            match api::users::create(&request).await {
                Ok(user) => {
                    session.flash.set(Some(format!("{} has been added", user.display_name)));
                    navigate("/users", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    let shown = if problem.code == ProblemCode::Conflict {
                        FormErrors::field("email", EMAIL_TAKEN)
                    } else {
                        FormErrors::from_problem(&problem, &FIELDS)
                    };
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
                <h1 class="govuk-heading-l">"Add a user"</h1>
                <form method="post" novalidate=true on:submit=on_submit>
                    <TextInput id="display_name" label="Full name" value=display_name errors/>
                    <TextInput id="email" label="Email address" value=email errors input_type="email"/>
                    <TextInput id="password" label="Password" value=password errors input_type="password"
                        autocomplete="new-password" hint="At least 12 characters. Share it with the user securely."/>
                    {move || groups.get().map(|list| view! { <GroupChoices groups=list chosen errors/> })}
                    <div class="govuk-button-group">
                        <button type="submit" class="govuk-button" data-module="govuk-button">"Add user"</button>
                        <a class="govuk-link" href="/users">"Cancel"</a>
                    </div>
                </form>
            </div>
        </div>
    }
    .into_any()
}

/// The groups as GOV.UK checkboxes; the first box has the id the error summary links to.
#[component]
fn GroupChoices(groups: GroupList, chosen: RwSignal<Vec<Uuid>>, errors: Signal<FormErrors>) -> impl IntoView {
    const FIELD: &str = "group_ids";
    if groups.items.is_empty() {
        return view! { <p class="govuk-body">"There are no groups yet, so the user will have no permissions."</p> }
            .into_any();
    }
    let error = Memo::new(move |_| errors.with(|e| e.message(FIELD)));
    let described_by = move || {
        if error.with(Option::is_some) { format!("{FIELD}-hint {FIELD}-error") } else { format!("{FIELD}-hint") }
    };
    let choices: Vec<Choice> = groups
        .items
        .into_iter()
        .map(|g| Choice { id: g.id, label: g.name, hint: (!g.description.is_empty()).then_some(g.description) })
        .collect();
    view! {
        <FormGroup error=error>
            <fieldset class="govuk-fieldset" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Groups"</legend>
                <div class="govuk-hint" id=format!("{FIELD}-hint")>"Select all that apply. Groups give the user their permissions."</div>
                {move || error.get().map(|message| view! { <ErrorMessage id=format!("{FIELD}-error") message/> })}
                <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                    <IdCheckboxes name=FIELD choices chosen/>
                </div>
            </fieldset>
        </FormGroup>
    }
    .into_any()
}
