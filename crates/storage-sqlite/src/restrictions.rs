//! Restricting a query to named groups, on SQLite.

use crate::{SqliteStore, audit, queries::live_query, rows::db_error};
use domain::{GroupId, QueryId, Timestamp, query::Query};
use sqlx::SqliteConnection;
use storage::{StorageError, StorageResult, TenantScope, records};
use uuid::Uuid;

async fn groups_of(conn: &mut SqliteConnection, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<GroupId>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT group_id FROM query_restrictions WHERE tenant_id = ?1 AND query_id = ?2 ORDER BY group_id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    Ok(ids.into_iter().map(GroupId::from_uuid).collect())
}

impl SqliteStore {
    pub(crate) async fn restriction_of(
        &self,
        scope: &TenantScope,
        id: QueryId,
    ) -> StorageResult<Option<(Query, Vec<GroupId>)>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let Some(query) = live_query(&mut tx, scope, id).await? else {
            tx.commit().await.map_err(db_error)?;
            return Ok(None);
        };
        let groups = groups_of(&mut tx, scope, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Some((query, groups)))
    }

    pub(crate) async fn set_restriction(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        mut groups: Vec<GroupId>,
    ) -> StorageResult<(Query, Vec<GroupId>)> {
        groups.sort();
        groups.dedup();
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = live_query(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let before_groups = groups_of(&mut tx, scope, id).await?;
        let after = Query { version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        sqlx::query("DELETE FROM query_restrictions WHERE tenant_id = ?1 AND query_id = ?2")
            .bind(tenant)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        for group in &groups {
            let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM groups WHERE tenant_id = ?1 AND id = ?2")
                .bind(tenant)
                .bind(group.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
            known.ok_or(StorageError::UnknownReference { field: "group_ids" })?;
            sqlx::query(
                "INSERT INTO query_restrictions (tenant_id, query_id, group_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(group.as_uuid())
            .bind(after.updated_at.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        sqlx::query(
            "UPDATE queries SET restricted = ?3, version = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(!groups.is_empty())
        .bind(after.version)
        .bind(after.updated_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::query_restriction_changed(&after, &before_groups, &groups)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok((after, groups))
    }
}
