//! Entra ID configuration, mappings, sign-ins under way and sign-in's user upkeep, on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{TenantRow, USER_COLUMNS, UserRow, db_error, ts},
    users::insert_user,
};
use async_trait::async_trait;
use domain::{
    EntraMappingId, GroupId, Timestamp,
    entra::{ClaimKind, EntraMapping, EntraObjectId, EntraPerson, EntraSettings, EntraSettingsChange},
    tenant::Tenant,
    user::{User, UserStatus},
};
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::sql::tenants::SELECT_TENANT as TENANT_COLUMNS;
use storage::{
    EntraRepo, PendingEntraSignIn, StorageError, StorageResult, TenantScope,
    records::{self, corrupt},
};
use uuid::Uuid;

/// Longer than any sign-in may take at Entra's page (the server allows ten minutes).
const PENDING_WINDOW_SECS: i64 = 3600;

type SettingsRow = (String, String, String, String, String, i64);

/// The settings; a writer's `BEGIN IMMEDIATE` already holds the lock PostgreSQL takes per row.
async fn read_settings(conn: &mut SqliteConnection, scope: &TenantScope) -> StorageResult<Option<EntraSettings>> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT directory_id, client_id, client_secret, redirect_url, api_audience, version
         FROM entra_settings WHERE tenant_id = ?1",
    )
    .bind(scope.tenant_id.as_uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_error)?;
    row.map(|(directory_id, client_id, client_secret, redirect_url, api_audience, version)| {
        Ok(EntraSettings {
            directory_id: EntraObjectId::parse("directory_id", &directory_id).map_err(|_| corrupt("directory id"))?,
            client_id: EntraObjectId::parse("client_id", &client_id).map_err(|_| corrupt("client id"))?,
            client_secret,
            redirect_url,
            api_audience,
            version,
        })
    })
    .transpose()
}

type MappingRow = (Uuid, String, String, Uuid, i64);

fn mapping(row: MappingRow) -> StorageResult<EntraMapping> {
    let (id, claim, value, group_id, created_at) = row;
    Ok(EntraMapping {
        id: EntraMappingId::from_uuid(id),
        claim: ClaimKind::parse(&claim).ok_or_else(|| corrupt("mapping claim"))?,
        value,
        group_id: GroupId::from_uuid(group_id),
        created_at: ts(created_at),
    })
}

async fn mappings_in(conn: &mut SqliteConnection, scope: &TenantScope) -> StorageResult<Vec<EntraMapping>> {
    let rows: Vec<MappingRow> = sqlx::query_as(
        "SELECT id, claim, value, group_id, created_at FROM entra_mappings WHERE tenant_id = ?1
         ORDER BY claim, value, id",
    )
    .bind(scope.tenant_id.as_uuid())
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    rows.into_iter().map(mapping).collect()
}

async fn user_by(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    condition: &str,
    value: &str,
) -> StorageResult<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE tenant_id = ?1 AND {condition}");
    let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.tenant_id.as_uuid())
        .bind(value)
        .fetch_optional(conn)
        .await
        .map_err(db_error)?;
    row.map(User::try_from).transpose()
}

/// The user already tied to the person, linking or creating one on first sign-in.
async fn find_or_link(conn: &mut SqliteConnection, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User> {
    let provider = records::entra_provider(&person.directory_id);
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = ?1 AND id = (
             SELECT user_id FROM identities WHERE tenant_id = ?1 AND provider = ?3 AND subject = ?2)"
    );
    let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.tenant_id.as_uuid())
        .bind(person.object_id.as_str())
        .bind(&provider)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_error)?;
    if let Some(user) = row.map(User::try_from).transpose()? {
        return Ok(user);
    }
    let email = records::entra_email(person);
    // Linked by email only when the directory vouches for the address, and never to a
    // break-glass account (the way in when Entra ID is not to be trusted).
    let by_email = match email.as_ref().filter(|_| person.email_verified) {
        Some(email) => {
            // Linked once: a user who already has an identity in this directory is someone else.
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = ?1 AND email = ?2 AND NOT EXISTS (
                     SELECT 1 FROM identities i WHERE i.tenant_id = ?1 AND i.user_id = users.id
                         AND (i.provider = ?3 OR i.break_glass))
                "
            );
            let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(scope.tenant_id.as_uuid())
                .bind(email.as_str())
                .bind(&provider)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?;
            row.map(User::try_from).transpose()?
        }
        None => None,
    };
    let (user, by_email) = match by_email {
        Some(user) => (user, true),
        None => {
            let taken = match &email {
                Some(email) => user_by(conn, scope, "email = ?2", email.as_str()).await?.is_some(),
                None => true,
            };
            (insert_user(conn, scope, records::entra_new_user(person, !taken)?).await?, false)
        }
    };
    sqlx::query(
        "INSERT INTO identities (tenant_id, provider, subject, user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(&provider)
    .bind(person.object_id.as_str())
    .bind(user.id.as_uuid())
    .bind(Timestamp::now().as_micros())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    audit::append(conn, scope, &records::entra_identity_linked(user.id, person, by_email)).await?;
    Ok(user)
}

