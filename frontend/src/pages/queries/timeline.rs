//! The query page's own timeline: everything that happened to this query (logged, status
//! changes, assignments, notes, contacts, corrections), newest first, as an MoJ timeline.

use crate::tasks::spawn_for_this_run;
use api_types::TimelineEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::describe;
use crate::pages::queries::words::Statuses;
use crate::pages::timeline::{Names, TimelineItem};
use crate::session::Session;
use std::sync::Arc;

/// `refresh` changes whenever the page has changed the query (a note, an assignment), so the
/// timeline is read again.
#[component]
pub fn QueryTimeline(query_id: Uuid, statuses: Statuses, refresh: Signal<u32>) -> impl IntoView {
    let session = Session::expect();
    let timeline = RwSignal::new(None::<Result<(Vec<TimelineEvent>, Names), String>>);
    Effect::new(move |_| {
        refresh.track();
        spawn_for_this_run(async move {
            let shown = match api::queries::timeline(query_id).await {
                Ok(found) => {
                    // The API gives time order; the latest matters most.
                    let mut items = found.items;
                    items.reverse();
                    Ok((items, Arc::new(found.names)))
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
        Some(Ok((items, _))) if items.is_empty() => {
            view! { <p class="govuk-body">"Nothing has happened yet."</p> }.into_any()
        }
        Some(Ok((items, names))) => {
            let items = items
                .into_iter()
                .map(|event| view! { <TimelineItem event statuses query_links=false names=names.clone()/> })
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
