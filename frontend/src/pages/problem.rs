//! Pages for when the user cannot go on: no permission, or the service failed.

use api_types::Problem;
use leptos::prelude::*;

use crate::dom;
use crate::forms::describe;

/// For a signed-in user without the permission a page needs (or a 403 from the API).
#[component]
pub fn NoAccess() -> impl IntoView {
    Effect::new(|_| dom::set_title("You do not have access to this page", false));
    view! {
        <h1 class="govuk-heading-l">"You do not have access to this page"</h1>
        <p class="govuk-body">"Ask an administrator of your organisation if you need access."</p>
        <p class="govuk-body"><a class="govuk-link" href="/">"Go to the home page"</a></p>
    }
}

/// For a failure the user cannot fix (server error, network down).
#[component]
pub fn ServiceProblem(problem: Problem) -> impl IntoView {
    Effect::new(|_| dom::set_title("Sorry, there is a problem with the service", false));
    view! {
        <h1 class="govuk-heading-l">"Sorry, there is a problem with the service"</h1>
        <p class="govuk-body">{describe(&problem)}</p>
    }
}
