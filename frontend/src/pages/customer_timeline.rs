//! The customer page's "Timeline": everything that happened to the customer and their queries
//! (FR-013), newest first, as an MoJ timeline.

use api_types::{Timeline, TimelineEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

use crate::api;
use crate::forms::describe;
use crate::pages::queries::words::{Statuses, channel_from_key, channel_name};
use crate::session::Session;
use crate::time;

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
            let items = items.into_iter().map(|event| view! { <Item event statuses/> }).collect_view();
            view! { <div class="moj-timeline" id="customer-timeline">{items}</div> }.into_any()
        }
    };
    view! {
        <h2 class="govuk-heading-m">"Timeline"</h2>
        <p class="govuk-body govuk-hint">"Newest first."</p>
        {body}
    }
}

/// A readable title for an event's kind; kinds added later still show, as plain words.
fn title(kind: &str) -> String {
    match kind {
        "customer.created" => "Customer created".to_owned(),
        "customer.updated" => "Customer details updated".to_owned(),
        "query.received" => "Query received".to_owned(),
        "query.logged" => "Query logged".to_owned(),
        "query.status_changed" => "Query status changed".to_owned(),
        other => {
            let words = other.replace(['.', '_'], " ");
            let mut chars = words.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// The customer fields named in a `customer.updated` event, as people call them.
fn field_name(field: &str) -> String {
    match field {
        "given_name" => "given name".to_owned(),
        "family_name" => "family name".to_owned(),
        "emails" => "email addresses".to_owned(),
        "phones" => "phone numbers".to_owned(),
        "contact_needs" => "contact needs".to_owned(),
        "preferred_channel" => "preferred channel".to_owned(),
        other => other.replace('_', " "),
    }
}

fn text<'a>(details: &'a Value, key: &str) -> Option<&'a str> {
    details.get(key).and_then(Value::as_str)
}

#[component]
fn Item(event: TimelineEvent, statuses: Statuses) -> impl IntoView {
    let (at, iso) = time::date_time(&event.at);
    let details = event.details.clone();
    let description = match event.kind.as_str() {
        "customer.created" => text(&details, "display_name").map(|name| format!("Added as {name}.")),
        "customer.updated" => {
            let changed: Vec<String> = details
                .get("changed")
                .and_then(Value::as_array)
                .map(|fields| fields.iter().filter_map(Value::as_str).map(field_name).collect())
                .unwrap_or_default();
            (!changed.is_empty()).then(|| format!("Changed: {}.", changed.join(", ")))
        }
        "query.received" => text(&details, "channel")
            .and_then(channel_from_key)
            .map(|c| format!("By {}.", channel_name(c).to_lowercase())),
        _ => None,
    };
    // Status names resolve once the tenant's statuses have loaded.
    let status_change = (event.kind == "query.status_changed").then(|| {
        let id = |key| text(&details, key).and_then(|raw| Uuid::parse_str(raw).ok());
        let (from, to) = (id("from_status_id"), id("to_status_id"));
        move || {
            let name = |id: Option<Uuid>| id.map_or_else(|| "Unknown status".to_owned(), |id| statuses.name(id));
            format!("From {} to {}.", name(from), name(to))
        }
    });
    let query_link = event.query_id.map(|id| {
        let reference = text(&details, "reference").unwrap_or("the query").to_owned();
        let subject = text(&details, "subject").map(|s| format!(": {s}")).unwrap_or_default();
        view! {
            <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere">
                <a class="govuk-link" href=format!("/queries/{id}")>{reference}{subject}</a>
            </p>
        }
    });
    view! {
        <div class="moj-timeline__item">
            <div class="moj-timeline__header">
                <h3 class="moj-timeline__title">{title(&event.kind)}</h3>
            </div>
            <p class="moj-timeline__date"><time datetime=iso>{at}</time></p>
            <div class="moj-timeline__description">
                {query_link}
                {description.map(|d| view! { <p class="govuk-body govuk-!-margin-bottom-0">{d}</p> })}
                {status_change.map(|d| view! { <p class="govuk-body govuk-!-margin-bottom-0">{d}</p> })}
            </div>
        </div>
    }
}
