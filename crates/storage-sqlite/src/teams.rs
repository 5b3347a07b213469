//! Teams and the query-type taxonomy on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    QueryTypeId, TeamId, Timestamp,
    team::{NewQueryType, QueryType, Team, TeamDetails},
};
use sqlx::SqliteConnection;
use storage::{
    StorageError, StorageResult, TeamRepo, TenantScope,
    records::{self, query_type_from_columns, teams_from_rows},
};
use uuid::Uuid;

type TeamRow = (Uuid, String, i64, i64, i64, Option<Uuid>);

async fn teams_where(conn: &mut SqliteConnection, scope: &TenantScope, id: Option<TeamId>) -> StorageResult<Vec<Team>> {
    let rows: Vec<TeamRow> = sqlx::query_as(
        "SELECT t.id, t.name, t.version, t.created_at, t.updated_at, m.user_id
         FROM teams t LEFT JOIN team_members m ON m.tenant_id = t.tenant_id AND m.team_id = t.id
         WHERE t.tenant_id = ?1 AND (?2 IS NULL OR t.id = ?2)
         ORDER BY lower(t.name), t.id, m.position",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()))
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    Ok(teams_from_rows(rows.into_iter().map(|(id, name, v, c, u, m)| (id, name, v, ts(c), ts(u), m)).collect()))
}

/// Replaces the team's members; each must be a user of the tenant.
async fn write_members(conn: &mut SqliteConnection, scope: &TenantScope, team: &Team) -> StorageResult<()> {
    sqlx::query("DELETE FROM team_members WHERE tenant_id = ?1 AND team_id = ?2")
        .bind(scope.tenant_id.as_uuid())
        .bind(team.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    for (position, member) in (1_i64..).zip(&team.details.members) {
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(member.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
        known.ok_or(StorageError::UnknownReference { field: "member_ids" })?;
        sqlx::query("INSERT INTO team_members (tenant_id, team_id, user_id, position) VALUES (?1, ?2, ?3, ?4)")
            .bind(scope.tenant_id.as_uuid())
            .bind(team.id.as_uuid())
            .bind(member.as_uuid())
            .bind(position)
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

type TypeRow = (Uuid, Option<Uuid>, String, bool, i64);

async fn query_type(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: QueryTypeId,
) -> StorageResult<Option<QueryType>> {
    let row: Option<TypeRow> =
        sqlx::query_as("SELECT id, parent_id, name, active, version FROM query_types WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_error)?;
    Ok(row.map(|(id, parent, name, active, version)| query_type_from_columns(id, parent, name, active, version)))
}

#[async_trait]
impl TeamRepo for SqliteStore {
    async fn list_teams(&self, scope: &TenantScope) -> StorageResult<Vec<Team>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let teams = teams_where(&mut tx, scope, None).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(teams)
    }

    async fn get_team(&self, scope: &TenantScope, id: TeamId) -> StorageResult<Option<Team>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let team = teams_where(&mut tx, scope, Some(id)).await?.pop();
        tx.commit().await.map_err(db_error)?;
        Ok(team)
    }

    async fn create_team(&self, scope: &TenantScope, details: TeamDetails) -> StorageResult<Team> {
        let now = Timestamp::now();
        let team = Team { id: TeamId::new(), details, version: 1, created_at: now, updated_at: now };
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        sqlx::query(
            "INSERT INTO teams (tenant_id, id, name, version, created_at, updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?4)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(team.id.as_uuid())
        .bind(&team.details.name)
        .bind(now.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_members(&mut tx, scope, &team).await?;
        audit::append(&mut tx, scope, &records::team_created(&team)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(team)
    }

    async fn update_team(
        &self,
        scope: &TenantScope,
        id: TeamId,
        expected_version: i64,
        details: TeamDetails,
    ) -> StorageResult<Team> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = teams_where(&mut tx, scope, Some(id)).await?.pop().ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = Team { details, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        sqlx::query("UPDATE teams SET name = ?3, version = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(&after.details.name)
            .bind(after.version)
            .bind(after.updated_at.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        write_members(&mut tx, scope, &after).await?;
        audit::append(&mut tx, scope, &records::team_updated(&before, &after)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn list_query_types(&self, scope: &TenantScope) -> StorageResult<Vec<QueryType>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let rows: Vec<TypeRow> = sqlx::query_as(
            "SELECT id, parent_id, name, active, version FROM query_types WHERE tenant_id = ?1
             ORDER BY parent_id IS NOT NULL, lower(name), id",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(rows.into_iter().map(|(id, p, name, active, v)| query_type_from_columns(id, p, name, active, v)).collect())
    }

    async fn create_query_type(&self, scope: &TenantScope, new: NewQueryType) -> StorageResult<QueryType> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        if let Some(parent) = new.parent_id {
            let parent = query_type(&mut tx, scope, parent).await?;
            if parent.is_none_or(|p| p.parent_id.is_some()) {
                return Err(StorageError::UnknownReference { field: "parent_id" });
            }
        }
        let created =
            QueryType { id: QueryTypeId::new(), parent_id: new.parent_id, name: new.name, active: true, version: 1 };
        let now = Timestamp::now();
        sqlx::query(
            "INSERT INTO query_types (tenant_id, id, parent_id, name, active, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, 1, ?5, ?5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(created.id.as_uuid())
        .bind(created.parent_id.map(|p| p.as_uuid()))
        .bind(&created.name)
        .bind(now.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::query_type_created(&created)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(created)
    }

    async fn update_query_type(
        &self,
        scope: &TenantScope,
        id: QueryTypeId,
        expected_version: i64,
        name: String,
        active: bool,
    ) -> StorageResult<QueryType> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = query_type(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = QueryType { name, active, version: before.version + 1, ..before.clone() };
        sqlx::query(
            "UPDATE query_types SET name = ?3, active = ?4, version = ?5, updated_at = ?6
             WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&after.name)
        .bind(after.active)
        .bind(after.version)
        .bind(Timestamp::now().as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::query_type_updated(&before, &after)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }
}
