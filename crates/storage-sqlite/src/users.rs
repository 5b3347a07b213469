//! Users, identities and groups on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{USER_COLUMNS, UserRow, db_error, ts},
};
use async_trait::async_trait;
use domain::{
    Area, Grant, GroupId, Level, TenantId, Timestamp, UserId,
    sign_in::{AfterFailure, LockoutPolicy, SignInSource},
    user::{User, UserStatus},
};
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::{
    LocalCredential, NewUser, StorageError, StorageResult, TenantScope, UserChanges, UserRepo, builtin_groups,
    records::{self, corrupt},
};
use uuid::Uuid;

/// Inserts a user with their local identity and group memberships, and audits it, inside the
/// caller's transaction.
pub async fn insert_user(conn: &mut SqliteConnection, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
    let user = records::new_user_record(scope, &new);
    let now = user.created_at;
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, display_name, status, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )
    .bind(user.tenant_id.as_uuid())
    .bind(user.id.as_uuid())
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(user.status.as_str())
    .bind(user.version)
    .bind(now.as_micros())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    if let Some(hash) = &new.password_hash {
        sqlx::query(
            "INSERT INTO identities (tenant_id, provider, subject, user_id, password_hash, created_at, break_glass)
             VALUES (?1, 'local', ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(user.tenant_id.as_uuid())
        .bind(user.email.as_str())
        .bind(user.id.as_uuid())
        .bind(hash)
        .bind(now.as_micros())
        .bind(new.break_glass)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    }
    for group_id in &new.group_ids {
        sqlx::query("INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(user.tenant_id.as_uuid())
            .bind(group_id.as_uuid())
            .bind(user.id.as_uuid())
            .bind(now.as_micros())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    audit::append(conn, scope, &records::user_created(&user, &new)).await?;
    Ok(user)
}

#[async_trait]
impl UserRepo for SqliteStore {
    async fn create_user(&self, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let user = insert_user(&mut tx, scope, new).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(user)
    }

    async fn get_user(&self, scope: &TenantScope, id: UserId) -> StorageResult<Option<User>> {
        let row: Option<UserRow> =
            sqlx::query_as(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = ?1 AND id = ?2")))
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        row.map(User::try_from).transpose()
    }

    async fn list_users(&self, scope: &TenantScope, after: Option<UserId>, limit: u32) -> StorageResult<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users
             WHERE tenant_id = ?1 AND (?2 IS NULL OR id > ?2)
             ORDER BY id LIMIT ?3"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(after.map(|id| id.as_uuid()))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn local_credential(
        &self,
        tenant_id: TenantId,
        email: &str,
        source: &str,
    ) -> StorageResult<Option<LocalCredential>> {
        let row: Option<(Uuid, Option<String>, Option<i64>, bool)> = sqlx::query_as(
            "SELECT u.id, i.password_hash, f.held_until, i.break_glass FROM identities i
             JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.user_id
             LEFT JOIN sign_in_failures f ON f.tenant_id = i.tenant_id AND f.user_id = i.user_id AND f.source = ?3
             WHERE i.tenant_id = ?1 AND i.provider = 'local' AND i.subject = ?2 AND u.status = 'active'",
        )
        .bind(tenant_id.as_uuid())
        .bind(email)
        .bind(source)
        .fetch_optional(self.pool())
        .await
        .map_err(db_error)?;
        Ok(row.and_then(|(id, hash, locked_until, break_glass)| {
            hash.map(|password_hash| LocalCredential {
                user_id: UserId::from_uuid(id),
                password_hash,
                locked_until: locked_until.map(ts),
                break_glass,
            })
        }))
    }

    async fn record_failed_sign_in(
        &self,
        tenant_id: TenantId,
        user_id: UserId,
        now: Timestamp,
        policy: LockoutPolicy,
        source: &SignInSource,
    ) -> StorageResult<AfterFailure> {
        let scope = TenantScope::system(tenant_id);
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let break_glass: bool = sqlx::query_scalar(
            "SELECT break_glass FROM identities WHERE tenant_id = ?1 AND user_id = ?2 AND provider = 'local'",
        )
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .ok_or(StorageError::NotFound)?;
        let found: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT failures, held_until FROM sign_in_failures WHERE tenant_id = ?1 AND user_id = ?2 AND source = ?3",
        )
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .bind(&source.key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let (previous, held_until) = found.unwrap_or_default();
        let previous = u32::try_from(previous).unwrap_or_default();
        let failures = policy.count_after_failure(previous, held_until.map(ts), now);
        let after = policy.after_failure(failures, now, break_glass);
        sqlx::query(
            "INSERT INTO sign_in_failures (tenant_id, user_id, source, failures, held_until, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT DO UPDATE SET failures = ?4, held_until = ?5, updated_at = ?6",
        )
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .bind(&source.key)
        .bind(i64::from(failures))
        .bind(after.until().map(|t| t.as_micros()))
        .bind(now.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let from = source.address.as_deref();
        audit::append(&mut tx, &scope, &records::sign_in_failed(user_id, failures, from)).await?;
        if let AfterFailure::Locked { until } = after {
            audit::append(&mut tx, &scope, &records::locked_out(user_id, until, from)).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn grants_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<Grant>> {
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT g.area, g.level, g.own_teams FROM grants g
             WHERE g.tenant_id = ?1 AND (g.user_id = ?2 OR g.group_id IN (
                 SELECT m.group_id FROM group_members m WHERE m.tenant_id = ?1 AND m.user_id = ?2))",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(area, level, own_teams)| {
                Ok(Grant {
                    area: Area::parse(&area).ok_or_else(|| corrupt("grant area"))?,
                    level: Level::parse(&level).ok_or_else(|| corrupt("grant level"))?,
                    own_teams,
                })
            })
            .collect()
    }

    async fn update_user(
        &self,
        scope: &TenantScope,
        id: UserId,
        expected_version: i64,
        changes: UserChanges,
    ) -> StorageResult<User> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let row: Option<UserRow> =
            sqlx::query_as(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = ?1 AND id = ?2")))
                .bind(tenant)
                .bind(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let before = row.map(User::try_from).transpose()?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let groups_before = group_ids_in(&mut tx, scope, id).await?;
        let after = records::changed_user(&before, &changes);
        sqlx::query(
            "UPDATE users SET display_name = ?3, status = ?4, version = ?5, updated_at = ?6
             WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(after.display_name.as_str())
        .bind(after.status.as_str())
        .bind(after.version)
        .bind(after.updated_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        for gone in groups_before.iter().filter(|g| !changes.group_ids.contains(g)) {
            sqlx::query("DELETE FROM group_members WHERE tenant_id = ?1 AND user_id = ?2 AND group_id = ?3")
                .bind(tenant)
                .bind(id.as_uuid())
                .bind(gone.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for added in changes.group_ids.iter().filter(|g| !groups_before.contains(g)) {
            let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM groups WHERE tenant_id = ?1 AND id = ?2")
                .bind(tenant)
                .bind(added.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
            known.ok_or(StorageError::UnknownReference { field: "group_ids" })?;
            sqlx::query("INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)")
                .bind(tenant)
                .bind(added.as_uuid())
                .bind(id.as_uuid())
                .bind(after.updated_at.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        let sessions_ended = if after.status == UserStatus::Active {
            0
        } else {
            sqlx::query(
                "UPDATE sessions SET ended_at = ?3, end_reason = 'user_disabled'
                 WHERE tenant_id = ?1 AND user_id = ?2 AND ended_at IS NULL",
            )
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(after.updated_at.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected()
        };
        if let Some(break_glass) = changes.break_glass {
            sqlx::query(
                "UPDATE identities SET break_glass = ?3 WHERE tenant_id = ?1 AND user_id = ?2 AND provider = 'local'",
            )
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(break_glass)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        administrators_remain(&mut tx, scope).await?;
        let groups_after = group_ids_in(&mut tx, scope, id).await?;
        let event =
            records::user_updated(&before, &groups_before, &after, &groups_after, sessions_ended, changes.break_glass);
        audit::append(&mut tx, scope, &event).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn break_glass_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Option<bool>> {
        sqlx::query_scalar(
            "SELECT break_glass FROM identities WHERE tenant_id = ?1 AND user_id = ?2 AND provider = 'local'",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .fetch_optional(self.pool())
        .await
        .map_err(db_error)
    }

    async fn group_ids_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<GroupId>> {
        let mut conn = self.pool().acquire().await.map_err(db_error)?;
        group_ids_in(&mut conn, scope, user_id).await
    }
}

async fn group_ids_in(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    user_id: UserId,
) -> StorageResult<Vec<GroupId>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT g.id FROM group_members m JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
         WHERE m.tenant_id = ?1 AND m.user_id = ?2 ORDER BY lower(g.name), g.id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(user_id.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    Ok(ids.into_iter().map(GroupId::from_uuid).collect())
}

/// Refuses a change that would leave the tenant without an active member of its built-in
/// Administrators group: nobody could then manage users or permissions.
pub(crate) async fn administrators_remain(conn: &mut SqliteConnection, scope: &TenantScope) -> StorageResult<()> {
    let active: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM group_members m
         JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
         JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
         WHERE m.tenant_id = ?1 AND g.builtin AND g.name = ?2 AND u.status = 'active'",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(builtin_groups::ADMINISTRATORS)
    .fetch_one(conn)
    .await
    .map_err(db_error)?;
    if active == 0 {
        return Err(StorageError::Conflict { constraint: "last_administrator".into() });
    }
    Ok(())
}
