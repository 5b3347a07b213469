//! Per-tenant access settings on SQLite.

use crate::{SqliteStore, audit, rows::db_error};
use async_trait::async_trait;
use domain::{
    Timestamp,
    access::{AccessSettings, LocalSignIn, OneSessionPolicy},
};
use sqlx::SqliteConnection;
use storage::{AccessSettingsRepo, StorageError, StorageResult, TenantScope, records};

async fn read(conn: &mut SqliteConnection, scope: &TenantScope) -> StorageResult<AccessSettings> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT one_session, local_sign_in, version FROM tenant_settings WHERE tenant_id = ?1")
            .bind(scope.tenant_id.as_uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_error)?;
    Ok(match row {
        Some((one_session, local_sign_in, version)) => AccessSettings {
            one_session: OneSessionPolicy::parse(&one_session).ok_or_else(|| records::corrupt("one-session policy"))?,
            local_sign_in: LocalSignIn::parse(&local_sign_in).ok_or_else(|| records::corrupt("local sign-in"))?,
            version,
        },
        None => AccessSettings::default(),
    })
}

#[async_trait]
impl AccessSettingsRepo for SqliteStore {
    async fn access_settings(&self, scope: &TenantScope) -> StorageResult<AccessSettings> {
        let mut conn = self.pool().acquire().await.map_err(db_error)?;
        read(&mut conn, scope).await
    }

    async fn update_access_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        settings: AccessSettings,
    ) -> StorageResult<AccessSettings> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = read(&mut tx, scope).await?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = AccessSettings { version: before.version + 1, ..settings };
        sqlx::query(
            "INSERT INTO tenant_settings (tenant_id, one_session, local_sign_in, version, updated_at)
             VALUES (?1, ?2, ?5, ?3, ?4)
             ON CONFLICT (tenant_id) DO UPDATE SET one_session = ?2, local_sign_in = ?5, version = ?3, updated_at = ?4",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(after.one_session.as_str())
        .bind(after.version)
        .bind(Timestamp::now().as_micros())
        .bind(after.local_sign_in.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::access_settings_updated(scope.tenant_id, &before, &after)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }
}
