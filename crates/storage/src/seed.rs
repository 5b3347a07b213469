//! Bulk loading of generated data (`casedesk seed`, `serve --demo`, load tests).
//!
//! The repositories write one record per transaction with its audit entry and events; a
//! million queries that way would take hours. A [`Seeder`] instead takes whole batches of
//! records that are already built (ids, times, search documents, audit links) and writes each
//! batch in one transaction with the backend's fastest bulk statement. What lands in the
//! tables is exactly what the repositories would have written, so every read path, the search
//! index and the audit chain's verification see ordinary data.

use crate::{StorageResult, TenantScope, records::ChainLink, records::NewEvent};
use async_trait::async_trait;
use domain::{
    StatusId, TenantId, Timestamp,
    audit::{Actor, AuditEnvelope, AuditEvent, payload_hash},
    customer::Customer,
    note::Note,
    query::{Query, QueryStatus},
};
use uuid::Uuid;

/// Where the tenant's data stands before seeding: new records continue its audit chain and
/// its reference counter.
#[derive(Debug, Clone)]
pub struct SeedStart {
    pub audit_seq: i64,
    pub audit_hash: [u8; 32],
    /// The last query reference handed out (0 when none).
    pub last_reference: i64,
    /// The statuses in use.
    pub statuses: Vec<QueryStatus>,
    /// The current version of the default workflow, which seeded queries follow.
    pub workflow: domain::workflow::WorkflowRef,
}

/// One status transition row, as `record_transition` writes it.
#[derive(Debug, Clone)]
pub struct SeedTransition {
    pub query_id: Uuid,
    pub seq: i32,
    pub from: Option<StatusId>,
    pub to: StatusId,
    pub at: Timestamp,
    pub actor: Option<Uuid>,
    pub workflow: domain::workflow::WorkflowRef,
    pub resolution_summary: Option<String>,
}

/// A timeline event with the id and actor the repository would have given it.
#[derive(Debug, Clone)]
pub struct SeedEvent {
    pub id: Uuid,
    pub actor: Option<Uuid>,
    pub event: NewEvent,
}

/// Records to write in one transaction. Queries must refer to customers of this batch or of one
/// at least [`MAX_SEED_WRITERS`] before it; audit links must continue the chain in order.
#[derive(Debug, Default)]
pub struct SeedBatch {
    /// Each with its search document (`CustomerSearchParts::document`).
    pub customers: Vec<(Customer, String)>,
    /// Each with its search document (`SearchDocument::for_query`) and the workflow version
    /// it follows.
    pub queries: Vec<(Query, String)>,
    /// The workflow version every query of the batch follows (None only for a batch of none).
    pub workflow: Option<domain::workflow::WorkflowRef>,
    pub transitions: Vec<SeedTransition>,
    pub notes: Vec<Note>,
    pub events: Vec<SeedEvent>,
    pub audit: Vec<ChainLink>,
    /// Service-level clocks, by query, as they stand at the end of the seeded history.
    pub clocks: Vec<(domain::QueryId, domain::sla::Clock)>,
}

impl SeedBatch {
    /// Rows in the batch, for progress reports.
    pub fn rows(&self) -> usize {
        self.customers.len()
            + self.queries.len()
            + self.transitions.len()
            + self.notes.len()
            + self.events.len()
            + self.audit.len()
            + self.clocks.len()
    }
}

/// Builds the next link of a chain for a change made at `at` by `actor`, linked at once: seeded
/// history happened in the past and is written by one loader, so it skips the unlinked stage
/// live writes go through (`crate::sql::audit`).
pub fn seed_link(
    tenant_id: TenantId,
    actor: Actor,
    at: Timestamp,
    event: &AuditEvent,
    seq: i64,
    prev_hash: [u8; 32],
) -> ChainLink {
    let envelope = AuditEnvelope {
        tenant_id,
        seq,
        at,
        actor,
        action: event.action.clone(),
        subject_kind: event.subject_kind.clone(),
        subject_id: event.subject_id,
    };
    let payload = event.payload.to_string();
    let payload_hash = payload_hash(&payload);
    let hash = envelope.chain_hash(&prev_hash, &payload_hash);
    ChainLink { envelope, payload, payload_hash, prev_hash, hash }
}

/// Resolves when every earlier batch has committed. A batch writes its rows while the batches
/// before it are still being written, then awaits its turn before moving the audit head, so
/// batches commit in order and the chain only ever moves forward.
pub type SeedTurn = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// The most batches any backend writes at once. Generated queries refer only to customers of
/// their own batch or of a batch at least this many before it, which has committed by the
/// time the batch is written (batches commit in order), so foreign keys always hold.
pub const MAX_SEED_WRITERS: usize = 3;

#[async_trait]
pub trait Seeder: Send + Sync {
    /// How many batches this backend writes at once (at most [`MAX_SEED_WRITERS`]).
    fn seed_writers(&self) -> usize {
        1
    }
    /// The tenant's audit head, last reference and statuses.
    async fn seed_start(&self, scope: &TenantScope) -> StorageResult<SeedStart>;
    /// Writes the batch in one transaction and, once `turn` resolves, moves the audit head to
    /// its last link and the reference counter to its highest reference, so the database is
    /// consistent after every batch even if seeding stops part way.
    async fn seed_batch(&self, scope: &TenantScope, batch: &SeedBatch, turn: SeedTurn) -> StorageResult<()>;
}
