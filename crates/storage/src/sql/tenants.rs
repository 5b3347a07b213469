//! Tenants: created with their built-in groups, default statuses and first administrator.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, groups::insert_grants, users::insert_user};
use crate::{NewTenant, NewUser, StorageError, StorageResult, TenantRepo, TenantScope, builtin_groups, records};
use async_trait::async_trait;
use domain::{
    GroupId, StatusId, TenantId, Timestamp,
    query::DEFAULT_STATUSES,
    tenant::{Tenant, TenantSlug},
    user::User,
};

pub const SELECT_TENANT: &str = "SELECT id, slug, name, created_at FROM tenants";

pub fn tenant_of(row: &impl SqlRow) -> StorageResult<Tenant> {
    records::tenant_from_columns(row.uuid("id")?, &row.text("slug")?, &row.text("name")?, row.time("created_at")?)
}

/// Creates the built-in groups with their grants; returns the administrators' group id.
async fn insert_builtin_groups(conn: &mut impl SqlConn, scope: &TenantScope, at: Timestamp) -> StorageResult<GroupId> {
    let mut admin_group = None;
    for (name, description, grants) in builtin_groups::all() {
        let group_id = GroupId::new();
        let insert = Stmt::new(
            "INSERT INTO groups (tenant_id, id, name, description, builtin, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, TRUE, 1, $5, $5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(group_id.as_uuid())
        .bind(name)
        .bind(description)
        .bind(at);
        conn.execute(insert).await?;
        insert_grants(conn, scope, group_id, &grants, at).await?;
        audit::append(conn, scope, &records::group_created(group_id, name, &grants)).await?;
        if name == builtin_groups::ADMINISTRATORS {
            admin_group = Some(group_id);
        }
    }
    admin_group.ok_or_else(|| StorageError::Backend("no administrators group defined".into()))
}

/// Gives a new tenant the default statuses, inside its creating transaction (the default
/// workflow is drawn from them).
async fn insert_default_statuses(conn: &mut impl SqlConn, scope: &TenantScope, at: Timestamp) -> StorageResult<()> {
    for (position, (name, category)) in (1_i64..).zip(DEFAULT_STATUSES) {
        let insert = Stmt::new(
            "INSERT INTO query_statuses (tenant_id, id, name, category, position, is_default, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(StatusId::new().as_uuid())
        .bind(name)
        .bind(category.as_str())
        .bind(position)
        .bind(position == 1)
        .bind(at);
        conn.execute(insert).await?;
    }
    Ok(())
}

/// Gives a new tenant the shipped example policies (AFS-01 and AFS-02), with their fixed ids.
async fn insert_example_policies(conn: &mut impl SqlConn, scope: &TenantScope, at: Timestamp) -> StorageResult<()> {
    for (position, (id, definition)) in (0_i64..).zip(domain::sla::examples()) {
        let insert = Stmt::new(
            "INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(definition.name.as_str())
        .bind(serde_json::to_string(&definition).unwrap_or_default())
        .bind(position)
        .bind(at);
        conn.execute(insert).await?;
    }
    Ok(())
}

async fn tenant_where<S: SqlBackend>(store: &S, stmt: Stmt) -> StorageResult<Option<Tenant>> {
    let mut tx = store.read_unscoped().await?;
    let row = tx.fetch_optional(stmt).await?;
    tx.commit().await?;
    row.as_ref().map(tenant_of).transpose()
}

#[async_trait]
impl<S: SqlBackend> TenantRepo for S {
    async fn create_tenant(&self, new: NewTenant) -> StorageResult<(Tenant, User)> {
        let tenant = Tenant { id: TenantId::new(), slug: new.slug, name: new.name, created_at: Timestamp::now() };
        let scope = TenantScope::system(tenant.id);
        let mut tx = self.write(tenant.id).await?;
        let insert =
            Stmt::new("INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
                .bind(tenant.id.as_uuid())
                .bind(tenant.slug.as_str())
                .bind(tenant.name.as_str())
                .bind(tenant.created_at);
        tx.execute(insert).await?;
        audit::start_chain(&mut tx, tenant.id).await?;
        audit::append(&mut tx, &scope, &records::tenant_created(&tenant)).await?;
        let admin_group = insert_builtin_groups(&mut tx, &scope, tenant.created_at).await?;
        insert_default_statuses(&mut tx, &scope, tenant.created_at).await?;
        super::workflows::insert_default_workflow(&mut tx, &scope, tenant.created_at).await?;
        insert_example_policies(&mut tx, &scope, tenant.created_at).await?;
        let admin = NewUser {
            email: new.admin_email,
            display_name: new.admin_name,
            password_hash: Some(new.admin_password_hash),
            group_ids: vec![admin_group],
            // The first administrator is always a way in, whatever the sign-in settings.
            break_glass: true,
        };
        let admin = insert_user(&mut tx, &scope, admin).await?;
        tx.commit().await?;
        Ok((tenant, admin))
    }

    async fn tenant_by_slug(&self, slug: &TenantSlug) -> StorageResult<Option<Tenant>> {
        tenant_where(self, Stmt::new(format!("{SELECT_TENANT} WHERE slug = $1")).bind(slug.as_str())).await
    }

    async fn tenant_by_id(&self, id: TenantId) -> StorageResult<Option<Tenant>> {
        tenant_where(self, Stmt::new(format!("{SELECT_TENANT} WHERE id = $1")).bind(id.as_uuid())).await
    }

    async fn list_tenants(&self) -> StorageResult<Vec<Tenant>> {
        let mut tx = self.read_unscoped().await?;
        let rows = tx.fetch_all(Stmt::new(format!("{SELECT_TENANT} ORDER BY slug"))).await?;
        tx.commit().await?;
        rows.iter().map(tenant_of).collect()
    }
}
