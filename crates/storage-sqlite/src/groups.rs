//! Groups, their grants and members on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    GroupId, Timestamp,
    group::{Group, GroupDetails},
};
use sqlx::SqliteConnection;
use storage::{
    GroupRepo, StorageError, StorageResult, TenantScope,
    records::{self, GroupRow},
};
use uuid::Uuid;

type Row = (Uuid, String, String, bool, i64, i64, i64, Option<String>, Option<String>, Option<bool>);

pub(crate) async fn groups_where(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: Option<GroupId>,
) -> StorageResult<Vec<Group>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT g.id, g.name, g.description, g.builtin, g.version, g.created_at, g.updated_at, r.area, r.level, r.own_teams
         FROM groups g LEFT JOIN grants r ON r.tenant_id = g.tenant_id AND r.group_id = g.id
         WHERE g.tenant_id = ?1 AND (?2 IS NULL OR g.id = ?2)
         ORDER BY lower(g.name), g.id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()))
    .fetch_all(&mut *conn)
    .await
    .map_err(db_error)?;
    let members: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT group_id, user_id FROM group_members
         WHERE tenant_id = ?1 AND (?2 IS NULL OR group_id = ?2) ORDER BY created_at, user_id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()))
    .fetch_all(&mut *conn)
    .await
    .map_err(db_error)?;
    let rows = rows
        .into_iter()
        .map(|(id, name, description, builtin, version, created, updated, area, level, own_teams)| GroupRow {
            id,
            name,
            description,
            builtin,
            version,
            created_at: ts(created),
            updated_at: ts(updated),
            area,
            level,
            own_teams,
        })
        .collect();
    records::groups_from_rows(rows, members)
}

/// Replaces the group's grants and members; each member must be a user of the tenant. A member
/// who stays keeps their membership row (and its date).
async fn write_grants_and_members(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    group: &Group,
    before: &[domain::UserId],
) -> StorageResult<()> {
    let tenant = scope.tenant_id.as_uuid();
    for gone in before.iter().filter(|m| !group.details.members.contains(m)) {
        sqlx::query("DELETE FROM group_members WHERE tenant_id = ?1 AND group_id = ?2 AND user_id = ?3")
            .bind(tenant)
            .bind(group.id.as_uuid())
            .bind(gone.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    for member in group.details.members.iter().filter(|m| !before.contains(m)) {
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2")
            .bind(tenant)
            .bind(member.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
        known.ok_or(StorageError::UnknownReference { field: "member_ids" })?;
        sqlx::query("INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(tenant)
            .bind(group.id.as_uuid())
            .bind(member.as_uuid())
            .bind(group.updated_at.as_micros())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    sqlx::query("DELETE FROM grants WHERE tenant_id = ?1 AND group_id = ?2")
        .bind(tenant)
        .bind(group.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    for grant in &group.details.grants {
        sqlx::query(
            "INSERT INTO grants (tenant_id, id, group_id, area, level, created_at, own_teams)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(tenant)
        .bind(Uuid::now_v7())
        .bind(group.id.as_uuid())
        .bind(grant.area.as_str())
        .bind(grant.level.as_str())
        .bind(group.updated_at.as_micros())
        .bind(grant.own_teams)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

/// The group if `expected_version` is current (the caller holds the write lock).
async fn current(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: GroupId,
    expected_version: i64,
) -> StorageResult<Group> {
    let group = groups_where(conn, scope, Some(id)).await?.pop().ok_or(StorageError::NotFound)?;
    if group.version != expected_version {
        return Err(StorageError::VersionMismatch { current: group.version });
    }
    Ok(group)
}

#[async_trait]
impl GroupRepo for SqliteStore {
    async fn list_groups(&self, scope: &TenantScope) -> StorageResult<Vec<Group>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let groups = groups_where(&mut tx, scope, None).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(groups)
    }

    async fn get_group(&self, scope: &TenantScope, id: GroupId) -> StorageResult<Option<Group>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let group = groups_where(&mut tx, scope, Some(id)).await?.pop();
        tx.commit().await.map_err(db_error)?;
        Ok(group)
    }

    async fn create_group(&self, scope: &TenantScope, details: GroupDetails) -> StorageResult<Group> {
        let group = records::new_group(details);
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        sqlx::query(
            "INSERT INTO groups (tenant_id, id, name, description, builtin, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 0, 1, ?5, ?5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(group.id.as_uuid())
        .bind(&group.details.name)
        .bind(&group.details.description)
        .bind(group.created_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_grants_and_members(&mut tx, scope, &group, &[]).await?;
        audit::append(&mut tx, scope, &records::group_added(&group)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(group)
    }

    async fn update_group(
        &self,
        scope: &TenantScope,
        id: GroupId,
        expected_version: i64,
        details: GroupDetails,
    ) -> StorageResult<Group> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = current(&mut tx, scope, id, expected_version).await?;
        records::builtin_grants_kept(&before, &records::normalised(details.clone()))?;
        let after = Group {
            details: records::normalised(details),
            version: before.version + 1,
            updated_at: Timestamp::now(),
            ..before.clone()
        };
        sqlx::query(
            "UPDATE groups SET name = ?3, description = ?4, version = ?5, updated_at = ?6
             WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&after.details.name)
        .bind(&after.details.description)
        .bind(after.version)
        .bind(after.updated_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_grants_and_members(&mut tx, scope, &after, &before.details.members).await?;
        crate::users::administrators_remain(&mut tx, scope).await?;
        audit::append(&mut tx, scope, &records::group_updated(&before, &after)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn delete_group(&self, scope: &TenantScope, id: GroupId, expected_version: i64) -> StorageResult<()> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let group = current(&mut tx, scope, id, expected_version).await?;
        records::deletable(&group)?;
        let restricting: i64 =
            sqlx::query_scalar("SELECT count(*) FROM query_restrictions WHERE tenant_id = ?1 AND group_id = ?2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
        if restricting > 0 {
            // Deleting it would leave those queries visible to nobody, or to everybody.
            return Err(StorageError::Conflict { constraint: "group_restricts_queries".into() });
        }
        for statement in [
            "DELETE FROM grants WHERE tenant_id = ?1 AND group_id = ?2",
            "DELETE FROM group_members WHERE tenant_id = ?1 AND group_id = ?2",
            "DELETE FROM groups WHERE tenant_id = ?1 AND id = ?2",
        ] {
            sqlx::query(statement)
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        audit::append(&mut tx, scope, &records::group_deleted(&group)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