/// Follows the directory's name and email for the person. The email is left when another user
/// has it, and when the person also has a password: it is their password sign-in's name, which
/// a directory change must not move under them.
async fn keep_profile_current(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    user: User,
    person: &EntraPerson,
) -> StorageResult<User> {
    let name = records::entra_display_name(person);
    let mut email = user.email.clone();
    if let Some(new_email) = records::entra_email(person).filter(|e| *e != user.email) {
        let taken = user_by(conn, scope, "email = ?2", new_email.as_str()).await?.is_some();
        let has_password: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM identities WHERE tenant_id = ?1 AND user_id = ?2 AND provider = 'local')",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(user.id.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error)?;
        if !taken && !has_password {
            email = new_email;
        }
    }
    if name == user.display_name && email == user.email {
        return Ok(user);
    }
    let after =
        User { display_name: name, email, version: user.version + 1, updated_at: Timestamp::now(), ..user.clone() };
    sqlx::query(
        "UPDATE users SET display_name = ?3, email = ?4, version = ?5, updated_at = ?6 WHERE tenant_id = ?1 AND id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(after.id.as_uuid())
    .bind(after.display_name.as_str())
    .bind(after.email.as_str())
    .bind(after.version)
    .bind(after.updated_at.as_micros())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    let event = records::entra_profile_updated(
        after.id,
        (user.display_name.as_str(), user.email.as_str()),
        (after.display_name.as_str(), after.email.as_str()),
        after.version,
    );
    audit::append(conn, scope, &event).await?;
    Ok(after)
}

/// The built-in Administrators group, if `user` is its only active member.
async fn sole_administrators_group(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    user: &User,
) -> StorageResult<Option<GroupId>> {
    let found: Option<Uuid> = sqlx::query_scalar(
        "SELECT g.id FROM groups g WHERE g.tenant_id = ?1 AND g.builtin AND g.name = ?2 AND NOT EXISTS (
             SELECT 1 FROM group_members m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
             WHERE m.tenant_id = ?1 AND m.group_id = g.id AND u.status = 'active' AND m.user_id <> ?3)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(storage::builtin_groups::ADMINISTRATORS)
    .bind(user.id.as_uuid())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(found.map(GroupId::from_uuid))
}

/// Replaces the memberships that came from mappings with the ones the person now has.
async fn refresh_memberships(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    user: &User,
    person: &EntraPerson,
) -> StorageResult<()> {
    let tenant = scope.tenant_id.as_uuid();
    let mapped = person.mapped_groups(&mappings_in(conn, scope).await?);
    let rows: Vec<(Uuid, bool)> =
        sqlx::query_as("SELECT group_id, from_entra FROM group_members WHERE tenant_id = ?1 AND user_id = ?2")
            .bind(tenant)
            .bind(user.id.as_uuid())
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error)?;
    let current: Vec<GroupId> = rows.iter().map(|(g, _)| GroupId::from_uuid(*g)).collect();
    let from_entra: Vec<GroupId> = rows.iter().filter(|(_, e)| *e).map(|(g, _)| GroupId::from_uuid(*g)).collect();
    let (added, mut removed) = records::membership_changes(&mapped, &current, &from_entra);
    // Leaving Entra's administrators group must not leave the organisation with none: the
    // last active administrator keeps the membership until someone else is one.
    if let Some(last) = sole_administrators_group(conn, scope, user).await? {
        removed.retain(|g| *g != last);
    }
    if added.is_empty() && removed.is_empty() {
        return Ok(());
    }
    let now = Timestamp::now().as_micros();
    for group in &removed {
        sqlx::query("DELETE FROM group_members WHERE tenant_id = ?1 AND user_id = ?2 AND from_entra AND group_id = ?3")
            .bind(tenant)
            .bind(user.id.as_uuid())
            .bind(group.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
    }
    for group in &added {
        sqlx::query(
            "INSERT INTO group_members (tenant_id, group_id, user_id, created_at, from_entra) VALUES (?1, ?2, ?3, ?4, 1)",
        )
        .bind(tenant)
        .bind(group.as_uuid())
        .bind(user.id.as_uuid())
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    }
    audit::append(conn, scope, &records::entra_groups_refreshed(user.id, &added, &removed)).await
}

#[async_trait]
impl EntraRepo for SqliteStore {
    async fn tenant_by_entra_directory(&self, directory_id: &EntraObjectId) -> StorageResult<Option<Tenant>> {
        let row: Option<TenantRow> =
            sqlx::query_as(AssertSqlSafe(format!("{TENANT_COLUMNS} WHERE entra_directory_id = ?1")))
                .bind(directory_id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        row.map(Tenant::try_from).transpose()
    }

    async fn entra_settings(&self, scope: &TenantScope) -> StorageResult<Option<EntraSettings>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let settings = read_settings(&mut tx, scope).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(settings)
    }

