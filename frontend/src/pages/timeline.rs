//! One MoJ timeline item, shared by the customer's timeline and a query's own: a readable title
//! for each kind of event and what it says (statuses and people by name, the text of notes
//! and contacts). Kinds added later still show, as plain words.

use api_types::TimelineEvent;
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

use crate::pages::queries::words::{Statuses, channel_from_key, channel_name};
use crate::time;

fn title(kind: &str) -> String {
    match kind {
        "customer.created" => "Customer created".to_owned(),
        "customer.updated" => "Customer details updated".to_owned(),
        "customer.merged" => "Customer merged".to_owned(),
        "query.received" => "Query received".to_owned(),
        "query.logged" => "Query logged".to_owned(),
        "query.status_changed" => "Query status changed".to_owned(),
        "query.assigned" => "Query assigned".to_owned(),
        "query.note_added" => "Note added".to_owned(),
        "query.contact_recorded" => "Contact recorded".to_owned(),
        "query.updated" => "Query details changed".to_owned(),
        "query.deleted" => "Query deleted".to_owned(),
        "query.sla_breached" => "Service level missed".to_owned(),
        "query.escalated" => "Query escalated".to_owned(),
        "query.retimed" => "Service level re-timed".to_owned(),
        "query.workflow_moved" => "Moved to the current workflow".to_owned(),
        "document.added" => "Document attached".to_owned(),
        "document.deleted" => "Document deleted".to_owned(),
        "document.renamed" => "Document renamed".to_owned(),
        "document.quarantined" => "Document quarantined".to_owned(),
        other => {
            let words = other.replace(['.', '_'], " ");
            let mut chars = words.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// Customer and query fields named in `*.updated` events, as people call them.
pub fn field_name(field: &str) -> String {
    match field {
        "given_name" => "given name".to_owned(),
        "family_name" => "family name".to_owned(),
        "emails" => "email addresses".to_owned(),
        "phones" => "phone numbers".to_owned(),
        "contact_needs" => "contact needs".to_owned(),
        "preferred_channel" => "preferred channel".to_owned(),
        "customer_id" => "customer".to_owned(),
        "received_at" => "date received".to_owned(),
        "type_id" => "type".to_owned(),
        "assignee_id" => "officer".to_owned(),
        "team_id" => "team".to_owned(),
        "status_id" => "status".to_owned(),
        other => other.replace('_', " "),
    }
}

fn text<'a>(details: &'a Value, key: &str) -> Option<&'a str> {
    details.get(key).and_then(Value::as_str)
}

fn id(details: &Value, key: &str) -> Option<Uuid> {
    text(details, key).and_then(|raw| Uuid::parse_str(raw).ok())
}

/// A contact's direction and channel: "Inbound by phone".
fn contact_line(details: &Value) -> Option<String> {
    let direction = match text(details, "direction")? {
        "inbound" => "From the customer",
        "outbound" => "To the customer",
        other => other,
    };
    let channel = text(details, "channel").and_then(channel_from_key).map(channel_name).unwrap_or("unknown channel");
    Some(format!("{direction}, by {}.", channel.to_lowercase()))
}

/// The names an answer came with (`names` of a timeline or history), shared by its items.
pub type Names = Arc<BTreeMap<Uuid, String>>;

/// The name of `id` from `names`, or `fallback` when it was not given (someone the reader may
/// not see, or a record since removed).
pub fn name_or(names: &Names, id: Uuid, fallback: &str) -> String {
    names.get(&id).cloned().unwrap_or_else(|| fallback.to_owned())
}

/// One event. `query_links`: link each event to its query (on the customer's timeline, where
/// events of several queries mix); `names` names who acted and the officers and teams assigned.
/// "First response" or "Resolution", from a service-level event's `clock`.
fn clock_name(details: &Value) -> &'static str {
    match text(details, "clock") {
        Some("first_response") => "First response",
        _ => "Resolution",
    }
}

/// A service-level event's due time in UK time.
fn due_time(details: &Value) -> String {
    text(details, "due_at")
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        .map(|at| time::date_time(&at.to_utc()).0)
        .unwrap_or_else(|| "its due time".to_owned())
}

