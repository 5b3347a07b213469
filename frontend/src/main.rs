//! Casedesk's browser app: a Leptos client-side-rendered SPA that talks to the Casedesk JSON API
//! and looks like a UK government case-working service (GOV.UK Frontend and MoJ Frontend
//! classes; the CSS is compiled by `scripts/build-frontend.sh`).
//!
//! Built for `wasm32-unknown-unknown` only; `main` runs when `boot.js` instantiates the module.

mod api;
mod autocomplete;
mod directory;
mod dom;
mod forms;
mod layout;
mod member_picker;
mod paged_list;
mod pages;
mod session;
mod shortcuts;
mod table;
mod tasks;
mod time;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::layout::{Footer, Header, SkipLink};
use crate::pages::admin::{
    api_tokens::AllApiTokens, calendars::Calendars, entra::EntraAdmin, group_form::GroupPage, groups::Groups,
    home::AdminHome, jobs::Jobs, policy_form::PolicyPage, query_types::QueryTypesAdmin, service_levels::ServiceLevels,
    sessions::Sessions, team_form::TeamPage, teams::Teams, workflows::WorkflowsAdmin,
};
use crate::pages::api_tokens::ApiTokens;
use crate::pages::history::{Record, RecordHistory};
use crate::pages::notifications::{Notifications, Unread};
use crate::pages::queries::{
    delete::DeleteQuery,
    edit::EditQuery,
    list::WorkQueue,
    new::NewQuery,
    saved_views::{SaveView, SavedViews},
    view::QueryDetails,
};
use crate::pages::search::SearchResults;
use crate::pages::share::Share;
use crate::pages::user_page::UserPage;
use crate::pages::{
    customer::CustomerDetails, customer_merge::MergeCustomer, customers::Customers, edit_customer::EditCustomer,
    home::Home, new_customer::NewCustomer, new_user::NewUser, not_found::NotFound, sign_in::SignIn, users::Users,
};
use crate::session::{RequireSignIn, Session};
use crate::shortcuts::{KeyboardHelp, KeyboardShortcuts};

