//! `/queries/:id/history` and `/customers/:id/history`: every change to the record from the
//! audit trail, field by field, before and after, newest first.

use crate::tasks::spawn;
use api_types::{History, HistoryEntry, PermissionArea, PermissionLevel, Problem};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::{Statuses, channel_from_key, channel_name};
use crate::pages::timeline::{Names, field_name, name_or};
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    Query,
    Customer,
}

const RECORD_HISTORY_COLUMNS: &[Column] =
    &[column("When"), column("Who"), column("Change"), column("Field"), column("Before"), column("After")];

/// What an audit action means, in words.
fn action_text(action: &str) -> String {
    match action {
        "query.created" => "Logged".to_owned(),
        "query.updated" => "Details changed".to_owned(),
        "query.assigned" => "Assigned".to_owned(),
        "query.status_changed" => "Status changed".to_owned(),
        "query.workflow_moved" => "Moved to the current workflow".to_owned(),
        "query.deleted" => "Deleted".to_owned(),
        "customer.created" => "Created".to_owned(),
        "customer.updated" => "Details changed".to_owned(),
        "customer.merged" => "Merged".to_owned(),
        other => other.rsplit('.').next().unwrap_or(other).replace('_', " "),
    }
}

/// What a history's values are read against: the names it came with, the tenant's statuses
/// and query types.
#[derive(Clone)]
struct Lookups {
    names: Names,
    statuses: Statuses,
    types: QueryTypes,
}

