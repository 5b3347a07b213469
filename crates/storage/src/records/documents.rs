//! Audit entries and timeline events for documents. Entries name the document and its owner;
//! its bytes and keys never enter the trail.

use super::NewEvent;
use domain::{
    CustomerId, QueryId, TenantId, Timestamp,
    audit::AuditEvent,
    document::{Document, Owner},
};
use serde_json::json;

/// The records a document's events are shown on.
#[derive(Debug, Clone)]
pub struct OwnerOf {
    pub customer_id: Option<CustomerId>,
    pub query_id: Option<QueryId>,
    /// The query's reference, for the customer timeline to name it.
    pub reference: Option<String>,
}

fn owner_json(owner: Owner) -> serde_json::Value {
    match owner {
        Owner::Query(id) => json!({"query_id": id}),
        Owner::Customer(id) => json!({"customer_id": id}),
    }
}

pub fn tenant_key_added(tenant: TenantId, version: u32) -> AuditEvent {
    AuditEvent::new("tenant_key.added", "tenant", tenant.as_uuid(), json!({"after": {"version": version}}))
}

/// Rotation moved `count` document keys under the tenant key of `version` (the documents
/// themselves are untouched).
pub fn document_keys_rewrapped(tenant: TenantId, version: u32, count: u64) -> AuditEvent {
    AuditEvent::new(
        "tenant_key.rotated",
        "tenant",
        tenant.as_uuid(),
        json!({"after": {"version": version, "rewrapped": count}}),
    )
}

pub fn document_added(document: &Document) -> AuditEvent {
    let payload = json!({"after": {
        "owner": owner_json(document.owner), "name": document.name, "content_type": document.content_type,
        "size_bytes": document.size_bytes,
    }});
    AuditEvent::new("document.added", "document", document.id.as_uuid(), payload)
}

pub fn document_renamed(before: &Document, after: &Document) -> AuditEvent {
    let payload = json!({"before": {"name": before.name}, "after": {"name": after.name}});
    AuditEvent::new("document.renamed", "document", after.id.as_uuid(), payload)
}

pub fn document_deleted(document: &Document, reason: &str) -> AuditEvent {
    let payload = json!({"before": {"owner": owner_json(document.owner), "name": document.name}, "reason": reason});
    AuditEvent::new("document.deleted", "document", document.id.as_uuid(), payload)
}

/// An upload clamd found infected: nothing was kept, but the attempt is in the trail.
pub fn upload_rejected(owner: Owner, name: &str, signature: &str) -> AuditEvent {
    let (kind, id) = match owner {
        Owner::Query(id) => ("query", id.as_uuid()),
        Owner::Customer(id) => ("customer", id.as_uuid()),
    };
    let payload = json!({"rejected": {"name": name, "signature": signature}});
    AuditEvent::new("document.rejected_infected", kind, id, payload)
}

/// A rescan found `signature` in a stored document: it stays, for investigation, but can no
/// longer be downloaded.
pub fn document_quarantined(document: &Document, signature: &str) -> AuditEvent {
    let payload =
        json!({"before": {"scan_state": "clean"}, "after": {"scan_state": "quarantined", "signature": signature}});
    AuditEvent::new("document.quarantined", "document", document.id.as_uuid(), payload)
}

/// What the administrators are told of a quarantine (the document's name, never its content).
pub fn quarantine_message(document: &Document, signature: &str) -> String {
    format!("A rescan found {signature} in “{}”. It is quarantined and can no longer be downloaded.", document.name)
}

/// A timeline event about a document; `more` adds to its details (a reason, a signature).
pub fn document_event(
    of: &OwnerOf,
    document: &Document,
    kind: &'static str,
    at: Timestamp,
    more: serde_json::Value,
) -> NewEvent {
    let mut details = json!({
        "document_id": document.id,
        "name": document.name,
        "content_type": document.content_type,
        "size_bytes": document.size_bytes,
        "reference": of.reference,
    });
    if let (Some(details), serde_json::Value::Object(more)) = (details.as_object_mut(), more) {
        details.extend(more);
    }
    NewEvent {
        at,
        kind,
        customer_id: of.customer_id.map(|id| id.as_uuid()),
        query_id: of.query_id.map(|id| id.as_uuid()),
        details,
    }
}
