//! The audit trail: every change records who, when and what, hash-chained per tenant.
//!
//! Each entry's hash covers its envelope (sequence, time, actor, action, subject) and the
//! SHA-256 of its payload, plus the previous entry's hash. The payload itself is outside the
//! chain, so personal data in it can later be erased (SEC-15) while the chain still verifies.

use crate::{TenantId, Timestamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash before the first entry of every tenant's chain.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(Uuid),
    /// The application itself: first start, command-line administration.
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::System => "system",
        }
    }

    pub fn id(&self) -> Option<Uuid> {
        match self {
            Actor::User(id) => Some(*id),
            Actor::System => None,
        }
    }

    pub fn from_parts(kind: &str, id: Option<Uuid>) -> Option<Self> {
        match (kind, id) {
            ("user", Some(id)) => Some(Actor::User(id)),
            ("system", None) => Some(Actor::System),
            _ => None,
        }
    }
}

/// A change to record, before it has a place in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// What changed: before and after for updates, the new state for creates.
    pub payload: serde_json::Value,
}

impl AuditEvent {
    pub fn new(action: &str, subject_kind: &str, subject_id: Uuid, payload: serde_json::Value) -> Self {
        Self { action: action.into(), subject_kind: subject_kind.into(), subject_id, payload }
    }
}

/// The part of an entry the chain covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEnvelope {
    pub tenant_id: TenantId,
    pub seq: i64,
    pub at: Timestamp,
    pub actor: Actor,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Uuid,
}

impl AuditEnvelope {
    /// The entry's hash. Fields are length-prefixed so no two envelopes encode alike.
    pub fn chain_hash(&self, prev_hash: &[u8; 32], payload_hash: &[u8; 32]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"casedesk-audit-v1");
        hasher.update(prev_hash);
        let actor_id = self.actor.id().map(|id| id.to_string()).unwrap_or_default();
        for field in [
            self.tenant_id.to_string().as_str(),
            &self.seq.to_string(),
            &self.at.as_micros().to_string(),
            self.actor.kind(),
            &actor_id,
            &self.action,
            &self.subject_kind,
            &self.subject_id.to_string(),
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher.update(payload_hash);
        hasher.finalize().into()
    }
}

/// SHA-256 of the payload's JSON text, as stored.
pub fn payload_hash(payload_json: &str) -> [u8; 32] {
    Sha256::digest(payload_json.as_bytes()).into()
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAuditEntry {
    pub envelope: AuditEnvelope,
    pub payload_hash: [u8; 32],
    /// The payload as stored, or `None` once erased.
    pub payload_json: Option<String>,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

/// Why a chain does not verify, at the first entry found at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: expected sequence number {expected}")]
    Gap { seq: i64, expected: i64 },
    #[error("entry {seq}: previous hash does not match")]
    PrevHash { seq: i64 },
    #[error("entry {seq}: payload does not match its hash")]
    Payload { seq: i64 },
    #[error("entry {seq}: envelope does not match its hash")]
    Envelope { seq: i64 },
}

/// Checks entries in sequence order, starting from the tenant's first.
pub fn verify_chain<'a>(entries: impl IntoIterator<Item = &'a StoredAuditEntry>) -> Result<u64, ChainBreak> {
    let mut prev = GENESIS_HASH;
    let mut count = 0u64;
    for entry in entries {
        let seq = entry.envelope.seq;
        let expected = count as i64 + 1;
        if seq != expected {
            return Err(ChainBreak::Gap { seq, expected });
        }
        if entry.prev_hash != prev {
            return Err(ChainBreak::PrevHash { seq });
        }
        if let Some(json) = &entry.payload_json
            && payload_hash(json) != entry.payload_hash
        {
            return Err(ChainBreak::Payload { seq });
        }
        if entry.envelope.chain_hash(&prev, &entry.payload_hash) != entry.hash {
            return Err(ChainBreak::Envelope { seq });
        }
        prev = entry.hash;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredAuditEntry> {
        let tenant_id = TenantId::new();
        let mut prev = GENESIS_HASH;
        (1..=n)
            .map(|seq| {
                let envelope = AuditEnvelope {
                    tenant_id,
                    seq,
                    at: Timestamp::from_micros(seq * 1_000),
                    actor: Actor::System,
                    action: "user.created".into(),
                    subject_kind: "user".into(),
                    subject_id: Uuid::now_v7(),
                };
                let json = format!("{{\"n\":{seq}}}");
                let payload_hash = payload_hash(&json);
                let hash = envelope.chain_hash(&prev, &payload_hash);
                let entry =
                    StoredAuditEntry { envelope, payload_hash, payload_json: Some(json), prev_hash: prev, hash };
                prev = hash;
                entry
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(5));
        assert_eq!(verify_chain(&[]), Ok(0));
    }

    #[test]
    fn an_erased_payload_still_verifies() {
        let mut entries = chain(3);
        entries[1].payload_json = None;
        assert_eq!(verify_chain(&entries), Ok(3));
    }

    #[test]
    fn tampering_is_detected_where_it_happened() {
        let mut entries = chain(4);
        entries[2].payload_json = Some("{\"n\":99}".into());
        assert_eq!(verify_chain(&entries), Err(ChainBreak::Payload { seq: 3 }));

        let mut entries = chain(4);
        entries[1].envelope.action = "user.deleted".into();
        assert_eq!(verify_chain(&entries), Err(ChainBreak::Envelope { seq: 2 }));

        let mut entries = chain(4);
        entries.remove(1);
        assert_eq!(verify_chain(&entries), Err(ChainBreak::Gap { seq: 3, expected: 2 }));
    }
}
