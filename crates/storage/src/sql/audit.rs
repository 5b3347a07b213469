//! The audit chain. A write records its entry in its own transaction as an unlinked entry (with
//! its payload hash and an entry hash over envelope and id) and takes no lock another writer
//! waits for; `link_pending` then gives entries their place in the chain in order, under the
//! head's row lock, after checking each against its entry hash. Where the dialect says so
//! (SQLite, whose writers take turns anyway) a write links its entry before it commits.
//! Reads of the chain link first, so they see every committed entry in place.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt};
use crate::{
    AuditRepo, StorageResult, TenantRepo, TenantScope,
    records::{AuditColumns, corrupt, stored_entry},
};
use async_trait::async_trait;
use domain::{
    TenantId, Timestamp,
    audit::{Actor, AuditEnvelope, AuditEvent, GENESIS_HASH, PendingAuditEntry, StoredAuditEntry, payload_hash},
};
use uuid::Uuid;

/// Starts a tenant's chain. Called in the transaction that creates the tenant.
pub async fn start_chain(conn: &mut impl SqlConn, tenant_id: TenantId) -> StorageResult<()> {
    let stmt = Stmt::new("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)")
        .bind(tenant_id.as_uuid())
        .bind(&GENESIS_HASH);
    conn.execute(stmt).await.map(drop)
}

/// Records an entry inside the caller's transaction.
pub async fn append<C: SqlConn>(conn: &mut C, scope: &TenantScope, event: &AuditEvent) -> StorageResult<()> {
    let id = Uuid::now_v7();
    let envelope = AuditEnvelope {
        tenant_id: scope.tenant_id,
        seq: 0,
        at: Timestamp::now(),
        actor: scope.actor,
        action: event.action.clone(),
        subject_kind: event.subject_kind.clone(),
        subject_id: event.subject_id,
    };
    let payload = event.payload.to_string();
    let payload_hash = payload_hash(&payload);
    let entry_hash = envelope.entry_hash(id, &payload_hash);
    let stmt = Stmt::new(
        "INSERT INTO audit_pending (tenant_id, id, at, actor_kind, actor_id, action, subject_kind, subject_id,
             payload, payload_hash, entry_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id)
    .bind(envelope.at)
    .bind(envelope.actor.kind())
    .bind(envelope.actor.id())
    .bind(&envelope.action)
    .bind(&envelope.subject_kind)
    .bind(envelope.subject_id)
    .bind(payload)
    .bind(&payload_hash)
    .bind(&entry_hash);
    conn.execute(stmt).await?;
    if C::DIALECT.links_audit_inline {
        link_pending(conn, scope.tenant_id).await?;
    }
    Ok(())
}

/// Entries linked per statement: 11 values each stays under PostgreSQL's 65,535 parameters
/// and SQLite's 32,766.
const LINK_BATCH: usize = 1_000;

const PENDING_COLUMNS: &str =
    "id, at, actor_kind, actor_id, action, subject_kind, subject_id, payload, payload_hash, entry_hash";

fn pending_of(tenant_id: TenantId, row: &impl SqlRow) -> StorageResult<PendingAuditEntry> {
    let hash =
        |column: &str| -> StorageResult<[u8; 32]> { row.bytes(column)?.try_into().map_err(|_| corrupt("audit hash")) };
    Ok(PendingAuditEntry {
        id: row.uuid("id")?,
        envelope: AuditEnvelope {
            tenant_id,
            seq: 0,
            at: row.time("at")?,
            actor: Actor::from_parts(&row.text("actor_kind")?, row.opt_uuid("actor_id")?)
                .ok_or_else(|| corrupt("actor"))?,
            action: row.text("action")?,
            subject_kind: row.text("subject_kind")?,
            subject_id: row.uuid("subject_id")?,
        },
        payload_hash: hash("payload_hash")?,
        payload_json: row.opt_text("payload")?,
        entry_hash: hash("entry_hash")?,
    })
}

/// Links the tenant's recorded entries into its chain, oldest first, in the caller's
/// transaction; returns how many. The head's row lock makes linkers take turns. An entry that
/// no longer matches its entry hash is left where it is, with every entry after it, so the
/// chain never takes in an entry changed behind the application's back; verification reports
/// it (`verify_unlinked`).
pub async fn link_pending<C: SqlConn>(conn: &mut C, tenant_id: TenantId) -> StorageResult<u64> {
    let head = format!("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1{}", C::DIALECT.for_update);
    let head = conn.fetch_one(Stmt::new(head).bind(tenant_id.as_uuid())).await?;
    let (mut seq, prev) = (head.int("seq")?, head.bytes("hash")?);
    let mut prev: [u8; 32] = prev.try_into().map_err(|_| corrupt("audit head"))?;
    let pending =
        format!("SELECT {PENDING_COLUMNS} FROM audit_pending WHERE tenant_id = $1 ORDER BY id LIMIT {LINK_BATCH}");
    let pending = conn.fetch_all(Stmt::new(pending).bind(tenant_id.as_uuid())).await?;
    // One statement for the batch's chain entries and one to remove them from the pending
    // table, whatever the batch's size: the sequencer keeps up with any rate of writes.
    let mut insert = Stmt::new("").bind(tenant_id.as_uuid());
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    for row in &pending {
        let entry = pending_of(tenant_id, row)?;
        if !entry.is_intact() {
            break;
        }
        seq += 1;
        let envelope = AuditEnvelope { seq, ..entry.envelope };
        let hash = envelope.chain_hash(&prev, &entry.payload_hash);
        let values = [
            insert.push(seq),
            insert.push(envelope.at),
            insert.push(envelope.actor.kind()),
            insert.push(envelope.actor.id()),
            insert.push(envelope.action),
            insert.push(envelope.subject_kind),
            insert.push(envelope.subject_id),
            insert.push(entry.payload_json),
            insert.push(&entry.payload_hash),
            insert.push(&prev),
            insert.push(&hash),
        ];
        rows.push(format!("($1, {})", values.join(", ")));
        ids.push(entry.id);
        prev = hash;
    }
    if ids.is_empty() {
        return Ok(0);
    }
    insert.sql = format!(
        "INSERT INTO audit_entries (tenant_id, seq, at, actor_kind, actor_id, action, subject_kind, subject_id,
             payload, payload_hash, prev_hash, hash) VALUES {}",
        rows.join(", ")
    )
    .into();
    conn.execute(insert).await?;
    let mut done = Stmt::new("").bind(tenant_id.as_uuid());
    let listed = done.push_list(ids.iter().copied());
    done.sql = format!("DELETE FROM audit_pending WHERE tenant_id = $1 AND id IN ({listed})").into();
    conn.execute(done).await?;
    let head = Stmt::new("UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1")
        .bind(tenant_id.as_uuid())
        .bind(seq)
        .bind(&prev);
    conn.execute(head).await?;
    Ok(ids.len() as u64)
}