    async fn update_entra_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        change: EntraSettingsChange,
    ) -> StorageResult<EntraSettings> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        sqlx::query("SELECT 1 FROM tenants WHERE id = ?1").bind(tenant).execute(&mut *tx).await.map_err(db_error)?;
        let before = read_settings(&mut tx, scope).await?;
        if before.as_ref().map_or(0, |b| b.version) != expected_version {
            return Err(StorageError::VersionMismatch { current: before.as_ref().map_or(0, |b| b.version) });
        }
        let taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE entra_directory_id = ?1 AND id <> ?2)")
                .bind(change.directory_id.as_str())
                .bind(tenant)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
        if taken {
            return Err(StorageError::Conflict { constraint: "entra_directory_taken".into() });
        }
        let (after, secret_changed) = records::changed_entra_settings(before.as_ref(), change)?;
        sqlx::query("UPDATE tenants SET entra_directory_id = ?2 WHERE id = ?1")
            .bind(tenant)
            .bind(after.directory_id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO entra_settings
                 (tenant_id, directory_id, client_id, client_secret, redirect_url, api_audience, version, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (tenant_id) DO UPDATE SET directory_id = ?2, client_id = ?3, client_secret = ?4,
                 redirect_url = ?5, api_audience = ?6, version = ?7, updated_at = ?8",
        )
        .bind(tenant)
        .bind(after.directory_id.as_str())
        .bind(after.client_id.as_str())
        .bind(&after.client_secret)
        .bind(&after.redirect_url)
        .bind(&after.api_audience)
        .bind(after.version)
        .bind(Timestamp::now().as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::entra_settings_updated(before.as_ref(), &after, secret_changed))
            .await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn entra_mappings(&self, scope: &TenantScope) -> StorageResult<Vec<EntraMapping>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let mappings = mappings_in(&mut tx, scope).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(mappings)
    }

    async fn add_entra_mapping(
        &self,
        scope: &TenantScope,
        claim: ClaimKind,
        value: String,
        group_id: GroupId,
    ) -> StorageResult<EntraMapping> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM groups WHERE tenant_id = ?1 AND id = ?2)")
            .bind(scope.tenant_id.as_uuid())
            .bind(group_id.as_uuid())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        if !known {
            return Err(StorageError::UnknownReference { field: "group_id" });
        }
        let added = EntraMapping { id: EntraMappingId::new(), claim, value, group_id, created_at: Timestamp::now() };
        sqlx::query(
            "INSERT INTO entra_mappings (tenant_id, id, claim, value, group_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(added.id.as_uuid())
        .bind(added.claim.as_str())
        .bind(&added.value)
        .bind(added.group_id.as_uuid())
        .bind(added.created_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::entra_mapping_added(&added)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(added)
    }

    async fn remove_entra_mapping(&self, scope: &TenantScope, id: EntraMappingId) -> StorageResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let row: Option<MappingRow> = sqlx::query_as(
            "DELETE FROM entra_mappings WHERE tenant_id = ?1 AND id = ?2 RETURNING id, claim, value, group_id, created_at",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let removed = mapping(row.ok_or(StorageError::NotFound)?)?;
        audit::append(&mut tx, scope, &records::entra_mapping_removed(&removed)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }

    async fn entra_sign_in(&self, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let user = find_or_link(&mut tx, scope, person).await?;
        if user.status != UserStatus::Active {
            tx.commit().await.map_err(db_error)?;
            return Ok(user);
        }
        let user = keep_profile_current(&mut tx, scope, user, person).await?;
        refresh_memberships(&mut tx, scope, &user, person).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(user)
    }

    async fn begin_entra_sign_in(&self, pending: PendingEntraSignIn) -> StorageResult<()> {
        // Sign-ins abandoned at Entra's page go here, so the table holds at most an hour's worth.
        sqlx::query("DELETE FROM entra_sign_ins WHERE created_at < ?1")
            .bind(pending.created_at.plus_seconds(-PENDING_WINDOW_SECS).as_micros())
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO entra_sign_ins (state_hash, tenant_id, nonce, pkce_verifier, return_to, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&pending.state_hash[..])
        .bind(pending.tenant_id.as_uuid())
        .bind(&pending.nonce)
        .bind(&pending.pkce_verifier)
        .bind(&pending.return_to)
        .bind(pending.created_at.as_micros())
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn take_entra_sign_in(
        &self,
        state_hash: &[u8; 32],
        not_before: Timestamp,
    ) -> StorageResult<Option<PendingEntraSignIn>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        sqlx::query("DELETE FROM entra_sign_ins WHERE created_at < ?1")
            .bind(not_before.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let row: Option<(Uuid, String, String, String, i64)> = sqlx::query_as(
            "DELETE FROM entra_sign_ins WHERE state_hash = ?1
             RETURNING tenant_id, nonce, pkce_verifier, return_to, created_at",
        )
        .bind(&state_hash[..])
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(row.map(|(tenant_id, nonce, pkce_verifier, return_to, created_at)| PendingEntraSignIn {
            state_hash: *state_hash,
            tenant_id: domain::TenantId::from_uuid(tenant_id),
            nonce,
            pkce_verifier,
            return_to,
            created_at: ts(created_at),
        }))
    }
}
