//! Backend-independent parts of writes and reads: building records and audit entries, and
//! turning stored columns back into domain values. Each backend keeps only its SQL.

use crate::{NewUser, StorageError, StorageResult, TenantScope};
use domain::{
    Grant, GroupId, TenantId, Timestamp, UserId,
    audit::{Actor, AuditEnvelope, AuditEvent, StoredAuditEntry},
    tenant::{Tenant, TenantName, TenantSlug},
    user::{DisplayName, EmailAddress, User, UserStatus},
};
use serde_json::json;
use uuid::Uuid;

mod api_tokens;
mod documents;
mod entra;
mod groups;
mod queries;
mod work;
pub use api_tokens::*;
pub use documents::*;
pub use entra::*;
pub use groups::*;
pub use queries::*;
pub use work::*;

/// A stored value no longer parses: the database was changed behind our back.
pub fn corrupt(what: &str) -> StorageError {
    StorageError::Backend(format!("stored {what} is not valid").into())
}

pub fn tenant_from_columns(id: Uuid, slug: &str, name: &str, created_at: Timestamp) -> StorageResult<Tenant> {
    Ok(Tenant {
        id: TenantId::from_uuid(id),
        slug: TenantSlug::parse("slug", slug).map_err(|_| corrupt("tenant slug"))?,
        name: TenantName::parse("name", name).map_err(|_| corrupt("tenant name"))?,
        created_at,
    })
}

