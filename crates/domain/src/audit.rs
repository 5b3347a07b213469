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
        self.digest(b"casedesk-audit-v1", prev_hash, Some(self.seq), payload_hash)
    }

    /// The hash an entry carries from its own transaction, before it has a place in the chain
    /// (no sequence number or previous hash yet): what links it checks, and what verification
    /// checks while it waits (docs/decisions.md, "Audit chain").
    pub fn entry_hash(&self, id: Uuid, payload_hash: &[u8; 32]) -> [u8; 32] {
        self.digest(b"casedesk-audit-entry-v1", id.as_bytes(), None, payload_hash)
    }

    fn digest(&self, tag: &[u8], prefix: &[u8], seq: Option<i64>, payload_hash: &[u8; 32]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(tag);
        hasher.update(prefix);
        let actor_id = self.actor.id().map(|id| id.to_string()).unwrap_or_default();
        let seq = seq.map(|seq| seq.to_string());
        let fields = [
            Some(self.tenant_id.to_string()),
            seq,
            Some(self.at.as_micros().to_string()),
            Some(self.actor.kind().to_owned()),
            Some(actor_id),
            Some(self.action.clone()),
            Some(self.subject_kind.clone()),
            Some(self.subject_id.to_string()),
        ];
        for field in fields.iter().flatten() {
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

/// An entry written with its change but not yet linked into the chain. Its envelope's `seq`
/// is 0 until it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuditEntry {
    pub id: Uuid,
    pub envelope: AuditEnvelope,
    pub payload_hash: [u8; 32],
    /// The payload as stored, or `None` once erased.
    pub payload_json: Option<String>,
    pub entry_hash: [u8; 32],
}

impl PendingAuditEntry {
    /// Whether the entry is as it was written: its payload matches the payload hash and its
    /// envelope the entry hash.
    pub fn is_intact(&self) -> bool {
        let payload_ok = self.payload_json.as_deref().is_none_or(|json| payload_hash(json) == self.payload_hash);
        payload_ok && self.envelope.entry_hash(self.id, &self.payload_hash) == self.entry_hash
    }
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
    #[error("unlinked entry {id}: does not match its hash")]
    Unlinked { id: Uuid },
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

/// Checks entries not yet linked into the chain, each against its own hashes.
pub fn verify_unlinked<'a>(entries: impl IntoIterator<Item = &'a PendingAuditEntry>) -> Result<u64, ChainBreak> {
    let mut count = 0;
    for entry in entries {
        if !entry.is_intact() {
            return Err(ChainBreak::Unlinked { id: entry.id });
        }
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

    fn pending() -> PendingAuditEntry {
        let envelope = chain(1).remove(0).envelope;
        let envelope = AuditEnvelope { seq: 0, ..envelope };
        let json = "{\"n\":1}".to_owned();
        let id = Uuid::now_v7();
        let payload_hash = payload_hash(&json);
        let entry_hash = envelope.entry_hash(id, &payload_hash);
        PendingAuditEntry { id, envelope, payload_hash, payload_json: Some(json), entry_hash }
    }

    #[test]
    fn an_unlinked_entry_is_checked_against_its_own_hashes() {
        assert_eq!(verify_unlinked(&[pending(), pending()]), Ok(2));
        let mut erased = pending();
        erased.payload_json = None;
        assert_eq!(verify_unlinked(&[erased]), Ok(1));

        let mut changed = pending();
        changed.envelope.action = "user.deleted".into();
        assert_eq!(verify_unlinked(&[changed.clone()]), Err(ChainBreak::Unlinked { id: changed.id }));
        let mut rewritten = pending();
        rewritten.payload_json = Some("{\"n\":2}".into());
        assert_eq!(verify_unlinked(&[rewritten.clone()]), Err(ChainBreak::Unlinked { id: rewritten.id }));
        // The entry hash binds the id, so an entry cannot be passed off under another one's.
        let mut moved = pending();
        moved.id = Uuid::now_v7();
        assert_eq!(verify_unlinked(&[moved.clone()]), Err(ChainBreak::Unlinked { id: moved.id }));
    }

    #[test]
    fn the_chain_hash_is_unchanged_by_the_entry_hash() {
        // Pinned: entries chained before unlinked entries existed must still verify.
        let envelope = AuditEnvelope {
            tenant_id: TenantId::from_uuid(Uuid::nil()),
            seq: 1,
            at: Timestamp::from_micros(0),
            actor: Actor::System,
            action: "a".into(),
            subject_kind: "s".into(),
            subject_id: Uuid::nil(),
        };
        let mut hasher = Sha256::new();
        hasher.update(b"casedesk-audit-v1");
        hasher.update(GENESIS_HASH);
        let tenant = Uuid::nil().to_string();
        for field in [tenant.as_str(), "1", "0", "system", "", "a", "s", tenant.as_str()] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hasher.update([7; 32]);
        let expected: [u8; 32] = hasher.finalize().into();
        assert_eq!(envelope.chain_hash(&GENESIS_HASH, &[7; 32]), expected);
    }
}
