//! Users, identities and groups on PostgreSQL.

use crate::{
    PgStore, audit,
    rows::{USER_COLUMNS, UserRow, db_error},
};
use async_trait::async_trait;
use domain::{Area, Grant, GroupId, Level, TenantId, UserId, user::User};
use sqlx::{AssertSqlSafe, PgConnection};
use storage::{
    Group, LocalCredential, NewUser, StorageResult, TenantScope, UserRepo,
    records::{self, corrupt},
};
use uuid::Uuid;

/// Inserts a user with their local identity and group memberships, and audits it, inside the
/// caller's transaction.
pub async fn insert_user(conn: &mut PgConnection, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
    let user = records::new_user_record(scope, &new);
    let now = user.created_at;
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, display_name, status, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(user.tenant_id.as_uuid())
    .bind(user.id.as_uuid())
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(user.status.as_str())
    .bind(user.version)
    .bind(now.as_datetime())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    if let Some(hash) = &new.password_hash {
        sqlx::query(
            "INSERT INTO identities (tenant_id, provider, subject, user_id, password_hash, created_at)
             VALUES ($1, 'local', $2, $3, $4, $5)",
        )
        .bind(user.tenant_id.as_uuid())
        .bind(user.email.as_str())
        .bind(user.id.as_uuid())
        .bind(hash)
        .bind(now.as_datetime())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    }
    for group_id in &new.group_ids {
        sqlx::query("INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(user.tenant_id.as_uuid())
            .bind(group_id.as_uuid())
            .bind(user.id.as_uuid())
            .bind(now.as_datetime())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    audit::append(conn, scope, &records::user_created(&user, &new)).await?;
    Ok(user)
}

#[async_trait]
impl UserRepo for PgStore {
    async fn create_user(&self, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let user = insert_user(&mut tx, scope, new).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(user)
    }

    async fn get_user(&self, scope: &TenantScope, id: UserId) -> StorageResult<Option<User>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let row: Option<UserRow> =
            sqlx::query_as(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2")))
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        row.map(User::try_from).transpose()
    }

    async fn list_users(&self, scope: &TenantScope, after: Option<UserId>, limit: u32) -> StorageResult<Vec<User>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let rows: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users
             WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2)
             ORDER BY id LIMIT $3"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(after.map(|id| id.as_uuid()))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn local_credential(&self, tenant_id: TenantId, email: &str) -> StorageResult<Option<LocalCredential>> {
        let mut tx = self.begin_scoped(tenant_id).await?;
        let row: Option<(Uuid, Option<String>)> = sqlx::query_as(
            "SELECT u.id, i.password_hash FROM identities i
             JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.user_id
             WHERE i.tenant_id = $1 AND i.provider = 'local' AND i.subject = $2 AND u.status = 'active'",
        )
        .bind(tenant_id.as_uuid())
        .bind(email)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(row.and_then(|(id, hash)| {
            hash.map(|password_hash| LocalCredential { user_id: UserId::from_uuid(id), password_hash })
        }))
    }

    async fn grants_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<Grant>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT g.area, g.level FROM grants g
             WHERE g.tenant_id = $1 AND (g.user_id = $2 OR g.group_id IN (
                 SELECT m.group_id FROM group_members m WHERE m.tenant_id = $1 AND m.user_id = $2))",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(|(area, level)| grant(&area, &level)).collect()
    }

    async fn list_groups(&self, scope: &TenantScope) -> StorageResult<Vec<Group>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let rows: Vec<(Uuid, String, String, bool)> =
            sqlx::query_as("SELECT id, name, description, builtin FROM groups WHERE tenant_id = $1 ORDER BY name")
                .bind(scope.tenant_id.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, builtin)| Group { id: GroupId::from_uuid(id), name, description, builtin })
            .collect())
    }

    async fn group_ids_exist(&self, scope: &TenantScope, ids: &[GroupId]) -> StorageResult<Vec<GroupId>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let ids: Vec<Uuid> = ids.iter().map(GroupId::as_uuid).collect();
        let found: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM groups WHERE tenant_id = $1 AND id = ANY($2)")
            .bind(scope.tenant_id.as_uuid())
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(found.into_iter().map(GroupId::from_uuid).collect())
    }
}

pub(crate) fn grant(area: &str, level: &str) -> StorageResult<Grant> {
    Ok(Grant {
        area: Area::parse(area).ok_or_else(|| corrupt("grant area"))?,
        level: Level::parse(level).ok_or_else(|| corrupt("grant level"))?,
    })
}
