//! Users, their local identities and group memberships.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{
    LocalCredential, NewUser, StorageError, StorageResult, TenantScope, UserChanges, UserRepo, builtin_groups,
    records::{self, UserColumns, corrupt},
};
use async_trait::async_trait;
use domain::{
    Area, Grant, GroupId, Level, TenantId, Timestamp, UserId,
    sign_in::{AfterFailure, LockoutPolicy, SignInSource},
    user::{User, UserStatus},
};

pub const USER_COLUMNS: &str = "tenant_id, id, email, display_name, status, version, created_at, updated_at";

pub fn user_of(row: &impl SqlRow) -> StorageResult<User> {
    User::try_from(UserColumns {
        tenant_id: row.uuid("tenant_id")?,
        id: row.uuid("id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        status: row.text("status")?,
        version: row.int("version")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// Inserts a user with their local identity and group memberships, and audits it, inside the
/// caller's transaction.
pub async fn insert_user(conn: &mut impl SqlConn, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
    let user = records::new_user_record(scope, &new);
    let now = user.created_at;
    let insert = Stmt::new(
        "INSERT INTO users (tenant_id, id, email, display_name, status, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(user.tenant_id.as_uuid())
    .bind(user.id.as_uuid())
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(user.status.as_str())
    .bind(user.version)
    .bind(now);
    conn.execute(insert).await?;
    if let Some(hash) = &new.password_hash {
        let identity = Stmt::new(
            "INSERT INTO identities (tenant_id, provider, subject, user_id, password_hash, created_at, break_glass)
             VALUES ($1, 'local', $2, $3, $4, $5, $6)",
        )
        .bind(user.tenant_id.as_uuid())
        .bind(user.email.as_str())
        .bind(user.id.as_uuid())
        .bind(hash)
        .bind(now)
        .bind(new.break_glass);
        conn.execute(identity).await?;
    }
    add_memberships(conn, scope, user.id, &new.group_ids, now).await?;
    audit::append(conn, scope, &records::user_created(&user, &new)).await?;
    Ok(user)
}

/// Adds the user to each group they are not yet in.
async fn add_memberships(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user_id: UserId,
    groups: &[GroupId],
    at: Timestamp,
) -> StorageResult<()> {
    if groups.is_empty() {
        return Ok(());
    }
    let mut insert = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(user_id.as_uuid()).bind(at);
    let rows: Vec<String> =
        groups.iter().map(|group| format!("($1, {}, $2, $3)", insert.push(group.as_uuid()))).collect();
    insert.sql = format!(
        "INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES {} ON CONFLICT DO NOTHING",
        rows.join(", ")
    )
    .into();
    conn.execute(insert).await.map(drop)
}

/// Makes the user's groups exactly `groups`, each of which must be the tenant's.
async fn set_memberships(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user_id: UserId,
    groups: &[GroupId],
    at: Timestamp,
) -> StorageResult<()> {
    let mut known = Stmt::new("").bind(scope.tenant_id.as_uuid());
    let listed = known.push_list(groups.iter().map(GroupId::as_uuid));
    known.sql = format!("SELECT count(*) AS known FROM groups WHERE tenant_id = $1 AND id IN ({listed})").into();
    if usize::try_from(conn.fetch_one(known).await?.int("known")?).ok() != Some(groups.len()) {
        return Err(StorageError::UnknownReference { field: "group_ids" });
    }
    let mut leave = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(user_id.as_uuid());
    let kept = if groups.is_empty() {
        String::new()
    } else {
        format!(" AND group_id NOT IN ({})", leave.push_list(groups.iter().map(GroupId::as_uuid)))
    };
    leave.sql = format!("DELETE FROM group_members WHERE tenant_id = $1 AND user_id = $2{kept}").into();
    conn.execute(leave).await?;
    add_memberships(conn, scope, user_id, groups, at).await
}

pub(super) async fn user_where<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: UserId,
    lock: bool,
) -> StorageResult<Option<User>> {
    let lock = if lock { C::DIALECT.for_update } else { "" };
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2{lock}");
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(user_of).transpose()
}

fn break_glass_stmt(tenant_id: TenantId, user_id: UserId) -> Stmt {
    Stmt::new("SELECT break_glass FROM identities WHERE tenant_id = $1 AND user_id = $2 AND provider = 'local'")
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
}

#[async_trait]
impl<S: SqlBackend> UserRepo for S {
    async fn create_user(&self, scope: &TenantScope, new: NewUser) -> StorageResult<User> {
        let mut tx = self.write(scope.tenant_id).await?;
        let user = insert_user(&mut tx, scope, new).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn get_user(&self, scope: &TenantScope, id: UserId) -> StorageResult<Option<User>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let user = user_where(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn list_users(&self, scope: &TenantScope, after: Option<UserId>, limit: u32) -> StorageResult<Vec<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(after.map(|id| id.as_uuid())).bind(limit);
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(user_of).collect()
    }

    async fn local_credential(
        &self,
        tenant_id: TenantId,
        email: &str,
        source: &str,
    ) -> StorageResult<Option<LocalCredential>> {
        let stmt = Stmt::new(
            "SELECT u.id, i.password_hash, f.held_until, i.break_glass FROM identities i
             JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.user_id
             LEFT JOIN sign_in_failures f ON f.tenant_id = i.tenant_id AND f.user_id = i.user_id AND f.source = $3
             WHERE i.tenant_id = $1 AND i.provider = 'local' AND i.subject = $2 AND u.status = 'active'",
        )
        .bind(tenant_id.as_uuid())
        .bind(email)
        .bind(source);
        let mut tx = self.read(tenant_id).await?;
        let row = tx.fetch_optional(stmt).await?;
        tx.commit().await?;
        let Some(row) = row else { return Ok(None) };
        let Some(password_hash) = row.opt_text("password_hash")? else { return Ok(None) };
        Ok(Some(LocalCredential {
            user_id: UserId::from_uuid(row.uuid("id")?),
            password_hash,
            locked_until: row.opt_time("held_until")?,
            break_glass: row.bool("break_glass")?,
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
        let mut tx = self.write(tenant_id).await?;
        let identity = tx.fetch_optional(break_glass_stmt(tenant_id, user_id)).await?;
        let break_glass = identity.ok_or(StorageError::NotFound)?.bool("break_glass")?;
        // The row is made first so that concurrent failures from one source queue on it.
        let reserve = Stmt::new(
            "INSERT INTO sign_in_failures (tenant_id, user_id, source, failures, updated_at)
             VALUES ($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING",
        )
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .bind(&source.key)
        .bind(now);
        tx.execute(reserve).await?;
        let sql = format!(
            "SELECT failures, held_until FROM sign_in_failures WHERE tenant_id = $1 AND user_id = $2 AND source = $3{}",
            <S::Tx as SqlConn>::DIALECT.for_update
        );
        let stmt = Stmt::new(sql).bind(tenant_id.as_uuid()).bind(user_id.as_uuid()).bind(&source.key);
        let counted = tx.fetch_one(stmt).await?;
        let previous = u32::try_from(counted.int("failures")?).unwrap_or_default();
        let failures = policy.count_after_failure(previous, counted.opt_time("held_until")?, now);
        let after = policy.after_failure(failures, now, break_glass);
        let update = Stmt::new(
            "UPDATE sign_in_failures SET failures = $4, held_until = $5, updated_at = $6
             WHERE tenant_id = $1 AND user_id = $2 AND source = $3",
        )
        .bind(tenant_id.as_uuid())
        .bind(user_id.as_uuid())
        .bind(&source.key)
        .bind(i64::from(failures).min(i64::from(i32::MAX)))
        .bind(after.until())
        .bind(now);
        tx.execute(update).await?;
        let from = source.address.as_deref();
        audit::append(&mut tx, &scope, &records::sign_in_failed(user_id, failures, from)).await?;
        if let AfterFailure::Locked { until } = after {
            audit::append(&mut tx, &scope, &records::locked_out(user_id, until, from)).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    async fn grants_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<Grant>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let grants = grants_in(&mut tx, scope, user_id).await?;
        tx.commit().await?;
        Ok(grants)
    }

    async fn update_user(
        &self,
        scope: &TenantScope,
        id: UserId,
        expected_version: i64,
        changes: UserChanges,
    ) -> StorageResult<User> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.write(scope.tenant_id).await?;
        let before = user_where(&mut tx, scope, id, true).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let groups_before = group_ids_in(&mut tx, scope, id).await?;
        let after = records::changed_user(&before, &changes);
        let update = Stmt::new(
            "UPDATE users SET display_name = $3, status = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(after.display_name.as_str())
        .bind(after.status.as_str())
        .bind(after.version)
        .bind(after.updated_at);
        tx.execute(update).await?;
        set_memberships(&mut tx, scope, id, &changes.group_ids, after.updated_at).await?;
        let sessions_ended = if after.status == UserStatus::Active {
            0
        } else {
            let end = Stmt::new(
                "UPDATE sessions SET ended_at = $3, end_reason = 'user_disabled'
                 WHERE tenant_id = $1 AND user_id = $2 AND ended_at IS NULL",
            )
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(after.updated_at);
            tx.execute(end).await?
        };
        if let Some(break_glass) = changes.break_glass {
            let set = Stmt::new(
                "UPDATE identities SET break_glass = $3 WHERE tenant_id = $1 AND user_id = $2 AND provider = 'local'",
            )
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(break_glass);
            tx.execute(set).await?;
        }
        administrators_remain(&mut tx, scope).await?;
        let groups_after = group_ids_in(&mut tx, scope, id).await?;
        let event =
            records::user_updated(&before, &groups_before, &after, &groups_after, sessions_ended, changes.break_glass);
        audit::append(&mut tx, scope, &event).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn break_glass_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Option<bool>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = tx.fetch_optional(break_glass_stmt(scope.tenant_id, user_id)).await?;
        tx.commit().await?;
        found.map(|row| row.bool("break_glass")).transpose()
    }

    async fn group_ids_of(&self, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<GroupId>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let ids = group_ids_in(&mut tx, scope, user_id).await?;
        tx.commit().await?;
        Ok(ids)
    }
}

async fn group_ids_in(conn: &mut impl SqlConn, scope: &TenantScope, user_id: UserId) -> StorageResult<Vec<GroupId>> {
    let stmt = Stmt::new(
        "SELECT g.id FROM group_members m JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
         WHERE m.tenant_id = $1 AND m.user_id = $2 ORDER BY lower(g.name), g.id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(user_id.as_uuid());
    conn.fetch_all(stmt).await?.iter().map(|row| row.uuid("id").map(GroupId::from_uuid)).collect()
}

/// Refuses a change that would leave the tenant without an active member of its built-in
/// Administrators group: nobody could then manage users or permissions.
pub async fn administrators_remain(conn: &mut impl SqlConn, scope: &TenantScope) -> StorageResult<()> {
    let stmt = Stmt::new(
        "SELECT count(*) AS active FROM group_members m
         JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
         JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
         WHERE m.tenant_id = $1 AND g.builtin AND g.name = $2 AND u.status = 'active'",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(builtin_groups::ADMINISTRATORS);
    Ok(domain::group::administrators_remain(conn.fetch_one(stmt).await?.int("active")?)?)
}

pub fn grant(area: &str, level: &str, own_teams: bool) -> StorageResult<Grant> {
    Ok(Grant {
        area: Area::parse(area).ok_or_else(|| corrupt("grant area"))?,
        level: Level::parse(level).ok_or_else(|| corrupt("grant level"))?,
        own_teams,
    })
}

/// The user's grants, their own and their groups', in the caller's transaction.
pub(super) async fn grants_in(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user_id: UserId,
) -> StorageResult<Vec<Grant>> {
    let stmt = Stmt::new(
        "SELECT g.area, g.level, g.own_teams FROM grants g
         WHERE g.tenant_id = $1 AND (g.user_id = $2 OR g.group_id IN (
             SELECT m.group_id FROM group_members m WHERE m.tenant_id = $1 AND m.user_id = $2))",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(user_id.as_uuid());
    let rows = conn.fetch_all(stmt).await?;
    rows.iter().map(|row| grant(&row.text("area")?, &row.text("level")?, row.bool("own_teams")?)).collect()
}