/// Whether the tenant has entries waiting for their place in the chain.
async fn has_pending<S: SqlBackend>(store: &S, tenant_id: TenantId) -> StorageResult<bool> {
    let mut tx = store.read(tenant_id).await?;
    let stmt = Stmt::new("SELECT 1 AS found FROM audit_pending WHERE tenant_id = $1 LIMIT 1").bind(tenant_id.as_uuid());
    let found = tx.fetch_optional(stmt).await?.is_some();
    tx.commit().await?;
    Ok(found)
}

/// Links the tenant's recorded entries in a transaction of its own.
async fn link_tenant<S: SqlBackend>(store: &S, tenant_id: TenantId) -> StorageResult<u64> {
    let mut tx = store.write(tenant_id).await?;
    let mut linked = 0;
    loop {
        let batch = link_pending(&mut tx, tenant_id).await?;
        linked += batch;
        if batch < LINK_BATCH as u64 {
            break;
        }
    }
    tx.commit().await?;
    Ok(linked)
}

const AUDIT_COLUMNS: &str =
    "seq, at, actor_kind, actor_id, action, subject_kind, subject_id, payload, payload_hash, prev_hash, hash";

fn entry_of(tenant_id: TenantId, row: &impl SqlRow) -> StorageResult<StoredAuditEntry> {
    let columns = AuditColumns {
        seq: row.int("seq")?,
        at: row.time("at")?,
        actor_kind: row.text("actor_kind")?,
        actor_id: row.opt_uuid("actor_id")?,
        action: row.text("action")?,
        subject_kind: row.text("subject_kind")?,
        subject_id: row.uuid("subject_id")?,
        payload: row.opt_text("payload")?,
        payload_hash: row.bytes("payload_hash")?,
        prev_hash: row.bytes("prev_hash")?,
        hash: row.bytes("hash")?,
    };
    stored_entry(tenant_id, columns)
}

/// Links what is recorded, then reads the chain's entries that `stmt` selects.
async fn entries<S: SqlBackend>(store: &S, scope: &TenantScope, stmt: Stmt) -> StorageResult<Vec<StoredAuditEntry>> {
    link_tenant(store, scope.tenant_id).await?;
    let mut tx = store.read(scope.tenant_id).await?;
    let rows = tx.fetch_all(stmt).await?;
    tx.commit().await?;
    rows.iter().map(|row| entry_of(scope.tenant_id, row)).collect()
}

#[async_trait]
impl<S: SqlBackend> AuditRepo for S {
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()> {
        let mut tx = self.write(scope.tenant_id).await?;
        append(&mut tx, scope, &event).await?;
        tx.commit().await
    }

    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>> {
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_entries WHERE tenant_id = $1 ORDER BY seq");
        entries(self, scope, Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await
    }

    async fn audit_unlinked(&self, scope: &TenantScope) -> StorageResult<Vec<PendingAuditEntry>> {
        let sql = format!("SELECT {PENDING_COLUMNS} FROM audit_pending WHERE tenant_id = $1 ORDER BY id");
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await?;
        tx.commit().await?;
        rows.iter().map(|row| pending_of(scope.tenant_id, row)).collect()
    }

    async fn audit_of(
        &self,
        scope: &TenantScope,
        subject_kind: &str,
        subject_id: Uuid,
    ) -> StorageResult<Vec<StoredAuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_entries
             WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY seq"
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(subject_kind).bind(subject_id);
        entries(self, scope, stmt).await
    }

    async fn link_audit(&self) -> StorageResult<u64> {
        let mut linked = 0;
        for tenant in self.list_tenants().await? {
            // Looked for in a read first: locking the head is a write, and a committed write
            // is a WAL flush, five times a second per tenant even when nothing waits (it put
            // 0.6 ms on every read at one client, docs/performance.md).
            if has_pending(self, tenant.id).await? {
                linked += link_tenant(self, tenant.id).await?;
            }
        }
        Ok(linked)
    }
}
