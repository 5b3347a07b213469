//! Queries: their audit entries, timeline events and stored columns.

use super::{NewEvent, corrupt};
use crate::{StorageError, StorageResult};
use domain::{TenantId, Timestamp, audit::AuditEvent};
use serde_json::json;
use uuid::Uuid;

pub fn query_created(query: &domain::query::Query) -> AuditEvent {
    let payload = json!({"after": {
        "reference": query.reference.to_string(), "customer_id": query.customer_id, "channel": query.channel,
        "priority": query.priority, "status_id": query.status_id, "subject": query.subject,
        "received_at": query.received_at, "type_id": query.type_id,
        "assignee_id": query.assignment.officer, "team_id": query.assignment.team,
    }});
    AuditEvent::new("query.created", "query", query.id.as_uuid(), payload)
}

/// The audit keeps which workflow version allowed the move, not the summary or reason (case
/// content, which stays with the query's history).
pub fn query_status_changed(
    before: &domain::query::Query,
    after: &domain::query::Query,
    workflow: domain::workflow::WorkflowRef,
) -> AuditEvent {
    let payload = json!({"before": {"status_id": before.status_id}, "after": {"status_id": after.status_id},
        "workflow_id": workflow.id, "workflow_version": workflow.version});
    AuditEvent::new("query.status_changed", "query", after.id.as_uuid(), payload)
}

/// A query's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct QueryColumns {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub reference: i64,
    pub customer_id: Option<Uuid>,
    pub channel: String,
    pub priority: String,
    pub status_id: Uuid,
    pub subject: String,
    pub description: String,
    pub received_at: Timestamp,
    pub type_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub is_open: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub due_at: Option<Timestamp>,
    pub due_soon_at: Option<Timestamp>,
    pub breached_at: Option<Timestamp>,
}

impl TryFrom<QueryColumns> for domain::query::Query {
    type Error = StorageError;
    fn try_from(row: QueryColumns) -> StorageResult<Self> {
        use domain::query::{Channel, Priority, QueryReference};
        Ok(domain::query::Query {
            tenant_id: TenantId::from_uuid(row.tenant_id),
            id: domain::QueryId::from_uuid(row.id),
            reference: QueryReference::new(u64::try_from(row.reference).map_err(|_| corrupt("reference"))?),
            customer_id: row.customer_id.map(domain::CustomerId::from_uuid),
            channel: Channel::parse(&row.channel).ok_or_else(|| corrupt("channel"))?,
            priority: Priority::parse(&row.priority).ok_or_else(|| corrupt("priority"))?,
            status_id: domain::StatusId::from_uuid(row.status_id),
            subject: row.subject,
            description: row.description,
            received_at: row.received_at,
            type_id: row.type_id.map(domain::QueryTypeId::from_uuid),
            assignment: domain::query::Assignment {
                officer: row.assignee_id.map(domain::UserId::from_uuid),
                team: row.team_id.map(domain::TeamId::from_uuid),
            },
            is_open: row.is_open,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            due: domain::query_list::QueryDue {
                due_at: row.due_at,
                due_soon_at: row.due_soon_at,
                breached_at: row.breached_at,
            },
        })
    }
}

/// The columns a status is read from, in the order [`query_status`] expects.
pub const STATUS_COLUMNS: &str = "id, name, category, position, is_default, retired_at, version";

pub fn query_status(row: &impl crate::sql::SqlRow) -> StorageResult<domain::query::QueryStatus> {
    let category = row.text("category")?;
    Ok(domain::query::QueryStatus {
        id: domain::StatusId::from_uuid(row.uuid("id")?),
        name: row.text("name")?,
        category: domain::query::StatusCategory::parse(&category).ok_or_else(|| corrupt("status category"))?,
        position: i32::try_from(row.int("position")?).map_err(|_| corrupt("status position"))?,
        is_default: row.bool("is_default")?,
        retired: row.opt_time("retired_at")?.is_some(),
        version: row.int("version")?,
    })
}

pub fn query_created_events(query: &domain::query::Query) -> [NewEvent; 2] {
    let event = |at, kind| NewEvent {
        at,
        kind,
        customer_id: query.customer_id.map(|c| c.as_uuid()),
        query_id: Some(query.id.as_uuid()),
        details: json!({"reference": query.reference.to_string(), "channel": query.channel, "subject": query.subject}),
    };
    [event(query.received_at, "query.received"), event(query.created_at, "query.logged")]
}

/// The timeline's record of a move, with the resolution summary or reason it asked for.
pub fn query_status_event(
    before: &domain::query::Query,
    after: &domain::query::Query,
    (resolution_summary, reason): &(Option<String>, Option<String>),
) -> NewEvent {
    let mut details = json!({"reference": after.reference.to_string(), "from_status_id": before.status_id,
        "to_status_id": after.status_id});
    if let Some(summary) = resolution_summary {
        details["resolution_summary"] = json!(summary);
    }
    if let Some(reason) = reason {
        details["reason"] = json!(reason);
    }
    NewEvent {
        at: after.updated_at,
        kind: "query.status_changed",
        customer_id: after.customer_id.map(|c| c.as_uuid()),
        query_id: Some(after.id.as_uuid()),
        details,
    }
}

