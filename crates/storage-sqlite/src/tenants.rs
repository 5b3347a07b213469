//! Tenants on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{TenantRow, db_error},
    users::insert_user,
};
use async_trait::async_trait;
use domain::{
    GroupId, TenantId, Timestamp,
    tenant::{Tenant, TenantSlug},
    user::User,
};
use sqlx::SqliteConnection;
use storage::{NewTenant, NewUser, StorageResult, TenantRepo, TenantScope, builtin_groups, records};
use uuid::Uuid;

pub(crate) const TENANT_COLUMNS: &str = "SELECT id, slug, name, created_at FROM tenants";

/// Creates the built-in groups with their grants; returns the administrators' group id.
async fn insert_builtin_groups(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    at: Timestamp,
) -> StorageResult<GroupId> {
    let mut admin_group = None;
    for (name, description, grants) in builtin_groups::all() {
        let group_id = GroupId::new();
        sqlx::query(
            "INSERT INTO groups (tenant_id, id, name, description, builtin, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, 1, ?5, ?5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(group_id.as_uuid())
        .bind(name)
        .bind(description)
        .bind(at.as_micros())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
        for grant in &grants {
            sqlx::query(
                "INSERT INTO grants (tenant_id, id, group_id, area, level, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(Uuid::now_v7())
            .bind(group_id.as_uuid())
            .bind(grant.area.as_str())
            .bind(grant.level.as_str())
            .bind(at.as_micros())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        }
        audit::append(conn, scope, &records::group_created(group_id, name, &grants)).await?;
        if name == builtin_groups::ADMINISTRATORS {
            admin_group = Some(group_id);
        }
    }
    admin_group.ok_or_else(|| storage::StorageError::Backend("no administrators group defined".into()))
}

#[async_trait]
impl TenantRepo for SqliteStore {
    async fn create_tenant(&self, new: NewTenant) -> StorageResult<(Tenant, User)> {
        let tenant = Tenant { id: TenantId::new(), slug: new.slug, name: new.name, created_at: Timestamp::now() };
        let scope = TenantScope::system(tenant.id);
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        sqlx::query("INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
            .bind(tenant.id.as_uuid())
            .bind(tenant.slug.as_str())
            .bind(tenant.name.as_str())
            .bind(tenant.created_at.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        audit::start_chain(&mut tx, tenant.id).await?;
        audit::append(&mut tx, &scope, &records::tenant_created(&tenant)).await?;
        let admin_group = insert_builtin_groups(&mut tx, &scope, tenant.created_at).await?;
        crate::queries::insert_default_statuses(&mut tx, &scope, tenant.created_at).await?;
        let admin = NewUser {
            email: new.admin_email,
            display_name: new.admin_name,
            password_hash: Some(new.admin_password_hash),
            group_ids: vec![admin_group],
            // The first administrator is always a way in, whatever the sign-in settings.
            break_glass: true,
        };
        let admin = insert_user(&mut tx, &scope, admin).await?;
        tx.commit().await.map_err(db_error)?;
        Ok((tenant, admin))
    }

    async fn tenant_by_slug(&self, slug: &TenantSlug) -> StorageResult<Option<Tenant>> {
        let row: Option<TenantRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{TENANT_COLUMNS} WHERE slug = ?1")))
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        row.map(Tenant::try_from).transpose()
    }

    async fn tenant_by_id(&self, id: TenantId) -> StorageResult<Option<Tenant>> {
        let row: Option<TenantRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{TENANT_COLUMNS} WHERE id = ?1")))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        row.map(Tenant::try_from).transpose()
    }

    async fn list_tenants(&self) -> StorageResult<Vec<Tenant>> {
        let rows: Vec<TenantRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{TENANT_COLUMNS} ORDER BY slug")))
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.into_iter().map(Tenant::try_from).collect()
    }
}