/// A field's value as a person reads it: names for ids, dates as GOV.UK writes them, an address
/// as its lines, consent as yes or no; "(none)" for nothing.
fn value_text(field: &str, value: Option<&Value>, lookups: &Lookups) -> String {
    let id = |v: &Value| v.as_str().and_then(|raw| Uuid::parse_str(raw).ok());
    match (field, value) {
        (_, None | Some(Value::Null)) => "(none)".to_owned(),
        (_, Some(Value::String(s))) if s.is_empty() => "(empty)".to_owned(),
        (_, Some(Value::Array(items))) if items.is_empty() => "(none)".to_owned(),
        ("assignee_id", Some(v)) => id(v).map_or_else(String::new, |id| name_or(&lookups.names, id, "Another officer")),
        ("team_id", Some(v)) => id(v).map_or_else(String::new, |id| name_or(&lookups.names, id, "Another team")),
        ("customer_id" | "merged_into", Some(v)) => {
            id(v).map_or_else(String::new, |id| name_or(&lookups.names, id, "A customer"))
        }
        ("status_id", Some(v)) => id(v).map_or_else(String::new, |id| lookups.statuses.name(id)),
        ("type_id", Some(v)) => id(v).map_or_else(String::new, |id| lookups.types.label(id)),
        ("channel", Some(Value::String(key))) => {
            channel_from_key(key).map_or_else(|| key.clone(), |c| channel_name(c).to_owned())
        }
        ("priority" | "preferred_channel", Some(Value::String(key))) => capitalised(&key.replace('_', " ")),
        ("address", Some(Value::Object(address))) => {
            let mut lines: Vec<String> = address
                .get("lines")
                .and_then(Value::as_array)
                .map(|lines| lines.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            for key in ["town", "postcode", "country"] {
                if let Some(part) = address.get(key).and_then(Value::as_str).filter(|p| !p.is_empty()) {
                    lines.push(part.to_owned());
                }
            }
            if lines.is_empty() { "(none)".to_owned() } else { lines.join(", ") }
        }
        ("consent", Some(Value::Object(consent))) => {
            let answer = |key: &str| if consent.get(key).and_then(Value::as_bool) == Some(true) { "yes" } else { "no" };
            format!(
                "Feedback surveys: {}; updates by email: {}",
                answer("feedback_surveys"),
                answer("updates_by_email")
            )
        }
        (_, Some(Value::Bool(yes))) => if *yes { "Yes" } else { "No" }.to_owned(),
        (_, Some(Value::String(s))) => when(s).unwrap_or_else(|| s.clone()),
        (_, Some(Value::Array(items))) => {
            items.iter().map(|v| value_text(field, Some(v), lookups)).collect::<Vec<_>>().join(", ")
        }
        (_, Some(other)) => other.to_string(),
    }
}

/// An instant written by the server (`2026-11-30T09:00:00Z`) as "30 November 2026 at 9:00am".
fn when(text: &str) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(crate::time::date_time(&at.with_timezone(&chrono::Utc)).0)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Each field an entry touched, with its value before and after.
fn field_rows(entry: &HistoryEntry, lookups: &Lookups) -> Vec<(String, String, String)> {
    let object = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned().unwrap_or_default();
    let (before, after) = (object(&entry.before), object(&entry.after));
    let mut names: Vec<&String> = after.keys().chain(before.keys()).collect();
    names.sort();
    names.dedup();
    // A change records what it was given (an assignment names its team even when the team
    // stays); only what changed is shown, unless nothing did.
    let changed: Vec<&String> = names
        .iter()
        .copied()
        .filter(|name| !before.contains_key(*name) || before.get(*name) != after.get(*name))
        .collect();
    if !changed.is_empty() {
        names = changed;
    }
    names
        .into_iter()
        .map(|name| {
            (field_name(name), value_text(name, before.get(name), lookups), value_text(name, after.get(name), lookups))
        })
        .collect()
}

#[component]
pub fn RecordHistory(record: Record) -> impl IntoView {
    let session = Session::expect();
    let area = if record == Record::Query { PermissionArea::Queries } else { PermissionArea::Customers };
    if session.me_untracked().map_or(PermissionLevel::None, |me| me.level(area)) < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());
    let (noun, base) = if record == Record::Query { ("query", "queries") } else { ("customer", "customers") };
    let back = format!("/{base}/{id}");
    let title = format!("History of this {noun}");
    dom::set_title(&title, false);
    let statuses = if record == Record::Query { Statuses::load(session) } else { Statuses::empty() };
    let types = if record == Record::Query { QueryTypes::load(session) } else { QueryTypes::empty() };
    let loaded = RwSignal::new(None::<Result<History, Problem>>);
    spawn(async move {
        let result = match record {
            Record::Query => api::queries::history(&id).await,
            Record::Customer => api::customers::history(&id).await,
        };
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    // Values name statuses and types, so the table waits for them too.
    let ready = move || statuses.0.with(Option::is_some) && types.0.with(Option::is_some);
    let body = move || match loaded.get().filter(|_| ready()) {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(history)) if history.items.is_empty() => {
            view! { <p class="govuk-body">"No changes have been recorded."</p> }.into_any()
        }
        Some(Ok(history)) => {
            let lookups = Lookups { names: Arc::new(history.names), statuses, types };
            let rows = history
                .items
                .into_iter()
                .rev()
                .flat_map(|entry| {
                    let (at, iso) = crate::time::date_time(&entry.at);
                    let who = entry
                        .actor_id
                        .map_or_else(|| "Casedesk".to_owned(), |id| name_or(&lookups.names, id, "A colleague"));
                    let action = action_text(&entry.action);
                    let mut fields = field_rows(&entry, &lookups);
                    if fields.is_empty() {
                        fields.push(("—".to_owned(), String::new(), String::new()));
                    }
                    fields.into_iter().map(move |(field, before, after)| {
                        let who = who.clone();
                        view! {
                            <tr class="govuk-table__row">
                                <td class="govuk-table__cell app-nowrap"><time datetime=iso.clone()>{at.clone()}</time></td>
                                <td class="govuk-table__cell">{who}</td>
                                <td class="govuk-table__cell">{action.clone()}</td>
                                <td class="govuk-table__cell">{field}</td>
                                <td class="govuk-table__cell app-wrap-anywhere">{before}</td>
                                <td class="govuk-table__cell app-wrap-anywhere">{after}</td>
                            </tr>
                        }
                    })
                })
                .collect_view();
            view! {
                <Table id="record-history" caption="Changes, newest first" caption_size=Caption::Medium columns=RECORD_HISTORY_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        <h1 class="govuk-heading-l">{title}</h1>
        {body}
        <p class="govuk-body"><a class="govuk-link" href=back>{format!("Back to the {noun}")}</a></p>
    }
    .into_any()
}
