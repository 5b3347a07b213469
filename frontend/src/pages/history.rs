//! `/queries/:id/history` and `/customers/:id/history`: every change to the record from the
//! audit trail, field by field, before and after, newest first.

use api_types::{History, HistoryEntry, PermissionArea, PermissionLevel, Problem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use crate::api;
use crate::directory::Directory;
use crate::dom;
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::pages::timeline::field_name;
use crate::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    Query,
    Customer,
}

/// What an audit action means, in words.
fn action_text(action: &str) -> String {
    match action {
        "query.created" => "Logged".to_owned(),
        "query.updated" => "Details changed".to_owned(),
        "query.assigned" => "Assigned".to_owned(),
        "query.status_changed" => "Status changed".to_owned(),
        "query.deleted" => "Deleted".to_owned(),
        "customer.created" => "Created".to_owned(),
        "customer.updated" => "Details changed".to_owned(),
        "customer.merged" => "Merged".to_owned(),
        other => other.rsplit('.').next().unwrap_or(other).replace('_', " "),
    }
}

/// A field's value as text: "(none)" for nothing, lists one per comma.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(none)".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "(empty)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => "(none)".to_owned(),
        Some(Value::Array(items)) => items.iter().map(|v| value_text(Some(v))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    }
}

/// Each field an entry touched, with its value before and after.
fn field_rows(entry: &HistoryEntry) -> Vec<(String, String, String)> {
    let object = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned().unwrap_or_default();
    let (before, after) = (object(&entry.before), object(&entry.after));
    let mut names: Vec<&String> = after.keys().chain(before.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| (field_name(name), value_text(before.get(name)), value_text(after.get(name))))
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
    let directory = Directory::load(session);
    let loaded = RwSignal::new(None::<Result<History, Problem>>);
    spawn_local(async move {
        let result = api::get::<History>(&format!("/api/v1/{base}/{}/history", api::query_value(&id))).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    let body = move || match loaded.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(history)) if history.items.is_empty() => {
            view! { <p class="govuk-body">"No changes have been recorded."</p> }.into_any()
        }
        Some(Ok(history)) => {
            let rows = history
                .items
                .into_iter()
                .rev()
                .flat_map(|entry| {
                    let (at, iso) = crate::time::date_time(&entry.at);
                    let who = entry.actor_id;
                    let action = action_text(&entry.action);
                    let mut fields = field_rows(&entry);
                    if fields.is_empty() {
                        fields.push(("—".to_owned(), String::new(), String::new()));
                    }
                    fields.into_iter().map(move |(field, before, after)| {
                        let who = move || who.map_or_else(|| "Casedesk".to_owned(), |id| directory.user_name(id));
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
                <div class="app-table-container" role="region" aria-labelledby="history-caption" tabindex="0">
                    <table class="govuk-table" id="record-history">
                        <caption class="govuk-table__caption govuk-table__caption--m" id="history-caption">
                            "Changes, newest first"
                        </caption>
                        <thead class="govuk-table__head">
                            <tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"When"</th>
                                <th scope="col" class="govuk-table__header">"Who"</th>
                                <th scope="col" class="govuk-table__header">"Change"</th>
                                <th scope="col" class="govuk-table__header">"Field"</th>
                                <th scope="col" class="govuk-table__header">"Before"</th>
                                <th scope="col" class="govuk-table__header">"After"</th>
                            </tr>
                        </thead>
                        <tbody class="govuk-table__body">{rows}</tbody>
                    </table>
                </div>
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
