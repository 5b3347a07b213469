//! Query references (`Q-000123`): one counter row per tenant, unique and increasing.
//!
//! Where writers run side by side (PostgreSQL), the counter is moved by one statement in a
//! transaction of its own before the create's (migration 0023), so concurrent creates do not
//! queue on the counter row until each commits. What a create names is checked before it takes
//! one, so only a create that fails for another reason (a customer deleted in between, a lost
//! connection) leaves a gap, which DESIGN.md allows. Where a writing transaction holds the
//! whole database anyway (SQLite), the counter is moved in the create's own transaction and a
//! failed create leaves no gap.

use super::{NoRow, SqlBackend, SqlConn, SqlRow, Stmt};
use crate::{StorageError, StorageResult};
use domain::TenantId;

/// Moves the tenant's counter on by one, in the caller's transaction, and returns the new value.
async fn take_next(conn: &mut impl SqlConn, tenant_id: TenantId) -> StorageResult<i64> {
    let stmt = Stmt::new(
        "INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, 'query_reference', 1)
         ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1 RETURNING value",
    )
    .bind(tenant_id.as_uuid());
    conn.fetch_one(stmt).await?.int("value")
}

/// Whether this backend takes references before the create's transaction.
pub fn taken_apart<B: SqlBackend>() -> bool {
    <B::Tx as SqlConn>::DIALECT.reference_apart.is_some()
}

/// Before the create's transaction: the reference, taken apart where the dialect does so
/// (see [`super::Dialect::reference_apart`]), else None.
pub async fn take_apart<B: SqlBackend>(backend: &B, tenant_id: TenantId) -> StorageResult<Option<i64>> {
    let Some(take) = <B::Tx as SqlConn>::DIALECT.reference_apart else {
        return Ok(None);
    };
    let row = backend.autocommit(Stmt::new(take).bind(tenant_id.as_uuid())).await?;
    row.ok_or_else(|| StorageError::backend(NoRow))?.int("value").map(Some)
}

/// In the create's transaction: the reference taken apart, or the next one now.
pub async fn reference_for(
    conn: &mut impl SqlConn,
    tenant_id: TenantId,
    taken_apart: Option<i64>,
) -> StorageResult<i64> {
    match taken_apart {
        Some(reference) => Ok(reference),
        None => take_next(conn, tenant_id).await,
    }
}
