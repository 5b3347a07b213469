//! A tenant's statuses as administrators manage them: added at the end of the order, renamed,
//! moved, retired and restored. A status is never deleted: queries and their history keep it.

use super::{SqlConn, SqlTx, Stmt, audit, workflows};
use crate::{
    StorageError, StorageResult, TenantScope,
    records::{STATUS_COLUMNS, query_status},
};
use domain::{
    StatusId, Timestamp,
    audit::AuditEvent,
    query::{QueryStatus, StatusCategory},
    workflow::StatusEdit,
};
use serde_json::json;

/// The tenant's statuses in display order, retired ones included.
pub async fn all<C: SqlConn>(conn: &mut C, scope: &TenantScope) -> StorageResult<Vec<QueryStatus>> {
    let stmt =
        Stmt::new(format!("SELECT {STATUS_COLUMNS} FROM query_statuses WHERE tenant_id = $1 ORDER BY position, name"))
            .bind(scope.tenant_id.as_uuid());
    conn.fetch_all(stmt).await?.iter().map(query_status).collect()
}

fn saved(status: &QueryStatus, action: &str) -> AuditEvent {
    let payload = json!({"after": {
        "name": status.name, "category": status.category, "position": status.position, "retired": status.retired,
    }, "version": status.version});
    AuditEvent::new(action, "query_status", status.id.as_uuid(), payload)
}

pub async fn create<T: SqlTx>(
    mut tx: T,
    scope: &TenantScope,
    name: &str,
    category: StatusCategory,
) -> StorageResult<QueryStatus> {
    let count = all(&mut tx, scope).await?.len();
    let status = QueryStatus {
        id: StatusId::new(),
        name: name.to_owned(),
        category,
        position: i32::try_from(count + 1).unwrap_or(i32::MAX),
        is_default: false,
        retired: false,
        version: 1,
    };
    let insert = Stmt::new(
        "INSERT INTO query_statuses (tenant_id, id, name, category, position, is_default, created_at, version)
         VALUES ($1, $2, $3, $4, $5, FALSE, $6, 1)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(status.id.as_uuid())
    .bind(&status.name)
    .bind(category.as_str())
    .bind(i64::from(status.position))
    .bind(Timestamp::now());
    tx.execute(insert).await?;
    audit::append(&mut tx, scope, &saved(&status, "query_status.created")).await?;
    tx.commit().await?;
    Ok(status)
}

pub async fn update<T: SqlTx>(
    mut tx: T,
    scope: &TenantScope,
    id: StatusId,
    expected_version: i64,
    edit: StatusEdit,
) -> StorageResult<QueryStatus> {
    let lock = Stmt::new(format!(
        "SELECT {STATUS_COLUMNS} FROM query_statuses WHERE tenant_id = $1 AND id = $2{}",
        T::DIALECT.for_update
    ))
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid());
    let before =
        tx.fetch_optional(lock).await?.as_ref().map(query_status).transpose()?.ok_or(StorageError::NotFound)?;
    if before.version != expected_version {
        return Err(StorageError::VersionMismatch { current: before.version });
    }
    if edit.retired && !before.retired && workflows::current_use(&mut tx, scope, id).await? {
        return Err(domain::Conflict::StatusInUse.into());
    }
    // Moving one status renumbers the rest, so the order stays 1..n without gaps.
    let mut order: Vec<QueryStatus> = all(&mut tx, scope).await?.into_iter().filter(|s| s.id != id).collect();
    let place = usize::try_from(edit.position.max(1) - 1).unwrap_or(0).min(order.len());
    order.insert(place, before.clone());
    for (number, status) in (1_i32..).zip(&order) {
        if status.id != id && status.position != number {
            let renumber = Stmt::new("UPDATE query_statuses SET position = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(status.id.as_uuid())
                .bind(i64::from(number));
            tx.execute(renumber).await?;
        }
    }
    let now = Timestamp::now();
    let after = QueryStatus {
        name: edit.name,
        position: i32::try_from(place + 1).unwrap_or(i32::MAX),
        retired: edit.retired,
        version: before.version + 1,
        ..before
    };
    // A status retired earlier keeps the time it was first retired.
    let write = Stmt::new(
        "UPDATE query_statuses SET name = $3, position = $4, version = $6,
             retired_at = CASE WHEN $5 THEN COALESCE(retired_at, $7) ELSE NULL END
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(&after.name)
    .bind(i64::from(after.position))
    .bind(after.retired)
    .bind(after.version)
    .bind(now);
    tx.execute(write).await?;
    audit::append(&mut tx, scope, &saved(&after, "query_status.updated")).await?;
    tx.commit().await?;
    Ok(after)
}
