//! `/users`: the users of the tenant, for administrators, a page at a time.

use api_types::ProblemCode;
use api_types::{PermissionArea, PermissionLevel, User, UserStatus};
use leptos::prelude::*;

use crate::api::{self};
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::paged_list::{LoadMore, use_paged_list};
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{Column, Table, column};

const PAGE_SIZE: u32 = 50;

const USERS_COLUMNS: &[Column] = &[column("Name"), column("Email address"), column("Status"), column("Created")];

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

    let users = use_paged_list(session, PAGE_SIZE, |params| async move { api::users::list(&params).await }, row_id);
    users.restart();

    let can_add = level >= PermissionLevel::ReadWrite;
    let body = move || {
        if let Some(problem) = users.failure.get() {
            return if problem.code == ProblemCode::Forbidden {
                view! { <NoAccess/> }.into_any()
            } else {
                view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any()
            };
        }
        if !users.loaded.get() {
            return view! { <p class="govuk-body">"Loading…"</p> }.into_any();
        }
        view! {
            <UserTable users=users.items.into()/>
            <LoadMore list=users/>
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
        <Table id="users" caption="Users" columns=USERS_COLUMNS>
            <For each=move || users.get() key=|user| user.id let:user>
                    <UserRow user/>
                </For>
        </Table>
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
