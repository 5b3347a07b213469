//! GOV.UK block pagination for keyset-paged lists: a link back to the first page and one on to
//! the next (a cursor cannot count pages, so there are no numbers).

use leptos::prelude::*;

/// Shown only when there is somewhere to go. `label` names the lists for screen readers
/// ("Pages of queries"); the link texts say which way each goes.
#[component]
pub fn Pagination(
    next: Option<String>,
    first: Option<String>,
    label: &'static str,
    #[prop(default = "Next page")] next_text: &'static str,
    #[prop(default = "First page")] first_text: &'static str,
) -> impl IntoView {
    (next.is_some() || first.is_some()).then(|| {
        view! {
            <nav class="govuk-pagination govuk-pagination--block" aria-label=label>
                {first.map(|href| view! {
                    <div class="govuk-pagination__prev">
                        <a class="govuk-link govuk-pagination__link" href=href rel="first">
                            <span class="govuk-pagination__link-title">{first_text}</span>
                        </a>
                    </div>
                })}
                {next.map(|href| view! {
                    <div class="govuk-pagination__next">
                        <a class="govuk-link govuk-pagination__link" href=href rel="next">
                            <span class="govuk-pagination__link-title">{next_text}</span>
                        </a>
                    </div>
                })}
            </nav>
        }
    })
}
