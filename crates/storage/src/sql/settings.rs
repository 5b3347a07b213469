//! Per-tenant access settings.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{AccessSettingsRepo, StorageError, StorageResult, TenantScope, records};
use domain::{
    Timestamp,
    access::{AccessSettings, LocalSignIn, OneSessionPolicy},
};

async fn read<C: SqlConn>(conn: &mut C, scope: &TenantScope, lock: bool) -> StorageResult<AccessSettings> {
    let lock = if lock { C::DIALECT.for_update } else { "" };
    let sql = format!("SELECT one_session, local_sign_in, version FROM tenant_settings WHERE tenant_id = $1{lock}");
    let Some(row) = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await? else {
        return Ok(AccessSettings::default());
    };
    Ok(AccessSettings {
        one_session: OneSessionPolicy::parse(&row.text("one_session")?)
            .ok_or_else(|| records::corrupt("one-session policy"))?,
        local_sign_in: LocalSignIn::parse(&row.text("local_sign_in")?)
            .ok_or_else(|| records::corrupt("local sign-in"))?,
        version: row.int("version")?,
    })
}

#[async_trait::async_trait]
impl<S: SqlBackend> AccessSettingsRepo for S {
    async fn access_settings(&self, scope: &TenantScope) -> StorageResult<AccessSettings> {
        let mut tx = self.read(scope.tenant_id).await?;
        let settings = read(&mut tx, scope, false).await?;
        tx.commit().await?;
        Ok(settings)
    }

    async fn update_access_settings(
        &self,
        scope: &TenantScope,
        expected_version: i64,
        settings: AccessSettings,
    ) -> StorageResult<AccessSettings> {
        let mut tx = self.write(scope.tenant_id).await?;
        // Serialise first changes too (there is no settings row to lock yet).
        let tenant = format!("SELECT 1 AS found FROM tenants WHERE id = $1{}", <S::Tx as SqlConn>::DIALECT.for_update);
        tx.fetch_optional(Stmt::new(tenant).bind(scope.tenant_id.as_uuid())).await?;
        let before = read(&mut tx, scope, true).await?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = AccessSettings { version: before.version + 1, ..settings };
        let upsert = Stmt::new(
            "INSERT INTO tenant_settings (tenant_id, one_session, local_sign_in, version, updated_at)
             VALUES ($1, $2, $5, $3, $4)
             ON CONFLICT (tenant_id) DO UPDATE SET one_session = $2, local_sign_in = $5, version = $3, updated_at = $4",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(after.one_session.as_str())
        .bind(after.version)
        .bind(Timestamp::now())
        .bind(after.local_sign_in.as_str());
        tx.execute(upsert).await?;
        audit::append(&mut tx, scope, &records::access_settings_updated(scope.tenant_id, &before, &after)).await?;
        tx.commit().await?;
        Ok(after)
    }
}
