//! Entra ID: configuration, claim-to-group mappings, sign-ins under way, and the user upkeep
//! of each sign-in (linking, profile, group memberships).

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, lock_key,
    tenants::{SELECT_TENANT, tenant_of},
    users::{USER_COLUMNS, insert_user, user_of},
};
use crate::{
    EntraRepo, PendingEntraSignIn, StorageError, StorageResult, TenantScope,
    records::{self, corrupt},
};
use async_trait::async_trait;
use domain::{
    EntraMappingId, GroupId, TenantId, Timestamp,
    entra::{ClaimKind, EntraMapping, EntraObjectId, EntraPerson, EntraSettings, EntraSettingsChange},
    tenant::Tenant,
    user::{User, UserStatus},
};

/// Longer than any sign-in may take at Entra's page (the server allows ten minutes).
const PENDING_WINDOW_SECS: i64 = 3600;

async fn read_settings<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    lock: bool,
) -> StorageResult<Option<EntraSettings>> {
    let sql = format!(
        "SELECT directory_id, client_id, client_secret, redirect_url, api_audience, version
         FROM entra_settings WHERE tenant_id = $1{}",
        if lock { C::DIALECT.for_update } else { "" }
    );
    let Some(row) = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await? else {
        return Ok(None);
    };
    Ok(Some(EntraSettings {
        directory_id: EntraObjectId::parse("directory_id", &row.text("directory_id")?)
            .map_err(|_| corrupt("directory id"))?,
        client_id: EntraObjectId::parse("client_id", &row.text("client_id")?).map_err(|_| corrupt("client id"))?,
        client_secret: row.text("client_secret")?,
        redirect_url: row.text("redirect_url")?,
        api_audience: row.text("api_audience")?,
        version: row.int("version")?,
    }))
}

const MAPPING_COLUMNS: &str = "id, claim, value, group_id, created_at";

fn mapping_of(row: &impl SqlRow) -> StorageResult<EntraMapping> {
    Ok(EntraMapping {
        id: EntraMappingId::from_uuid(row.uuid("id")?),
        claim: ClaimKind::parse(&row.text("claim")?).ok_or_else(|| corrupt("mapping claim"))?,
        value: row.text("value")?,
        group_id: GroupId::from_uuid(row.uuid("group_id")?),
        created_at: row.time("created_at")?,
    })
}

async fn mappings_in(conn: &mut impl SqlConn, scope: &TenantScope) -> StorageResult<Vec<EntraMapping>> {
    let sql = format!("SELECT {MAPPING_COLUMNS} FROM entra_mappings WHERE tenant_id = $1 ORDER BY claim, value, id");
    conn.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await?.iter().map(mapping_of).collect()
}

/// The first user matching `condition` (on `$1` the tenant and `$2`, `$3` as given), locked.
async fn locked_user<C: SqlConn>(conn: &mut C, condition: &str, stmt: Stmt) -> StorageResult<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND {condition}{}", C::DIALECT.for_update);
    let row = conn.fetch_optional(Stmt { sql: sql.into(), ..stmt }).await?;
    row.as_ref().map(user_of).transpose()
}

async fn user_with_email(conn: &mut impl SqlConn, scope: &TenantScope, email: &str) -> StorageResult<Option<User>> {
    locked_user(conn, "email = $2", Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(email)).await
}

