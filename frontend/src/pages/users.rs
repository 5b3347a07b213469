//! `/users`: the users of the tenant, for administrators, a page at a time.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{PermissionArea, PermissionLevel, Problem, User, UserStatus};
use leptos::prelude::*;

use crate::api::{self, Params};
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::pages::problem::NoAccess;
use crate::session::Session;

const PAGE_SIZE: u32 = 50;

#[component]
pub fn Users() -> impl IntoView {
    Effect::new(|_| dom::set_title("Users", false));
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    // A message left by the page before (a user was just added), shown once.
    let flash = session.take_flash();

    let users = RwSignal::new(Vec::<User>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let failure = RwSignal::new(None::<Problem>);
    let pending = RwSignal::new(false);

    let load = move |cursor: Option<String>| {
        pending.set(true);
        spawn(async move {
            match api::users::list(&Params::limit(PAGE_SIZE).after(cursor.as_deref())).await {
                Ok(page) => {
                    let first_new = page.items.first().map(row_id);
                    users.update(|all| all.extend(page.items));
                    next_cursor.set(page.next_cursor);
                    // After "Load more", continue from the first new row rather than losing focus.
                    if let (Some(id), Some(_)) = (first_new, cursor) {
                        dom::focus_soon(id);
                    }
                }
                Err(problem) => {
                    session.notice(&problem);
                    failure.set(Some(problem));
                }
            }
            loaded.set(true);
            pending.set(false);
        });
    };
    load(None);

    let can_add = level >= PermissionLevel::ReadWrite;
    let body = move || {
        if let Some(problem) = failure.get() {
            return if problem.code == ProblemCode::Forbidden {
                view! { <NoAccess/> }.into_any()
            } else {
                view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any()
            };
        }
        if !loaded.get() {
            return view! { <p class="govuk-body">"Loading…"</p> }.into_any();
        }
        view! {
            <UserTable users=users.into()/>
            {move || next_cursor.get().map(|cursor| view! {
                <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    disabled=move || pending.get() on:click=move |_| load(Some(cursor.clone()))>
                    "Load more"
                </button>
            })}
        }
        .into_any()
    };

    view! {
        {flash.map(|message| view! { <SuccessBanner message/> })}
        <h1 class="govuk-heading-l">"Users"</h1>
        {can_add.then(|| view! {
            <a href="/users/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a user"</a>
        })}
        {body}
    }
    .into_any()
}

#[component]
fn UserTable(users: Signal<Vec<User>>) -> impl IntoView {
    view! {
        // At 320px the table may be wider than the screen: it scrolls on its own (WCAG 1.4.10
        // allows that for data tables) and the region can be scrolled from the keyboard.
        <div class="app-table-container" role="region" aria-label="Users" tabindex="0">
        <table class="govuk-table" id="users">
            <caption class="govuk-table__caption govuk-visually-hidden">"Users"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Name"</th>
                    <th scope="col" class="govuk-table__header">"Email address"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header">"Created"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                <For each=move || users.get() key=|user| user.id let:user>
                    <UserRow user/>
                </For>
            </tbody>
        </table>
        </div>
        <p class="govuk-body" aria-live="polite">
            {move || match users.with(Vec::len) {
                1 => "Showing 1 user".to_owned(),
                n => format!("Showing {n} users"),
            }}
        </p>
    }
}

#[component]
fn UserRow(user: User) -> impl IntoView {
    let (created, created_iso) = dom::london_date(user.created_at.timestamp_millis());
    let id = row_id(&user);
    let (status_class, status) = match user.status {
        UserStatus::Active => ("govuk-tag govuk-tag--green", "Active"),
        UserStatus::Disabled => ("govuk-tag govuk-tag--grey", "Disabled"),
    };
    view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header" id=id tabindex="-1">
                <a class="govuk-link" href=format!("/users/{}", user.id)>{user.display_name}</a>
            </th>
            <td class="govuk-table__cell app-wrap-anywhere">{user.email}</td>
            <td class="govuk-table__cell"><strong class=status_class>{status}</strong></td>
            <td class="govuk-table__cell app-nowrap"><time datetime=created_iso>{created}</time></td>
        </tr>
    }
}

fn row_id(user: &User) -> String {
    format!("user-{}", user.id)
}
