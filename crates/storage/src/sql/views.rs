//! Saved work-queue views.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{
    RECENTLY_VIEWED_KEPT, StorageError, StorageResult, TenantScope, ViewRepo,
    records::{self, ViewColumns, subject_parts},
};
use async_trait::async_trait;
use domain::{
    CustomerId, QueryId, Timestamp, UserId, ViewId,
    notification::Subject,
    saved_view::{SavedView, ViewDetails},
};

const SELECT: &str = "SELECT id, owner_id, team_id, name, filter, columns, sort, version, created_at, updated_at
    FROM saved_views";

fn view_of(row: &impl SqlRow) -> StorageResult<SavedView> {
    SavedView::try_from(ViewColumns {
        id: row.uuid("id")?,
        owner_id: row.uuid("owner_id")?,
        team_id: row.opt_uuid("team_id")?,
        name: row.text("name")?,
        filter: row.text("filter")?,
        columns: row.text("columns")?,
        sort: row.text("sort")?,
        version: row.int("version")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

async fn check_team<C: SqlConn>(conn: &mut C, scope: &TenantScope, details: &ViewDetails) -> StorageResult<()> {
    let Some(team) = details.team else { return Ok(()) };
    let stmt = Stmt::new("SELECT 1 AS found FROM teams WHERE tenant_id = $1 AND id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(team.as_uuid());
    conn.fetch_optional(stmt).await?.map(drop).ok_or(StorageError::UnknownReference { field: "team_id" })
}

/// The owner's view, locked until the transaction ends.
async fn owned<C: SqlConn>(conn: &mut C, scope: &TenantScope, owner: UserId, id: ViewId) -> StorageResult<SavedView> {
    let sql = format!("{SELECT} WHERE tenant_id = $1 AND id = $2 AND owner_id = $3{}", C::DIALECT.for_update);
    let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid()).bind(owner.as_uuid());
    conn.fetch_optional(stmt).await?.as_ref().map(view_of).transpose()?.ok_or(StorageError::NotFound)
}

async fn owned_at_version<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    owner: UserId,
    id: ViewId,
    expected_version: i64,
) -> StorageResult<SavedView> {
    let before = owned(conn, scope, owner, id).await?;
    if before.version != expected_version {
        return Err(StorageError::VersionMismatch { current: before.version });
    }
    Ok(before)
}

async fn write(conn: &mut impl SqlConn, scope: &TenantScope, view: &SavedView, insert: bool) -> StorageResult<()> {
    let sql = if insert {
        "INSERT INTO saved_views (tenant_id, id, owner_id, team_id, name, filter, columns, sort, version, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    } else {
        "UPDATE saved_views SET owner_id = $3, team_id = $4, name = $5, filter = $6, columns = $7, sort = $8,
             version = $9, created_at = $10, updated_at = $11
         WHERE tenant_id = $1 AND id = $2"
    };
    let stmt = Stmt::new(sql)
        .bind(scope.tenant_id.as_uuid())
        .bind(view.id.as_uuid())
        .bind(view.owner.as_uuid())
        .bind(view.details.team.map(|t| t.as_uuid()))
        .bind(&view.details.name)
        .bind(&view.details.filter)
        .bind(serde_json::to_string(&view.details.columns).unwrap_or_default())
        .bind(view.details.sort.to_string())
        .bind(view.version)
        .bind(view.created_at)
        .bind(view.updated_at);
    conn.execute(stmt).await.map(drop)
}

#[async_trait]
impl<S: SqlBackend> ViewRepo for S {
    async fn create_view(&self, scope: &TenantScope, owner: UserId, details: ViewDetails) -> StorageResult<SavedView> {
        let now = Timestamp::now();
        let saved = SavedView { id: ViewId::new(), owner, details, version: 1, created_at: now, updated_at: now };
        let mut tx = self.write(scope.tenant_id).await?;
        check_team(&mut tx, scope, &saved.details).await?;
        write(&mut tx, scope, &saved, true).await?;
        audit::append(&mut tx, scope, &records::view_saved(&saved, "view.created")).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn views_for(&self, scope: &TenantScope, user: UserId) -> StorageResult<Vec<SavedView>> {
        let sql = format!(
            "{SELECT} WHERE tenant_id = $1 AND (owner_id = $2 OR team_id IN (
                 SELECT team_id FROM team_members WHERE tenant_id = $1 AND user_id = $2))
             ORDER BY lower(name), id"
        );
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(user.as_uuid())).await?;
        tx.commit().await?;
        rows.iter().map(view_of).collect()
    }

    async fn update_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
        details: ViewDetails,
    ) -> StorageResult<SavedView> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = owned_at_version(&mut tx, scope, owner, id, expected_version).await?;
        check_team(&mut tx, scope, &details).await?;
        let after = SavedView { details, version: before.version + 1, updated_at: Timestamp::now(), ..before };
        write(&mut tx, scope, &after, false).await?;
        audit::append(&mut tx, scope, &records::view_saved(&after, "view.updated")).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn delete_view(
        &self,
        scope: &TenantScope,
        owner: UserId,
        id: ViewId,
        expected_version: i64,
    ) -> StorageResult<()> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = owned_at_version(&mut tx, scope, owner, id, expected_version).await?;
        let stmt = Stmt::new("DELETE FROM saved_views WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid());
        tx.execute(stmt).await?;
        audit::append(&mut tx, scope, &records::view_saved(&before, "view.deleted")).await?;
        tx.commit().await
    }

    async fn record_visit(&self, scope: &TenantScope, user: UserId, subject: Subject) -> StorageResult<()> {
        visits::record(self, scope, user, subject).await
    }

    async fn recent_visits(
        &self,
        scope: &TenantScope,
        user: UserId,
        limit: u32,
    ) -> StorageResult<Vec<(Subject, Timestamp)>> {
        visits::newest(self, scope, user, limit).await
    }
}