/// The user already tied to the person, linking or creating one on first sign-in.
async fn find_or_link(conn: &mut impl SqlConn, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User> {
    let provider = records::entra_provider(&person.directory_id);
    let linked = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(person.object_id.as_str()).bind(&provider);
    let condition = "id = (SELECT user_id FROM identities WHERE tenant_id = $1 AND provider = $3 AND subject = $2)";
    if let Some(user) = locked_user(conn, condition, linked).await? {
        return Ok(user);
    }
    let email = records::entra_email(person);
    // Linked by email only when the directory vouches for the address, and never to a
    // break-glass account (the way in when Entra ID is not to be trusted).
    let by_email = match email.as_ref().filter(|_| person.email_verified) {
        Some(email) => {
            // Linked once: a user who already has an identity in this directory is someone else.
            let condition = "email = $2 AND NOT EXISTS (
                 SELECT 1 FROM identities i WHERE i.tenant_id = $1 AND i.user_id = users.id
                     AND (i.provider = $3 OR i.break_glass))";
            let stmt = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(email.as_str()).bind(&provider);
            locked_user(conn, condition, stmt).await?
        }
        None => None,
    };
    let (user, by_email) = match by_email {
        Some(user) => (user, true),
        None => {
            let taken = match &email {
                Some(email) => user_with_email(conn, scope, email.as_str()).await?.is_some(),
                None => true,
            };
            (insert_user(conn, scope, records::entra_new_user(person, !taken)?).await?, false)
        }
    };
    let identity = Stmt::new(
        "INSERT INTO identities (tenant_id, provider, subject, user_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(&provider)
    .bind(person.object_id.as_str())
    .bind(user.id.as_uuid())
    .bind(Timestamp::now());
    conn.execute(identity).await?;
    audit::append(conn, scope, &records::entra_identity_linked(user.id, person, by_email)).await?;
    Ok(user)
}

/// Follows the directory's name and email for the person. The email is left when another user
/// has it, and when the person also has a password: it is their password sign-in's name, which
/// a directory change must not move under them.
async fn keep_profile_current(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user: User,
    person: &EntraPerson,
) -> StorageResult<User> {
    let name = records::entra_display_name(person);
    let mut email = user.email.clone();
    if let Some(new_email) = records::entra_email(person).filter(|e| *e != user.email) {
        let taken = user_with_email(conn, scope, new_email.as_str()).await?.is_some();
        let password =
            Stmt::new("SELECT 1 AS found FROM identities WHERE tenant_id = $1 AND user_id = $2 AND provider = 'local'")
                .bind(scope.tenant_id.as_uuid())
                .bind(user.id.as_uuid());
        let has_password = conn.fetch_optional(password).await?.is_some();
        if !taken && !has_password {
            email = new_email;
        }
    }
    if name == user.display_name && email == user.email {
        return Ok(user);
    }
    let after =
        User { display_name: name, email, version: user.version + 1, updated_at: Timestamp::now(), ..user.clone() };
    let update = Stmt::new(
        "UPDATE users SET display_name = $3, email = $4, version = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(after.id.as_uuid())
    .bind(after.display_name.as_str())
    .bind(after.email.as_str())
    .bind(after.version)
    .bind(after.updated_at);
    conn.execute(update).await?;
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
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user: &User,
) -> StorageResult<Option<GroupId>> {
    let stmt = Stmt::new(
        "SELECT g.id FROM groups g WHERE g.tenant_id = $1 AND g.builtin AND g.name = $2 AND NOT EXISTS (
             SELECT 1 FROM group_members m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
             WHERE m.tenant_id = $1 AND m.group_id = g.id AND u.status = 'active' AND m.user_id <> $3)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(crate::builtin_groups::ADMINISTRATORS)
    .bind(user.id.as_uuid());
    conn.fetch_optional(stmt).await?.map(|row| row.uuid("id").map(GroupId::from_uuid)).transpose()
}

/// Replaces the memberships that came from mappings with the ones the person now has.
async fn refresh_memberships(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    user: &User,
    person: &EntraPerson,
) -> StorageResult<()> {
    let tenant = scope.tenant_id.as_uuid();
    let mapped = person.mapped_groups(&mappings_in(conn, scope).await?);
    let memberships = Stmt::new("SELECT group_id, from_entra FROM group_members WHERE tenant_id = $1 AND user_id = $2")
        .bind(tenant)
        .bind(user.id.as_uuid());
    let rows = conn.fetch_all(memberships).await?;
    let mut current = Vec::with_capacity(rows.len());
    let mut from_entra = Vec::new();
    for row in &rows {
        let group = GroupId::from_uuid(row.uuid("group_id")?);
        current.push(group);
        if row.bool("from_entra")? {
            from_entra.push(group);
        }
    }
    let (added, mut removed) = records::membership_changes(&mapped, &current, &from_entra);
    // Leaving Entra's administrators group must not leave the organisation with none: the
    // last active administrator keeps the membership until someone else is one.
    if let Some(last) = sole_administrators_group(conn, scope, user).await? {
        removed.retain(|g| *g != last);
    }
    if added.is_empty() && removed.is_empty() {
        return Ok(());
    }
    if !removed.is_empty() {
        let mut leave = Stmt::new("").bind(tenant).bind(user.id.as_uuid());
        let listed = leave.push_list(removed.iter().map(GroupId::as_uuid));
        leave.sql = format!(
            "DELETE FROM group_members WHERE tenant_id = $1 AND user_id = $2 AND from_entra AND group_id IN ({listed})"
        )
        .into();
        conn.execute(leave).await?;
    }
    if !added.is_empty() {
        let mut join = Stmt::new("").bind(tenant).bind(user.id.as_uuid()).bind(Timestamp::now());
        let rows: Vec<String> =
            added.iter().map(|group| format!("($1, {}, $2, $3, TRUE)", join.push(group.as_uuid()))).collect();
        join.sql = format!(
            "INSERT INTO group_members (tenant_id, group_id, user_id, created_at, from_entra) VALUES {}",
            rows.join(", ")
        )
        .into();
        conn.execute(join).await?;
    }
    audit::append(conn, scope, &records::entra_groups_refreshed(user.id, &added, &removed)).await
}

fn pending_of(state_hash: &[u8; 32], row: &impl SqlRow) -> StorageResult<PendingEntraSignIn> {
    Ok(PendingEntraSignIn {
        state_hash: *state_hash,
        tenant_id: TenantId::from_uuid(row.uuid("tenant_id")?),
        nonce: row.text("nonce")?,
        pkce_verifier: row.text("pkce_verifier")?,
        return_to: row.text("return_to")?,
        created_at: row.time("created_at")?,
    })
}

#[async_trait]
impl<S: SqlBackend> EntraRepo for S {
    async fn tenant_by_entra_directory(&self, directory_id: &EntraObjectId) -> StorageResult<Option<Tenant>> {
        let stmt = Stmt::new(format!("{SELECT_TENANT} WHERE entra_directory_id = $1")).bind(directory_id.as_str());
        let mut tx = self.read_unscoped().await?;
        let row = tx.fetch_optional(stmt).await?;
        tx.commit().await?;
        row.as_ref().map(tenant_of).transpose()
    }

    async fn entra_settings(&self, scope: &TenantScope) -> StorageResult<Option<EntraSettings>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let settings = read_settings(&mut tx, scope, false).await?;
        tx.commit().await?;
        Ok(settings)
    }

    async fn update_entra_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        change: EntraSettingsChange,
    ) -> StorageResult<EntraSettings> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.write(scope.tenant_id).await?;
        // Serialises first configurations too (there is no settings row to lock yet).
        let lock = format!("SELECT 1 AS found FROM tenants WHERE id = $1{}", <S::Tx as SqlConn>::DIALECT.for_update);
        tx.fetch_optional(Stmt::new(lock).bind(tenant)).await?;
        let before = read_settings(&mut tx, scope, true).await?;
        let current = before.as_ref().map_or(0, |b| b.version);
        if current != expected_version {
            return Err(StorageError::VersionMismatch { current });
        }
        let taken = Stmt::new("SELECT 1 AS found FROM tenants WHERE entra_directory_id = $1 AND id <> $2")
            .bind(change.directory_id.as_str())
            .bind(tenant);
        if tx.fetch_optional(taken).await?.is_some() {
            return Err(domain::Conflict::EntraDirectoryTaken.into());
        }
        let (after, secret_changed) = records::changed_entra_settings(before.as_ref(), change)?;
        let directory = Stmt::new("UPDATE tenants SET entra_directory_id = $2 WHERE id = $1")
            .bind(tenant)
            .bind(after.directory_id.as_str());
        tx.execute(directory).await?;
        let upsert = Stmt::new(
            "INSERT INTO entra_settings
                 (tenant_id, directory_id, client_id, client_secret, redirect_url, api_audience, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (tenant_id) DO UPDATE SET directory_id = $2, client_id = $3, client_secret = $4,
                 redirect_url = $5, api_audience = $6, version = $7, updated_at = $8",
        )
        .bind(tenant)
        .bind(after.directory_id.as_str())
        .bind(after.client_id.as_str())
        .bind(&after.client_secret)
        .bind(&after.redirect_url)
        .bind(&after.api_audience)
        .bind(after.version)
        .bind(Timestamp::now());
        tx.execute(upsert).await?;
        audit::append(&mut tx, scope, &records::entra_settings_updated(before.as_ref(), &after, secret_changed))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn entra_mappings(&self, scope: &TenantScope) -> StorageResult<Vec<EntraMapping>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let mappings = mappings_in(&mut tx, scope).await?;
        tx.commit().await?;
        Ok(mappings)
    }

    async fn add_entra_mapping(
        &self,
        scope: &TenantScope,
        claim: ClaimKind,
        value: String,
        group_id: GroupId,
    ) -> StorageResult<EntraMapping> {
        let mut tx = self.write(scope.tenant_id).await?;
        let known = Stmt::new("SELECT 1 AS found FROM groups WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(group_id.as_uuid());
        if tx.fetch_optional(known).await?.is_none() {
            return Err(StorageError::UnknownReference { field: "group_id" });
        }
        let added = EntraMapping { id: EntraMappingId::new(), claim, value, group_id, created_at: Timestamp::now() };
        let insert = Stmt::new(
            "INSERT INTO entra_mappings (tenant_id, id, claim, value, group_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(added.id.as_uuid())
        .bind(added.claim.as_str())
        .bind(&added.value)
        .bind(added.group_id.as_uuid())
        .bind(added.created_at);
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &records::entra_mapping_added(&added)).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn remove_entra_mapping(&self, scope: &TenantScope, id: EntraMappingId) -> StorageResult<()> {
        let sql = format!("DELETE FROM entra_mappings WHERE tenant_id = $1 AND id = $2 RETURNING {MAPPING_COLUMNS}");
        let mut tx = self.write(scope.tenant_id).await?;
        let row = tx.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
        let removed = mapping_of(&row.ok_or(StorageError::NotFound)?)?;
        audit::append(&mut tx, scope, &records::entra_mapping_removed(&removed)).await?;
        tx.commit().await
    }

    async fn entra_sign_in(&self, scope: &TenantScope, person: &EntraPerson) -> StorageResult<User> {
        let mut tx = self.write(scope.tenant_id).await?;
        // Two first sign-ins of one person at once (an integrator's parallel requests) take turns,
        // so the second finds the identity the first made.
        lock_key(
            &mut tx,
            format!("entra:{}:{}:{}", scope.tenant_id, person.directory_id.as_str(), person.object_id.as_str()),
        )
        .await?;
        let user = find_or_link(&mut tx, scope, person).await?;
        if user.status != UserStatus::Active {
            tx.commit().await?;
            return Ok(user);
        }
        let user = keep_profile_current(&mut tx, scope, user, person).await?;
        refresh_memberships(&mut tx, scope, &user, person).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn begin_entra_sign_in(&self, pending: PendingEntraSignIn) -> StorageResult<()> {
        let mut tx = self.write_unscoped().await?;
        // Sign-ins abandoned at Entra's page go here, so the table holds at most an hour's worth.
        let expired = pending.created_at.plus_seconds(-PENDING_WINDOW_SECS);
        tx.execute(Stmt::new("DELETE FROM entra_sign_ins WHERE created_at < $1").bind(expired)).await?;
        let insert = Stmt::new(
            "INSERT INTO entra_sign_ins (state_hash, tenant_id, nonce, pkce_verifier, return_to, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&pending.state_hash)
        .bind(pending.tenant_id.as_uuid())
        .bind(&pending.nonce)
        .bind(&pending.pkce_verifier)
        .bind(&pending.return_to)
        .bind(pending.created_at);
        tx.execute(insert).await?;
        tx.commit().await
    }

    async fn take_entra_sign_in(
        &self,
        state_hash: &[u8; 32],
        not_before: Timestamp,
    ) -> StorageResult<Option<PendingEntraSignIn>> {
        let mut tx = self.write_unscoped().await?;
        tx.execute(Stmt::new("DELETE FROM entra_sign_ins WHERE created_at < $1").bind(not_before)).await?;
        let take = Stmt::new(
            "DELETE FROM entra_sign_ins WHERE state_hash = $1
             RETURNING tenant_id, nonce, pkce_verifier, return_to, created_at",
        )
        .bind(state_hash);
        let row = tx.fetch_optional(take).await?;
        tx.commit().await?;
        row.map(|row| pending_of(state_hash, &row)).transpose()
    }
}
