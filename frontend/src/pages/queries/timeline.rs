//! The query page's own timeline: everything that happened to this query (logged, status
//! changes, assignments, notes, contacts, corrections), newest first, as an MoJ timeline.

use api_types::{Timeline, TimelineEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::directory::Directory;
use crate::forms::describe;
use crate::pages::queries::words::Statuses;
use crate::pages::timeline::TimelineItem;
use crate::session::Session;

/// `refresh` changes whenever the page has changed the query (a note, an assignment), so the
/// timeline is read again.
#[component]
pub fn QueryTimeline(query_id: Uuid, statuses: Statuses, directory: Directory, refresh: Signal<u32>) -> impl IntoView {
    let session = Session::expect();
    let timeline = RwSignal::new(None::<Result<Vec<TimelineEvent>, String>>);
    Effect::new(move |_| {
        refresh.track();
        spawn_local(async move {
            let shown = match api::get::<Timeline>(&format!("/api/v1/queries/{query_id}/timeline")).await {
                Ok(found) => {
                    // The API gives time order; the latest matters most.
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
    });
    let body = move || match timeline.get() {
        None => view! { <p class="govuk-body">"Loading the timeline…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="govuk-body">"Nothing has happened yet."</p> }.into_any()
        }
        Some(Ok(items)) => {
            let items = items
                .into_iter()
                .map(|event| view! { <TimelineItem event statuses query_links=false directory/> })
                .collect_view();
            view! { <div class="moj-timeline" id="query-timeline">{items}</div> }.into_any()
        }
    };
    view! {
        <h2 class="govuk-heading-m" id="timeline-heading">"Timeline"</h2>
        <p class="govuk-body govuk-hint">"Newest first."</p>
        {body}
    }
}