fn main() {
    console_error_panic_hook::set_once();
    // GOV.UK Frontend's page template sets these body classes with an inline script; doing it
    // here keeps the Content-Security-Policy free of 'unsafe-inline'.
    if let Some(body) = document().body() {
        // Adding classes to <body> cannot fail in a way worth reporting; the page only looks plainer.
        let _ = body.class_list().add_2("js-enabled", "govuk-frontend-supported");
    }
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = Session::provide();
    // Signed-in pages use the whole width (see `.app-signed-in` in the styles).
    Effect::new(move |_| {
        let signed_in = session.auth.with(|auth| matches!(auth, session::Auth::SignedIn(_)));
        if let Some(body) = document().body() {
            // Toggling a class cannot fail in a way worth reporting; the page only stays narrower.
            let _ = body.class_list().toggle_with_force("app-signed-in", signed_in);
        }
    });
    // The header's unread count, which the notifications page refreshes as it marks them read.
    provide_context(Unread(RwSignal::new(None)));
    view! {
        <Router>
            <SkipLink/>
            <KeyboardShortcuts/>
            <Header/>
            <div class="govuk-width-container">
                // tabindex=-1 lets the skip link move focus here.
                <main class="govuk-main-wrapper" id="main-content" tabindex="-1">
                    <Routes fallback=|| view! { <RequireSignIn><NotFound/></RequireSignIn> }>
                        <Route path=path!("/sign-in") view=SignIn/>
                        <Route path=path!("/") view=|| view! { <RequireSignIn><Home/></RequireSignIn> }/>
                        <Route path=path!("/users") view=|| view! { <RequireSignIn><Users/></RequireSignIn> }/>
                        <Route path=path!("/users/new") view=|| view! { <RequireSignIn><NewUser/></RequireSignIn> }/>
                        <Route path=path!("/users/:id") view=|| view! { <RequireSignIn><UserPage/></RequireSignIn> }/>
                        <Route path=path!("/customers") view=|| view! { <RequireSignIn><Customers/></RequireSignIn> }/>
                        <Route path=path!("/customers/new") view=|| view! { <RequireSignIn><NewCustomer/></RequireSignIn> }/>
                        <Route path=path!("/customers/:id") view=|| view! { <RequireSignIn><CustomerDetails/></RequireSignIn> }/>
                        <Route path=path!("/customers/:id/edit") view=|| view! { <RequireSignIn><EditCustomer/></RequireSignIn> }/>
                        <Route path=path!("/queries") view=|| view! { <RequireSignIn><WorkQueue/></RequireSignIn> }/>
                        <Route path=path!("/queries/views") view=|| view! { <RequireSignIn><SavedViews/></RequireSignIn> }/>
                        <Route path=path!("/queries/views/new") view=|| view! { <RequireSignIn><SaveView/></RequireSignIn> }/>
                        <Route path=path!("/queries/new") view=|| view! { <RequireSignIn><NewQuery/></RequireSignIn> }/>
                        <Route path=path!("/queries/:id") view=|| view! { <RequireSignIn><QueryDetails/></RequireSignIn> }/>
                        <Route path=path!("/queries/:id/edit") view=|| view! { <RequireSignIn><EditQuery/></RequireSignIn> }/>
                        <Route path=path!("/queries/:id/delete") view=|| view! { <RequireSignIn><DeleteQuery/></RequireSignIn> }/>
                        <Route path=path!("/queries/:id/history") view=|| view! { <RequireSignIn><RecordHistory record=Record::Query/></RequireSignIn> }/>
                        <Route path=path!("/queries/:id/share") view=|| view! { <RequireSignIn><Share record=Record::Query/></RequireSignIn> }/>
                        <Route path=path!("/customers/:id/history") view=|| view! { <RequireSignIn><RecordHistory record=Record::Customer/></RequireSignIn> }/>
                        <Route path=path!("/customers/:id/share") view=|| view! { <RequireSignIn><Share record=Record::Customer/></RequireSignIn> }/>
                        <Route path=path!("/customers/:id/merge") view=|| view! { <RequireSignIn><MergeCustomer/></RequireSignIn> }/>
                        <Route path=path!("/help/keyboard") view=|| view! { <RequireSignIn><KeyboardHelp/></RequireSignIn> }/>
                        <Route path=path!("/search") view=|| view! { <RequireSignIn><SearchResults/></RequireSignIn> }/>
                        <Route path=path!("/notifications") view=|| view! { <RequireSignIn><Notifications/></RequireSignIn> }/>
                        <Route path=path!("/account/api-tokens") view=|| view! { <RequireSignIn><ApiTokens/></RequireSignIn> }/>
                        <Route path=path!("/admin") view=|| view! { <RequireSignIn><AdminHome/></RequireSignIn> }/>
                        <Route path=path!("/admin/api-tokens") view=|| view! { <RequireSignIn><AllApiTokens/></RequireSignIn> }/>
                        <Route path=path!("/admin/sessions") view=|| view! { <RequireSignIn><Sessions/></RequireSignIn> }/>
                        <Route path=path!("/admin/entra") view=|| view! { <RequireSignIn><EntraAdmin/></RequireSignIn> }/>
                        <Route path=path!("/admin/groups") view=|| view! { <RequireSignIn><Groups/></RequireSignIn> }/>
                        <Route path=path!("/admin/groups/new") view=|| view! { <RequireSignIn><GroupPage/></RequireSignIn> }/>
                        <Route path=path!("/admin/groups/:id") view=|| view! { <RequireSignIn><GroupPage/></RequireSignIn> }/>
                        <Route path=path!("/admin/teams") view=|| view! { <RequireSignIn><Teams/></RequireSignIn> }/>
                        <Route path=path!("/admin/teams/new") view=|| view! { <RequireSignIn><TeamPage/></RequireSignIn> }/>
                        <Route path=path!("/admin/teams/:id") view=|| view! { <RequireSignIn><TeamPage/></RequireSignIn> }/>
                        <Route path=path!("/admin/query-types") view=|| view! { <RequireSignIn><QueryTypesAdmin/></RequireSignIn> }/>
                        <Route path=path!("/admin/calendars") view=|| view! { <RequireSignIn><Calendars/></RequireSignIn> }/>
                        <Route path=path!("/admin/jobs") view=|| view! { <RequireSignIn><Jobs/></RequireSignIn> }/>
                        <Route path=path!("/admin/service-levels") view=|| view! { <RequireSignIn><ServiceLevels/></RequireSignIn> }/>
                        <Route path=path!("/admin/workflows") view=|| view! { <RequireSignIn><WorkflowsAdmin/></RequireSignIn> }/>
                        <Route path=path!("/admin/service-levels/new") view=|| view! { <RequireSignIn><PolicyPage/></RequireSignIn> }/>
                        <Route path=path!("/admin/service-levels/:id") view=|| view! { <RequireSignIn><PolicyPage/></RequireSignIn> }/>
                    </Routes>
                </main>
            </div>
            <Footer/>
        </Router>
    }
}
