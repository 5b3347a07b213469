//! `/sign-in`: "Sign in with Microsoft" (when the organisation has Entra ID set up), and email
//! and password (and the organisation, when the deployment has several). A Microsoft sign-in
//! that fails comes back here with `?error=<code>`, explained at the top of the page.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{AuthOptions, SignInRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::api::{self, Params};
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, TextInput, focus_error_summary};
use crate::session::{Auth, RETURN_TO, Session};

/// The form's fields, in page order.
const FIELDS: [&str; 3] = ["organisation", "email", "password"];
const WRONG_CREDENTIALS: &str = "Enter a correct email address and password";

/// What to tell someone sent back from a Microsoft sign-in, by the server's code.
fn entra_failure(code: &str) -> &'static str {
    match code {
        "entra_not_configured" => {
            "Your organisation has not set up Microsoft sign-in here. Sign in with your password."
        }
        "entra_unavailable" => "Microsoft sign-in could not be reached. Try again in a few minutes.",
        "sign_in_expired" => "Your Microsoft sign-in took too long or was started in another window. Try again.",
        "account_disabled" => "Your account has been disabled. Ask an administrator.",
        "session_active_elsewhere" => "You are already signed in somewhere else. Sign out there first.",
        _ => "Microsoft did not sign you in. Try again, or ask your administrator.",
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    let session = Session::expect();
    let navigate = use_navigate();
    let options = RwSignal::new(None::<AuthOptions>);
    let errors = RwSignal::new(FormErrors::default());
    let (email, password, organisation) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let pending = RwSignal::new(false);

    Effect::new(move |_| dom::set_title("Sign in", errors.with(|e| !e.is_empty())));
    let query = use_query_map();
    // Where the person was going when asked to sign in (checked: only a path in this app).
    let return_to = api_types::auth::safe_return_path(query.with_untracked(|q| q.get(RETURN_TO)).as_deref());
    let after = return_to.clone();
    if let Some(code) = query.with_untracked(|query| query.get("error")) {
        errors.set(FormErrors { fields: vec![], general: Some(entra_failure(&code).to_owned()) });
        focus_error_summary();
    }

    // Someone signed in has nothing to do here: this also moves on after a successful sign-in,
    // replacing /sign-in in the history so "Back" does not return to the form.
    Effect::new(move |_| {
        if session.auth.with(|auth| matches!(auth, Auth::SignedIn(_))) {
            navigate(&after, NavigateOptions { replace: true, ..Default::default() });
        }
    });

    spawn(async move {
        match api::auth::options().await {
            Ok(found) => options.set(Some(found)),
            Err(problem) => {
                // Offer the plain form; the server says if the organisation is missing.
                options.set(Some(AuthOptions {
                    organisation_required: false,
                    local_sign_in: true,
                    entra_sign_in: false,
                }));
                errors.set(FormErrors::from_problem(&problem, &FIELDS));
            }
        }
    });
    let organisation_required =
        Memo::new(move |_| options.with(|o| o.as_ref().is_some_and(|o| o.organisation_required)));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let request = SignInRequest {
            organisation: organisation_required.get_untracked().then(|| organisation.get_untracked().trim().to_owned()),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        spawn(async move {
            match api::auth::sign_in(&request).await {
                Ok(me) => {
                    errors.set(FormErrors::default());
                    session.ended.set(None);
                    session.auth.set(Auth::SignedIn(Box::new(me)));
                }
                Err(problem) => {
                    let shown = if problem.code == ProblemCode::InvalidCredentials {
                        FormErrors::field("email", WRONG_CREDENTIALS)
                    } else {
                        FormErrors::from_problem(&problem, &FIELDS)
                    };
                    // Never leave a rejected password in the form.
                    password.set(String::new());
                    errors.set(shown);
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };

    let errors = Signal::from(errors);
    // Wait for both answers: someone already signed in is about to be sent home instead.
    let signed_out = Memo::new(move |_| session.auth.with(|auth| !matches!(auth, Auth::Checking | Auth::SignedIn(_))));
    let form = move || {
        options.get().filter(|_| signed_out.get()).map(|found| {
            let microsoft = found.entra_sign_in.then(|| {
                // A real navigation (rel=external keeps the router's hands off): the server sends
                // the browser on to Entra ID and back.
                let return_to = return_to.clone();
                let href = move || {
                    let mut params = Params::none().with(RETURN_TO, &return_to);
                    if organisation_required.get() {
                        params = params.with("organisation", organisation.get().trim());
                    }
                    let hint = email.get();
                    if !hint.trim().is_empty() {
                        params = params.with("login_hint", hint.trim());
                    }
                    api::auth::entra_start_href(params)
                };
                view! {
                    <p class="govuk-body">"Use your organisation’s Microsoft account."</p>
                    <a href=href rel="external" role="button" draggable="false" class="govuk-button" data-module="govuk-button"
                        id="sign-in-with-microsoft">"Sign in with Microsoft"</a>
                    <h2 class="govuk-heading-m">"Or sign in with a password"</h2>
                }
            });
            if !found.local_sign_in {
                return view! { {microsoft}<p class="govuk-body">"Password sign-in is turned off for this service."</p> }.into_any();
            }
            view! {
                {microsoft}
                <form method="post" novalidate=true on:submit=on_submit>
                    {move || organisation_required.get().then(|| view! {
                        <TextInput id="organisation" label="Organisation" value=organisation errors
                            hint="The short name of your organisation" autocomplete="organization"
                            class="govuk-!-width-two-thirds"/>
                    })}
                    <TextInput id="email" label="Email address" value=email errors input_type="email" autocomplete="username"/>
                    <TextInput id="password" label="Password" value=password errors input_type="password" autocomplete="current-password"/>
                    <button type="submit" class="govuk-button" data-module="govuk-button">"Sign in"</button>
                </form>
            }
            .into_any()
        })
    };

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                {move || session.ended.get().map(|why| view! {
                    <div class="govuk-notification-banner" role="region" aria-labelledby="ended-title" id="session-ended">
                        <div class="govuk-notification-banner__header">
                            <h2 class="govuk-notification-banner__title" id="ended-title">"Important"</h2>
                        </div>
                        <div class="govuk-notification-banner__content">
                            <p class="govuk-notification-banner__heading">{why}</p>
                        </div>
                    </div>
                })}
                <h1 class="govuk-heading-l">"Sign in to Casedesk"</h1>
                {form}
            </div>
        </div>
    }
}
