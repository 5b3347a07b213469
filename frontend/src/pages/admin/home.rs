//! `/admin`: where "Administration" in the menu leads, a list of the administration pages with
//! what each is for. The same pages are in the administration menu on each of them.

use api_types::{PermissionArea, PermissionLevel};
use leptos::prelude::*;

use crate::dom;
use crate::pages::problem::NoAccess;
use crate::session::Session;

/// Each page: address, name, what it is for, and whether changing settings is needed to see it.
const PAGES: [(&str, &str, &str, bool); 8] = [
    ("/users", "Users", "Add people, change their groups, deactivate them.", false),
    ("/admin/groups", "Groups", "What each group may do, area by area.", false),
    ("/admin/sessions", "Sessions", "Who is signed in now; end a session.", false),
    (
        "/admin/entra",
        "Entra ID",
        "Sign-in with Microsoft, and which directory groups and roles give which groups here.",
        false,
    ),
    ("/admin/teams", "Teams", "Teams of officers that queries are assigned to.", true),
    ("/admin/query-types", "Query types", "The types and sub-types queries are sorted into for reports.", true),
    (
        "/admin/workflows",
        "Statuses and workflows",
        "The statuses, the moves between them, and what each move asks for.",
        true,
    ),
    ("/admin/api-tokens", "API tokens", "Every API token in the tenant; revoke one.", false),
];

#[component]
pub fn AdminHome() -> impl IntoView {
    dom::set_title("Administration", false);
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let items = PAGES
        .iter()
        .filter(|(_, _, _, changes)| !changes || level >= PermissionLevel::ReadWrite)
        .map(|(href, name, what, _)| {
            view! {
                <li>
                    <h2 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href=*href>{*name}</a></h2>
                    <p class="govuk-body">{*what}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1 class="govuk-heading-l">"Administration"</h1>
        <ul class="govuk-list" id="admin-pages">{items}</ul>
    }
    .into_any()
}
