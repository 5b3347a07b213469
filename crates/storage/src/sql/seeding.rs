//! The parts of bulk seeding both backends share: where a tenant's seeding starts, and moving
//! the audit chain's head past a batch. (How the rows go in differs: `UNNEST` arrays under
//! row-level security on PostgreSQL, batched inserts on SQLite.)

use super::{SqlConn, SqlRow, Stmt};
use crate::{
    StorageError, StorageResult, TenantScope, records,
    seed::{SeedBatch, SeedStart},
};

/// The tenant's audit head, last query reference and statuses.
pub async fn seed_start(conn: &mut impl SqlConn, scope: &TenantScope) -> StorageResult<SeedStart> {
    let tenant = scope.tenant_id.as_uuid();
    let head = conn.fetch_one(Stmt::new("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1").bind(tenant)).await?;
    let counter =
        Stmt::new("SELECT value FROM tenant_counters WHERE tenant_id = $1 AND name = 'query_reference'").bind(tenant);
    let last_reference = conn.fetch_optional(counter).await?.map(|row| row.int("value")).transpose()?;
    let statuses = super::statuses::all(conn, scope).await?.into_iter().filter(|s| !s.retired).collect();
    let default = super::workflows::applying(conn, scope, None).await?;
    Ok(SeedStart {
        audit_seq: head.int("seq")?,
        audit_hash: head.bytes("hash")?.try_into().map_err(|_| records::corrupt("audit head"))?,
        last_reference: last_reference.unwrap_or(0),
        statuses,
        workflow: domain::workflow::WorkflowRef { id: default.id, version: default.current },
    })
}

/// Moves the audit head to the batch's last entry. Only forward from the head this batch
/// continued: anything else is a concurrent writer, and the chain would fork.
pub async fn move_audit_head(conn: &mut impl SqlConn, scope: &TenantScope, batch: &SeedBatch) -> StorageResult<()> {
    let (Some(first), Some(last)) = (batch.audit.first(), batch.audit.last()) else { return Ok(()) };
    let stmt = Stmt::new("UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1 AND hash = $4")
        .bind(scope.tenant_id.as_uuid())
        .bind(last.envelope.seq)
        .bind(&last.hash)
        .bind(&first.prev_hash);
    if conn.execute(stmt).await? != 1 {
        return Err(StorageError::Backend("the audit chain moved while seeding".into()));
    }
    Ok(())
}

/// Moves the tenant's query-reference counter past the batch's highest reference.
pub async fn advance_reference(conn: &mut impl SqlConn, scope: &TenantScope, batch: &SeedBatch) -> StorageResult<()> {
    let Some(max) = batch.queries.iter().map(|(query, _)| query.reference.number()).max() else { return Ok(()) };
    let stmt = Stmt::new(
        "INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, 'query_reference', $2)
         ON CONFLICT (tenant_id, name) DO UPDATE
             SET value = CASE WHEN tenant_counters.value > $2 THEN tenant_counters.value ELSE $2 END",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(i64::try_from(max).unwrap_or(i64::MAX));
    conn.execute(stmt).await.map(drop)
}

/// The batch's service-level clocks, as the alert sweep would have left them by now.
pub async fn insert_clocks(conn: &mut impl SqlConn, scope: &TenantScope, batch: &SeedBatch) -> StorageResult<()> {
    let rows: Vec<_> = batch.clocks.iter().map(|(query, clock)| (*query, clock)).collect();
    super::clocks::insert_rows(conn, scope, &rows, super::clocks::Written::SettledAt(domain::Timestamp::now())).await
}
