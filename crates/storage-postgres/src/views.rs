//! Saved work-queue views on PostgreSQL.

use crate::{
    PgStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    Timestamp, UserId, ViewId,
    saved_view::{SavedView, ViewDetails},
};
use sqlx::{
    PgConnection,
    types::chrono::{DateTime, Utc},
};
use storage::{
    StorageError, StorageResult, TenantScope, ViewRepo,
    records::{self, ViewColumns},
};
use uuid::Uuid;

type ViewRow = (Uuid, Uuid, Option<Uuid>, String, String, String, String, i64, DateTime<Utc>, DateTime<Utc>);

const SELECT: &str = "SELECT id, owner_id, team_id, name, filter, columns, sort, version, created_at, updated_at
    FROM saved_views";

fn view(row: ViewRow) -> StorageResult<SavedView> {
    let (id, owner_id, team_id, name, filter, columns, sort, version, created_at, updated_at) = row;
    SavedView::try_from(ViewColumns {
        id,
        owner_id,
        team_id,
        name,
        filter,
        columns,
        sort,
        version,
        created_at: ts(created_at),
        updated_at: ts(updated_at),
    })
}

async fn check_team(conn: &mut PgConnection, scope: &TenantScope, details: &ViewDetails) -> StorageResult<()> {
    let Some(team) = details.team else { return Ok(()) };
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM teams WHERE tenant_id = $1 AND id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(team.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_error)?;
    found.map(|_| ()).ok_or(StorageError::UnknownReference { field: "team_id" })
}

async fn owned(conn: &mut PgConnection, scope: &TenantScope, owner: UserId, id: ViewId) -> StorageResult<SavedView> {
    let row: Option<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 FOR UPDATE"
    )))
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(owner.as_uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_error)?;
    row.map(view).transpose()?.ok_or(StorageError::NotFound)
}

async fn write(conn: &mut PgConnection, scope: &TenantScope, view: &SavedView, insert: bool) -> StorageResult<()> {
    let sql = if insert {
        "INSERT INTO saved_views (tenant_id, id, owner_id, team_id, name, filter, columns, sort, version, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    } else {
        "UPDATE saved_views SET owner_id = $3, team_id = $4, name = $5, filter = $6, columns = $7, sort = $8,
             version = $9, created_at = $10, updated_at = $11
         WHERE tenant_id = $1 AND id = $2"
    };
    sqlx::query(sql)
        .bind(scope.tenant_id.as_uuid())
        .bind(view.id.as_uuid())
        .bind(view.owner.as_uuid())
        .bind(view.details.team.map(|t| t.as_uuid()))
        .bind(&view.details.name)
        .bind(&view.details.filter)
        .bind(serde_json::to_string(&view.details.columns).unwrap_or_default())
        .bind(view.details.sort.to_string())
        .bind(view.version)
        .bind(view.created_at.as_datetime())
        .bind(view.updated_at.as_datetime())
        .execute(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

#[async_trait]
impl ViewRepo for PgStore {
    async fn create_view(&self, scope: &TenantScope, owner: UserId, details: ViewDetails) -> StorageResult<SavedView> {
        let now = Timestamp::now();
        let saved = SavedView { id: ViewId::new(), owner, details, version: 1, created_at: now, updated_at: now };
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        check_team(&mut tx, scope, &saved.details).await?;
        write(&mut tx, scope, &saved, true).await?;
        audit::append(&mut tx, scope, &records::view_saved(&saved, "view.created")).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(saved)
    }

    async fn views_for(&self, scope: &TenantScope, user: UserId) -> StorageResult<Vec<SavedView>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let rows: Vec<ViewRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE tenant_id = $1 AND (owner_id = $2 OR team_id IN (
                 SELECT team_id FROM team_members WHERE tenant_id = $1 AND user_id = $2))
             ORDER BY lower(name), id"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(user.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(view).collect()
    }

    async fn update_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
        details: ViewDetails,
    ) -> StorageResult<SavedView> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let before = owned(&mut tx, scope, owner, id).await?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        check_team(&mut tx, scope, &details).await?;
        let after = SavedView { details, version: before.version + 1, updated_at: Timestamp::now(), ..before };
        write(&mut tx, scope, &after, false).await?;
        audit::append(&mut tx, scope, &records::view_saved(&after, "view.updated")).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn delete_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
    ) -> StorageResult<()> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let before = owned(&mut tx, scope, owner, id).await?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        sqlx::query("DELETE FROM saved_views WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::view_saved(&before, "view.deleted")).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