fn subject_of(kind: &str, id: uuid::Uuid) -> StorageResult<Subject> {
    match kind {
        "query" => Ok(Subject::Query(QueryId::from_uuid(id))),
        "customer" => Ok(Subject::Customer(CustomerId::from_uuid(id))),
        other => Err(StorageError::Backend(format!("recently_viewed.subject_kind {other:?}").into())),
    }
}

/// Recently viewed records, kept with saved views: both are how an officer finds their way
/// back to work.
pub(super) mod visits {
    use super::*;

    pub async fn record<S: SqlBackend>(
        store: &S,
        scope: &TenantScope,
        user: UserId,
        subject: Subject,
    ) -> StorageResult<()> {
        let (kind, id) = subject_parts(subject);
        let mut tx = store.write(scope.tenant_id).await?;
        let upsert = Stmt::new(
            "INSERT INTO recently_viewed (tenant_id, user_id, subject_kind, subject_id, viewed_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, user_id, subject_kind, subject_id) DO UPDATE SET viewed_at = excluded.viewed_at",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user.as_uuid())
        .bind(kind)
        .bind(id)
        .bind(Timestamp::now());
        tx.execute(upsert).await?;
        // Older than the oldest one kept: nothing is deleted while fewer are stored (NULL).
        let prune = Stmt::new(
            "DELETE FROM recently_viewed WHERE tenant_id = $1 AND user_id = $2 AND viewed_at < (
                 SELECT viewed_at FROM recently_viewed WHERE tenant_id = $1 AND user_id = $2
                 ORDER BY viewed_at DESC LIMIT 1 OFFSET $3)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user.as_uuid())
        .bind(i64::from(RECENTLY_VIEWED_KEPT) - 1);
        tx.execute(prune).await?;
        tx.commit().await
    }

    pub async fn newest<S: SqlBackend>(
        store: &S,
        scope: &TenantScope,
        user: UserId,
        limit: u32,
    ) -> StorageResult<Vec<(Subject, Timestamp)>> {
        let stmt = Stmt::new(
            "SELECT subject_kind, subject_id, viewed_at FROM recently_viewed
             WHERE tenant_id = $1 AND user_id = $2 ORDER BY viewed_at DESC LIMIT $3",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user.as_uuid())
        .bind(i64::from(limit));
        let mut tx = store.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| Ok((subject_of(&row.text("subject_kind")?, row.uuid("subject_id")?)?, row.time("viewed_at")?)))
            .collect()
    }
}
