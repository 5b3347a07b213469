//! The customer page's "Timeline": everything that happened to the customer and their queries
//! (FR-013), newest first, as an MoJ timeline.

use api_types::Timeline;
use leptos::prelude::*;
use std::sync::Arc;

use crate::pages::queries::words::Statuses;
use crate::pages::timeline::TimelineItem;

/// The timeline came with the customer (`GET /customers/{id}/overview`), oldest first.
#[component]
pub fn CustomerTimeline(timeline: Timeline, statuses: Statuses) -> impl IntoView {
    let Timeline { items: events, names } = timeline;
    let names = Arc::new(names);
    let body = if events.is_empty() {
        view! { <p class="govuk-body">"Nothing has happened yet."</p> }.into_any()
    } else {
        // The API gives time order; newest first reads best on a busy record.
        let items = events
            .into_iter()
            .rev()
            .map(|event| view! { <TimelineItem event statuses query_links=true names=names.clone()/> })
            .collect_view();
        view! { <div class="moj-timeline" id="customer-timeline">{items}</div> }.into_any()
    };
    view! {
        <h2 class="govuk-heading-m">"Timeline"</h2>
        <p class="govuk-body govuk-hint">"Newest first."</p>
        {body}
    }
}
