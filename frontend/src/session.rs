//! Who is signed in, shared by every page through the Leptos context.
//!
//! The SPA asks `GET /api/v1/me` once at start-up; the answer (or a 401 from any later call)
//! decides whether pages render or the browser is sent to `/sign-in`.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{Me, Problem};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_location, use_navigate},
};

use crate::api;
use crate::dom;
use crate::pages::problem::ServiceProblem;

/// What the SPA knows about the session.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// `GET /api/v1/me` has not answered yet.
    Checking,
    SignedOut,
    SignedIn(Box<Me>),
    /// The server could not say (network failure, server error).
    Unavailable(Problem),
}

/// The session state plus a one-shot message for the next page (a "flash").
#[derive(Clone, Copy, Debug)]
pub struct Session {
    pub auth: RwSignal<Auth>,
    /// A success message the next page shows once in a notification banner.
    pub flash: RwSignal<Option<String>>,
    /// Why the session ended, when the server said (signed in elsewhere, or ended by an
    /// administrator): the sign-in page says so instead of just asking to sign in.
    pub ended: RwSignal<Option<String>>,
}

impl Session {
    /// The one-shot message left for this page by the one before, focusing its banner if there is one.
    pub fn take_flash(self) -> Option<String> {
        let flash = self.flash.get_untracked();
        if flash.is_some() {
            self.flash.set(None);
            crate::dom::focus_soon(crate::forms::BANNER_ID);
        }
        flash
    }

    /// Creates the session, puts it in the context and starts asking who is signed in.
    pub fn provide() -> Self {
        let session =
            Self { auth: RwSignal::new(Auth::Checking), flash: RwSignal::new(None), ended: RwSignal::new(None) };
        provide_context(session);
        spawn(async move {
            let auth = match api::auth::me().await {
                Ok(me) => Auth::SignedIn(Box::new(me)),
                Err(problem) if is_unauthenticated(&problem) => {
                    session.remember_why(&problem);
                    Auth::SignedOut
                }
                Err(problem) => Auth::Unavailable(problem),
            };
            session.auth.set(auth);
        });
        session
    }

    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The signed-in principal (reactive).
    pub fn me(&self) -> Option<Me> {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(me) => Some(me.as_ref().clone()),
            _ => None,
        })
    }

    /// The signed-in principal, read once (for a component's set-up code).
    pub fn me_untracked(&self) -> Option<Me> {
        self.auth.with_untracked(|auth| match auth {
            Auth::SignedIn(me) => Some(me.as_ref().clone()),
            _ => None,
        })
    }

    /// Call with any API failure: a 401 means the session ended (it expired, or the user signed
    /// in somewhere else), so the app goes back to the sign-in page.
    pub fn notice(&self, problem: &Problem) {
        if is_unauthenticated(problem) {
            self.remember_why(problem);
            self.auth.set(Auth::SignedOut);
        }
    }

    /// An action that failed, not over one field: noticed as above, and the page's error
    /// summary says what happened and takes the focus.
    pub fn show_failure(&self, errors: RwSignal<crate::forms::FormErrors>, problem: &Problem) {
        self.notice(problem);
        errors.set(crate::forms::FormErrors { fields: Vec::new(), general: Some(crate::forms::describe(problem)) });
        crate::forms::focus_error_summary();
    }

    fn remember_why(&self, problem: &Problem) {
        if [ProblemCode::SignedInElsewhere, ProblemCode::SessionEndedByAdministrator].contains(&problem.code) {
            self.ended.set(Some(problem.title.clone()));
        }
    }
}

/// `/sign-in`, asking to come back to `here` afterwards unless it is the home page.
pub fn sign_in_path(here: &str) -> String {
    let back = api_types::auth::safe_return_path(Some(here));
    if back == "/" || back.starts_with("/sign-in") {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in?{RETURN_TO}={}", dom::url_encode(&back))
    }
}

/// The sign-in page's parameter for where to go next (the same as Entra ID sign-in's).
pub const RETURN_TO: &str = "return_to";

fn is_unauthenticated(problem: &Problem) -> bool {
    problem.status == 401 || problem.code == ProblemCode::Unauthenticated
}

/// Where [`RequireSignIn`] stands; a small value so pages re-render only when it changes.
#[derive(Clone, Debug, PartialEq)]
enum Gate {
    Wait,
    Out,
    In,
    Down(Problem),
}

/// Renders its children only for a signed-in user; anyone else is sent to `/sign-in`.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = Session::expect();
    let gate = Memo::new(move |_| {
        session.auth.with(|auth| match auth {
            Auth::Checking => Gate::Wait,
            Auth::SignedOut => Gate::Out,
            Auth::SignedIn(_) => Gate::In,
            Auth::Unavailable(problem) => Gate::Down(problem.clone()),
        })
    });
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if gate.get() == Gate::Out {
            // Come back here after signing in (a link opened while signed out, or a page whose
            // session ended under it).
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            navigate(&sign_in_path(&here), NavigateOptions { replace: true, ..Default::default() });
        }
    });
    move || match gate.get() {
        Gate::In => {
            crate::tasks::provide_page_scope();
            children().into_any()
        }
        Gate::Down(problem) => view! { <ServiceProblem problem/> }.into_any(),
        Gate::Wait | Gate::Out => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
    }
}