/// A user's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct UserColumns {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: String,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<UserColumns> for User {
    type Error = StorageError;
    fn try_from(row: UserColumns) -> StorageResult<Self> {
        Ok(User {
            tenant_id: TenantId::from_uuid(row.tenant_id),
            id: UserId::from_uuid(row.id),
            email: EmailAddress::parse("email", &row.email).map_err(|_| corrupt("email"))?,
            display_name: DisplayName::parse("display_name", &row.display_name).map_err(|_| corrupt("name"))?,
            status: UserStatus::parse(&row.status).ok_or_else(|| corrupt("user status"))?,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The record a new user becomes, at version 1.
pub fn new_user_record(scope: &TenantScope, new: &NewUser) -> User {
    let now = Timestamp::now();
    User {
        tenant_id: scope.tenant_id,
        id: UserId::new(),
        email: new.email.clone(),
        display_name: new.display_name.clone(),
        status: UserStatus::Active,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

pub fn tenant_created(tenant: &Tenant) -> AuditEvent {
    let payload = json!({"after": {"slug": tenant.slug, "name": tenant.name}});
    AuditEvent::new("tenant.created", "tenant", tenant.id.as_uuid(), payload)
}

pub fn group_created(group_id: GroupId, name: &str, grants: &[Grant]) -> AuditEvent {
    let grants: Vec<_> = grants.iter().map(|g| json!({"area": g.area, "level": g.level})).collect();
    let payload = json!({"after": {"name": name, "builtin": true, "grants": grants}});
    AuditEvent::new("group.created", "group", group_id.as_uuid(), payload)
}

pub fn user_created(user: &User, new: &NewUser) -> AuditEvent {
    let payload = json!({"after": {
        "email": user.email, "display_name": user.display_name, "status": user.status,
        "local_sign_in": new.password_hash.is_some(), "group_ids": new.group_ids, "break_glass": new.break_glass,
    }});
    AuditEvent::new("user.created", "user", user.id.as_uuid(), payload)
}

pub fn session_started(new: &crate::NewSession, id: domain::SessionId, ended_others: u64) -> AuditEvent {
    let payload = json!({"after": {
        "session_id": id, "ended_other_sessions": ended_others, "expires_at": new.expires_at,
    }, "from": new.from_address});
    AuditEvent::new("session.started", "user", new.user_id.as_uuid(), payload)
}

pub fn session_ended(user_id: Uuid, session_id: Uuid, reason: domain::access::SessionEndReason) -> AuditEvent {
    let payload = json!({"after": {"session_id": session_id, "reason": reason.as_str()}});
    AuditEvent::new("session.ended", "user", user_id, payload)
}

/// The sessions a sign-in ended elsewhere, one entry each, so "session ended and why" is in the
/// trail for every one of them.
pub fn sessions_replaced(user_id: UserId, ended: &[Uuid]) -> Vec<AuditEvent> {
    ended
        .iter()
        .map(|id| session_ended(user_id.as_uuid(), *id, domain::access::SessionEndReason::SignedInElsewhere))
        .collect()
}

pub fn access_settings_updated(
    tenant_id: domain::TenantId,
    before: &domain::access::AccessSettings,
    after: &domain::access::AccessSettings,
) -> AuditEvent {
    let payload = json!({
        "before": {"one_session": before.one_session.as_str(), "local_sign_in": before.local_sign_in.as_str()},
        "after": {"one_session": after.one_session.as_str(), "local_sign_in": after.local_sign_in.as_str()},
        "version": after.version,
    });
    AuditEvent::new("settings.access_updated", "tenant", tenant_id.as_uuid(), payload)
}

/// An audit entry ready to insert as link `seq` of the tenant's chain.
#[derive(Debug)]
pub struct ChainLink {
    pub envelope: AuditEnvelope,
    pub payload: String,
    pub payload_hash: [u8; 32],
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

/// An audit entry's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct AuditColumns {
    pub seq: i64,
    pub at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub payload: Option<String>,
    pub payload_hash: Vec<u8>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

fn hash32(bytes: Vec<u8>) -> StorageResult<[u8; 32]> {
    bytes.try_into().map_err(|_| corrupt("audit hash"))
}

pub fn stored_entry(tenant_id: TenantId, row: AuditColumns) -> StorageResult<StoredAuditEntry> {
    Ok(StoredAuditEntry {
        envelope: AuditEnvelope {
            tenant_id,
            seq: row.seq,
            at: row.at,
            actor: Actor::from_parts(&row.actor_kind, row.actor_id).ok_or_else(|| corrupt("actor"))?,
            action: row.action,
            subject_kind: row.subject_kind,
            subject_id: row.subject_id,
        },
        payload_hash: hash32(row.payload_hash)?,
        payload_json: row.payload,
        prev_hash: hash32(row.prev_hash)?,
        hash: hash32(row.hash)?,
    })
}

/// A customer's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct CustomerColumns {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub organisation: Option<String>,
    pub emails: String,
    pub phones: String,
    pub address_lines: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub preferred_channel: Option<String>,
    pub contact_needs: Option<String>,
    pub notes: Option<String>,
    pub consent_feedback_surveys: bool,
    pub consent_updates_by_email: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn json_strings(text: &str) -> StorageResult<Vec<String>> {
    serde_json::from_str(text).map_err(|_| corrupt("customer list"))
}

impl TryFrom<CustomerColumns> for domain::customer::Customer {
    type Error = StorageError;
    /// Stored values are already normalised; parsing them again checks nothing was corrupted.
    fn try_from(row: CustomerColumns) -> StorageResult<Self> {
        use domain::customer::{Consent, ContactChannel, CustomerDetails, RawAddress, RawCustomer};
        let address = match row.address_lines.as_deref() {
            Some(lines) => Some(RawAddress {
                lines: json_strings(lines)?,
                town: row.town,
                postcode: row.postcode,
                country: row.country,
            }),
            None => None,
        };
        let preferred_channel = match row.preferred_channel.as_deref() {
            Some(raw) => Some(ContactChannel::parse(raw).ok_or_else(|| corrupt("contact channel"))?),
            None => None,
        };
        let raw = RawCustomer {
            title: row.title,
            given_name: row.given_name,
            family_name: row.family_name,
            emails: json_strings(&row.emails)?,
            phones: json_strings(&row.phones)?,
            address,
            organisation: row.organisation,
            preferred_channel,
            contact_needs: row.contact_needs,
            notes: row.notes,
            consent: Consent {
                feedback_surveys: row.consent_feedback_surveys,
                updates_by_email: row.consent_updates_by_email,
            },
        };
        Ok(domain::customer::Customer {
            tenant_id: TenantId::from_uuid(row.tenant_id),
            id: domain::CustomerId::from_uuid(row.id),
            details: CustomerDetails::parse(&raw).map_err(|_| corrupt("customer"))?,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The values a backend binds for a customer's details, in one place.
#[derive(Debug)]
pub struct CustomerValues {
    pub emails: String,
    pub phones: String,
    pub address_lines: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    pub postcode_compact: Option<String>,
    pub country: Option<String>,
    pub preferred_channel: Option<&'static str>,
    /// `(kind, value)` rows for `customer_contacts`.
    pub contacts: Vec<(&'static str, String)>,
}

pub fn customer_values(details: &domain::customer::CustomerDetails) -> CustomerValues {
    let emails: Vec<&str> = details.emails.iter().map(|e| e.as_str()).collect();
    let phones: Vec<&str> = details.phones.iter().map(|p| p.as_str()).collect();
    let address = details.address.as_ref();
    let postcode = address.and_then(|a| a.postcode.clone());
    let mut contacts: Vec<(&'static str, String)> = emails.iter().map(|e| ("email", (*e).to_owned())).collect();
    contacts.extend(phones.iter().map(|p| ("phone", (*p).to_owned())));
    CustomerValues {
        emails: json!(emails).to_string(),
        phones: json!(phones).to_string(),
        address_lines: address.map(|a| json!(a.lines).to_string()),
        town: address.and_then(|a| a.town.clone()),
        postcode_compact: postcode.as_ref().map(|p| p.replace(' ', "").to_uppercase()),
        postcode,
        country: address.map(|a| a.country.clone()),
        preferred_channel: details.preferred_channel.map(|c| c.as_str()),
        contacts,
    }
}

pub fn customer_created(customer: &domain::customer::Customer) -> AuditEvent {
    AuditEvent::new("customer.created", "customer", customer.id.as_uuid(), json!({"after": customer.details}))
}

/// Field-level before and after: only the fields that changed.
pub fn customer_updated(before: &domain::customer::Customer, after: &domain::customer::Customer) -> AuditEvent {
    let old = serde_json::to_value(&before.details).unwrap_or_default();
    let new = serde_json::to_value(&after.details).unwrap_or_default();
    let (mut was, mut now) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(old), Some(new)) = (old.as_object(), new.as_object()) {
        for (field, value) in new {
            if old.get(field) != Some(value) {
                was.insert(field.clone(), old.get(field).cloned().unwrap_or_default());
                now.insert(field.clone(), value.clone());
            }
        }
    }
    let payload = json!({"before": was, "after": now, "version": after.version});
    AuditEvent::new("customer.updated", "customer", after.id.as_uuid(), payload)
}

/// A stored idempotency key, as both backends read it (time already converted).
#[derive(Debug)]
pub struct KeyRecord {
    pub owner: Option<Uuid>,
    pub request_hash: Vec<u8>,
    pub status: Option<i64>,
    pub body: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub reserved_at: Timestamp,
}

/// What a retry with an existing key gets: an answer now, or the key to take over because the
/// first attempt's reservation has lapsed.
#[derive(Debug)]
pub enum KeyDecision {
    Answer(crate::IdempotencyStart),
    TakeOver,
}

pub fn judge_key(
    existing: KeyRecord,
    scope: &TenantScope,
    request_hash: &[u8; 32],
    now: Timestamp,
) -> StorageResult<KeyDecision> {
    use crate::{IDEMPOTENCY_RESERVATION_SECS, IdempotencyStart, StoredResponse};
    if existing.owner != scope.actor.id() || existing.request_hash != request_hash {
        return Ok(KeyDecision::Answer(IdempotencyStart::Mismatch));
    }
    if let Some(status) = existing.status {
        let status = u16::try_from(status).map_err(|_| corrupt("idempotency status"))?;
        let stored = StoredResponse {
            status,
            body: existing.body.unwrap_or_default(),
            location: existing.location,
            etag: existing.etag,
        };
        return Ok(KeyDecision::Answer(IdempotencyStart::Replay(stored)));
    }
    if existing.reserved_at > now.plus_seconds(-IDEMPOTENCY_RESERVATION_SECS) {
        return Ok(KeyDecision::Answer(IdempotencyStart::InProgress));
    }
    Ok(KeyDecision::TakeOver)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IdempotencyStart;

    fn record(owner: Uuid, status: Option<i64>, reserved_at: Timestamp) -> KeyRecord {
        KeyRecord {
            owner: Some(owner),
            request_hash: vec![7; 32],
            status,
            body: Some("{}".into()),
            location: None,
            etag: None,
            reserved_at,
        }
    }

    #[test]
    fn keys_are_judged_by_owner_body_state_and_age() {
        let me = Uuid::now_v7();
        let scope = TenantScope::new(TenantId::new(), domain::audit::Actor::User(me));
        let now = Timestamp::now();
        let judge = |record, hash: [u8; 32]| match judge_key(record, &scope, &hash, now).expect("judged") {
            KeyDecision::Answer(IdempotencyStart::Replay(stored)) => format!("replay {}", stored.status),
            KeyDecision::Answer(other) => format!("{other:?}"),
            KeyDecision::TakeOver => "take over".to_owned(),
        };
        assert_eq!(judge(record(Uuid::now_v7(), Some(201), now), [7; 32]), "Mismatch", "someone else's key");
        assert_eq!(judge(record(me, Some(201), now), [8; 32]), "Mismatch", "another body");
        assert_eq!(judge(record(me, Some(201), now), [7; 32]), "replay 201");
        assert_eq!(judge(record(me, None, now.plus_seconds(-5)), [7; 32]), "InProgress");
        assert_eq!(judge(record(me, None, now.plus_seconds(-61)), [7; 32]), "take over", "a lapsed reservation");
    }
}

/// A timeline event about to be written, in the transaction of the change it records.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub at: Timestamp,
    pub kind: &'static str,
    pub customer_id: Option<Uuid>,
    pub query_id: Option<Uuid>,
    pub details: serde_json::Value,
}

pub fn customer_created_event(customer: &domain::customer::Customer) -> NewEvent {
    NewEvent {
        at: customer.created_at,
        kind: "customer.created",
        customer_id: Some(customer.id.as_uuid()),
        query_id: None,
        details: json!({"display_name": customer.details.display_name()}),
    }
}

/// Names the fields that changed (their values stay in the audit trail).
pub fn customer_updated_event(before: &domain::customer::Customer, after: &domain::customer::Customer) -> NewEvent {
    let old = serde_json::to_value(&before.details).unwrap_or_default();
    let new = serde_json::to_value(&after.details).unwrap_or_default();
    let changed: Vec<&String> = new
        .as_object()
        .map(|fields| {
            fields.iter().filter(|(field, value)| old.get(field.as_str()) != Some(value)).map(|(f, _)| f).collect()
        })
        .unwrap_or_default();
    NewEvent {
        at: after.updated_at,
        kind: "customer.updated",
        customer_id: Some(after.id.as_uuid()),
        query_id: None,
        details: json!({"changed": changed}),
    }
}

/// A new query has two moments: when it reached us and when it was logged.
/// An event's columns as both backends store them (time already converted).
#[derive(Debug)]
pub struct EventColumns {
    pub id: Uuid,
    pub at: Timestamp,
    pub kind: String,
    pub customer_id: Option<Uuid>,
    pub query_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub details: String,
}

impl TryFrom<EventColumns> for domain::event::Event {
    type Error = StorageError;
    fn try_from(row: EventColumns) -> StorageResult<Self> {
        Ok(domain::event::Event {
            id: row.id,
            at: row.at,
            kind: row.kind,
            customer_id: row.customer_id.map(domain::CustomerId::from_uuid),
            query_id: row.query_id.map(domain::QueryId::from_uuid),
            actor: row.actor_id.map_or(Actor::System, Actor::User),
            details: serde_json::from_str(&row.details).map_err(|_| corrupt("event details"))?,
        })
    }
}