pub fn query_assigned(before: &domain::query::Query, after: &domain::query::Query) -> AuditEvent {
    let side = |q: &domain::query::Query| json!({"assignee_id": q.assignment.officer, "team_id": q.assignment.team});
    let payload = json!({"before": side(before), "after": side(after), "version": after.version});
    AuditEvent::new("query.assigned", "query", after.id.as_uuid(), payload)
}

/// The assignment on the timeline; the names are resolved when it is shown.
pub fn query_assigned_event(after: &domain::query::Query) -> NewEvent {
    NewEvent {
        at: after.updated_at,
        kind: "query.assigned",
        customer_id: after.customer_id.map(|c| c.as_uuid()),
        query_id: Some(after.id.as_uuid()),
        details: json!({
            "reference": after.reference.to_string(),
            "assignee_id": after.assignment.officer,
            "team_id": after.assignment.team,
        }),
    }
}

/// Builds the query as it is first stored: version 1, open, logged now.
pub fn new_query_record(
    scope: &crate::TenantScope,
    new: domain::query::NewQuery,
    reference: i64,
    status: &domain::query::QueryStatus,
    now: Timestamp,
) -> domain::query::Query {
    domain::query::Query {
        tenant_id: scope.tenant_id,
        id: domain::QueryId::new(),
        reference: domain::query::QueryReference::new(u64::try_from(reference).unwrap_or_default()),
        customer_id: new.customer_id,
        channel: new.channel,
        priority: new.priority,
        status_id: status.id,
        subject: new.subject,
        description: new.description,
        received_at: new.received_at,
        type_id: new.type_id,
        assignment: new.assignment,
        is_open: !status.category.is_done(),
        version: 1,
        created_at: now,
        updated_at: now,
        due: domain::query_list::QueryDue::default(),
    }
}

/// The editable fields of a query as JSON, for field-level audit.
fn editable(query: &domain::query::Query) -> serde_json::Map<String, serde_json::Value> {
    let value = json!({
        "customer_id": query.customer_id, "channel": query.channel, "priority": query.priority,
        "subject": query.subject, "description": query.description, "received_at": query.received_at,
        "type_id": query.type_id,
    });
    value.as_object().cloned().unwrap_or_default()
}

/// The fields that differ, as (name, before, after).
fn changed_fields(
    before: &domain::query::Query,
    after: &domain::query::Query,
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let old = editable(before);
    editable(after)
        .into_iter()
        .filter_map(|(field, new)| {
            let was = old.get(&field).cloned().unwrap_or_default();
            (was != new).then_some((field, was, new))
        })
        .collect()
}

/// Field-level before and after of an edit.
pub fn query_updated(before: &domain::query::Query, after: &domain::query::Query) -> AuditEvent {
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    for (field, old, new) in changed_fields(before, after) {
        was.insert(field.clone(), old);
        now.insert(field, new);
    }
    let payload = json!({"before": was, "after": now, "version": after.version});
    AuditEvent::new("query.updated", "query", after.id.as_uuid(), payload)
}

/// Names the fields that changed (their values stay in the audit trail).
pub fn query_updated_event(before: &domain::query::Query, after: &domain::query::Query) -> NewEvent {
    let changed: Vec<String> = changed_fields(before, after).into_iter().map(|(field, ..)| field).collect();
    NewEvent {
        at: after.updated_at,
        kind: "query.updated",
        customer_id: after.customer_id.map(|c| c.as_uuid()),
        query_id: Some(after.id.as_uuid()),
        details: json!({"reference": after.reference.to_string(), "changed": changed}),
    }
}

pub fn query_deleted(query: &domain::query::Query) -> AuditEvent {
    let payload = json!({"before": {"reference": query.reference.to_string()}, "version": query.version});
    AuditEvent::new("query.deleted", "query", query.id.as_uuid(), payload)
}

pub fn query_deleted_event(query: &domain::query::Query, at: Timestamp) -> NewEvent {
    NewEvent {
        at,
        kind: "query.deleted",
        customer_id: query.customer_id.map(|c| c.as_uuid()),
        query_id: Some(query.id.as_uuid()),
        details: json!({"reference": query.reference.to_string()}),
    }
}

/// A customer merged into a survivor: audited on the record merged away.
pub fn customer_merged(
    merged: &domain::customer::Customer,
    survivor: &domain::customer::Customer,
    moved_queries: u64,
) -> AuditEvent {
    let payload = json!({"after": {"merged_into": survivor.id}, "moved_queries": moved_queries,
                         "version": merged.version + 1});
    AuditEvent::new("customer.merged", "customer", merged.id.as_uuid(), payload)
}

/// The merge on the survivor's timeline (which now also holds the merged record's events).
pub fn customer_merged_event(
    merged: &domain::customer::Customer,
    survivor: &domain::customer::Customer,
    at: Timestamp,
) -> NewEvent {
    NewEvent {
        at,
        kind: "customer.merged",
        customer_id: Some(survivor.id.as_uuid()),
        query_id: None,
        details: json!({"merged_id": merged.id, "merged_name": merged.details.display_name()}),
    }
}

pub fn query_restriction_changed(
    after: &domain::query::Query,
    before_groups: &[domain::GroupId],
    after_groups: &[domain::GroupId],
) -> AuditEvent {
    let payload = json!({
        "before": {"restricted_to": before_groups}, "after": {"restricted_to": after_groups}, "version": after.version,
    });
    AuditEvent::new("query.restriction_changed", "query", after.id.as_uuid(), payload)
}