#[component]
pub fn TimelineItem(event: TimelineEvent, statuses: Statuses, query_links: bool, names: Names) -> impl IntoView {
    let (at, iso) = time::date_time(&event.at);
    let details = event.details.clone();
    let changed = |details: &Value| -> Option<String> {
        let fields: Vec<String> = details
            .get("changed")
            .and_then(Value::as_array)
            .map(|fields| fields.iter().filter_map(Value::as_str).map(field_name).collect())
            .unwrap_or_default();
        (!fields.is_empty()).then(|| format!("Changed: {}.", fields.join(", ")))
    };
    let description = match event.kind.as_str() {
        "customer.created" => text(&details, "display_name").map(|name| format!("Added as {name}.")),
        "customer.updated" | "query.updated" => changed(&details),
        "customer.merged" => Some(format!(
            "{} was merged into this customer; their queries, notes and history are now here.",
            text(&details, "merged_name").unwrap_or("Another customer record")
        )),
        "query.received" => text(&details, "channel")
            .and_then(channel_from_key)
            .map(|c| format!("By {}.", channel_name(c).to_lowercase())),
        "query.contact_recorded" => contact_line(&details),
        "document.added" => text(&details, "name").map(|name| format!("{name} was attached.")),
        "document.deleted" => text(&details, "name").map(|name| match text(&details, "reason") {
            Some(reason) => format!("{name} was deleted: {reason}"),
            None => format!("{name} was deleted."),
        }),
        "document.renamed" => text(&details, "name")
            .map(|name| format!("{} is now called {name}.", text(&details, "before_name").unwrap_or("A document"))),
        "document.quarantined" => text(&details, "name").map(|name| {
            format!(
                "A virus check found {} in {name}; it can no longer be downloaded.",
                text(&details, "signature").unwrap_or("a virus")
            )
        }),
        "query.sla_breached" => Some(format!("{} was due by {}.", clock_name(&details), due_time(&details))),
        "query.workflow_moved" => {
            Some(format!("Now follows version {} of its workflow.", details["workflow_version"].as_i64().unwrap_or(0)))
        }
        "query.retimed" => {
            let policy = text(&details, "policy").unwrap_or("its policy");
            Some(match text(&details, "due_at") {
                Some(_) => format!("Timed again under “{policy}”: now due by {}.", due_time(&details)),
                None => format!("Timed again under “{policy}”: no clock counts now."),
            })
        }
        "query.escalated" => {
            let team = |key: &str| id(&details, key).map(|t| name_or(&names, t, "another team"));
            let mut parts = vec![format!(
                "{} missed under “{}”.",
                clock_name(&details),
                text(&details, "policy").unwrap_or("its policy")
            )];
            if let Some(to) = team("team_id") {
                parts.push(format!("Handed to the team {to}."));
            }
            if let Some(told) = team("notified_team_id") {
                parts.push(format!("The team {told} was told."));
            }
            Some(parts.join(" "))
        }
        _ => None,
    };
    let body = text(&details, "body").map(str::to_owned).filter(|b| !b.is_empty());
    // Names resolve once the statuses, users and teams have loaded.
    let status_change = (event.kind == "query.status_changed").then(|| {
        let (from, to) = (id(&details, "from_status_id"), id(&details, "to_status_id"));
        move || {
            let name = |id: Option<Uuid>| id.map_or_else(|| "Unknown status".to_owned(), |id| statuses.name(id));
            format!("From {} to {}.", name(from), name(to))
        }
    });
    // The resolution summary or reason the move asked for.
    let why = text(&details, "resolution_summary").or_else(|| text(&details, "reason")).map(str::to_owned);
    let assignment = (event.kind == "query.assigned").then(|| {
        let officer = id(&details, "assignee_id").map(|o| name_or(&names, o, "another officer"));
        let team = id(&details, "team_id").map(|t| name_or(&names, t, "another team"));
        match (officer, team) {
            (None, None) => "Unassigned.".to_owned(),
            (Some(officer), None) => format!("Assigned to {officer}."),
            (None, Some(team)) => format!("Assigned to the team {team}."),
            (Some(officer), Some(team)) => format!("Assigned to {officer}, in the team {team}."),
        }
    });
    let by = match event.actor_id {
        Some(actor) => format!("by {}", name_or(&names, actor, "a colleague")),
        None => "by Casedesk".to_owned(),
    };
    let query_link = event.query_id.filter(|_| query_links).map(|id| {
        let reference = text(&details, "reference").unwrap_or("the query").to_owned();
        let subject = text(&details, "subject").map(|s| format!(": {s}")).unwrap_or_default();
        view! {
            <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere">
                <a class="govuk-link" href=format!("/queries/{id}")>{reference}{subject}</a>
            </p>
        }
    });
    let line = |text: String| view! { <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere">{text}</p> };
    view! {
        <div class="moj-timeline__item">
            <div class="moj-timeline__header">
                <h3 class="moj-timeline__title">{title(&event.kind)}</h3>
                <p class="moj-timeline__byline">{by}</p>
            </div>
            <p class="moj-timeline__date"><time datetime=iso>{at}</time></p>
            <div class="moj-timeline__description">
                {query_link}
                {description.map(line)}
                {status_change.map(|d| view! { <p class="govuk-body govuk-!-margin-bottom-1">{d}</p> })}
                {why.map(|w| view! { <p class="govuk-body govuk-!-margin-bottom-1 app-wrap-anywhere app-pre-line">{w}</p> })}
                {assignment.map(|d| view! { <p class="govuk-body govuk-!-margin-bottom-1">{d}</p> })}
                {body.map(|b| view! { <p class="govuk-body govuk-!-margin-bottom-0 app-wrap-anywhere app-pre-line">{b}</p> })}
            </div>
        </div>
    }
}
