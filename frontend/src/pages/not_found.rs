//! The page for client routes that do not exist.

use leptos::prelude::*;

use crate::dom;

#[component]
pub fn NotFound() -> impl IntoView {
    Effect::new(|_| dom::set_title("Page not found", false));
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Page not found"</h1>
                <p class="govuk-body">"If you typed the web address, check it is correct."</p>
                <p class="govuk-body">"If you pasted the web address, check you copied the entire address."</p>
                <p class="govuk-body"><a class="govuk-link" href="/">"Go to the home page"</a></p>
            </div>
        </div>
    }
}
