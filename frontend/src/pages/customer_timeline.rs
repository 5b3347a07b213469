//! The customer page's "Timeline": everything that happened to the customer and their queries
//! (FR-013), newest first, as an MoJ timeline.

use api_types::TimelineEvent;
use leptos::prelude::*;

use crate::pages::queries::words::Statuses;
use crate::pages::timeline::TimelineItem;

/// `events` came with the customer (`GET /customers/{id}/overview`), oldest first.
#[component]
pub fn CustomerTimeline(events: Vec<TimelineEvent>, statuses: Statuses) -> impl IntoView {
    let body = if events.is_empty() {
        view! { <p class="govuk-body">"Nothing has happened yet."</p> }.into_any()
    } else {
        // The API gives time order; newest first reads best on a busy record.
        let items = events
            .into_iter()
            .rev()
            .map(|event| view! { <TimelineItem event statuses query_links=true/> })
            .collect_view();
        view! { <div class="moj-timeline" id="customer-timeline">{items}</div> }.into_any()
    };
    view! {
        <h2 class="govuk-heading-m">"Timeline"</h2>
        <p class="govuk-body govuk-hint">"Newest first."</p>
        {body}
    }
}
