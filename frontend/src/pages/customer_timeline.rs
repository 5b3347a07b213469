//! The customer page's "Timeline": everything that happened to the customer and their queries
//! (FR-013), newest first, as an MoJ timeline.

use api_types::{Timeline, TimelineEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::forms::describe;
use crate::pages::queries::words::Statuses;
use crate::pages::timeline::TimelineItem;
use crate::session::Session;

#[component]
pub fn CustomerTimeline(customer_id: Uuid, statuses: Statuses) -> impl IntoView {
    let session = Session::expect();
    let timeline = RwSignal::new(None::<Result<Vec<TimelineEvent>, String>>);
    spawn_local(async move {
        let result = api::get::<Timeline>(&format!("/api/v1/customers/{customer_id}/timeline")).await;
        let shown = match result {
            Ok(found) => {
                // The API gives time order; newest first reads best on a busy record.
                let mut items = found.items;
                items.reverse();
                Ok(items)
            }
            Err(problem) => {
                session.notice(&problem);
                Err(describe(&problem))
            }
        };
        timeline.set(Some(shown));
    });
    let body = move || match timeline.get() {
        None => view! { <p class="govuk-body">"Loading the timeline…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="govuk-body">"Nothing has happened yet."</p> }.into_any()
        }
        Some(Ok(items)) => {
            let items =
                items.into_iter().map(|event| view! { <TimelineItem event statuses query_links=true/> }).collect_view();
            view! { <div class="moj-timeline" id="customer-timeline">{items}</div> }.into_any()
        }
    };
    view! {
        <h2 class="govuk-heading-m">"Timeline"</h2>
        <p class="govuk-body govuk-hint">"Newest first."</p>
        {body}
    }
}
