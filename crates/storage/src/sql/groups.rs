//! Groups with their grants and members (FR-014).

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, users::administrators_remain};
use crate::{
    GroupRepo, StorageError, StorageResult, TenantScope,
    records::{self, GroupRow},
};
use async_trait::async_trait;
use domain::{
    Grant, GroupId, Timestamp,
    group::{Group, GroupDetails},
};
use uuid::Uuid;

async fn groups_where(conn: &mut impl SqlConn, scope: &TenantScope, id: Option<GroupId>) -> StorageResult<Vec<Group>> {
    let groups = Stmt::new(
        "SELECT g.id, g.name, g.description, g.builtin, g.version, g.created_at, g.updated_at, r.area, r.level, r.own_teams
         FROM groups g LEFT JOIN grants r ON r.tenant_id = g.tenant_id AND r.group_id = g.id
         WHERE g.tenant_id = $1 AND ($2 IS NULL OR g.id = $2)
         ORDER BY lower(g.name), g.id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()));
    let rows = conn.fetch_all(groups).await?;
    let rows = rows
        .iter()
        .map(|row| {
            Ok(GroupRow {
                id: row.uuid("id")?,
                name: row.text("name")?,
                description: row.text("description")?,
                builtin: row.bool("builtin")?,
                version: row.int("version")?,
                created_at: row.time("created_at")?,
                updated_at: row.time("updated_at")?,
                area: row.opt_text("area")?,
                level: row.opt_text("level")?,
                own_teams: row.opt_bool("own_teams")?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let members = Stmt::new(
        "SELECT group_id, user_id FROM group_members
         WHERE tenant_id = $1 AND ($2 IS NULL OR group_id = $2) ORDER BY created_at, user_id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()));
    let members = conn.fetch_all(members).await?;
    let members = members
        .iter()
        .map(|row| Ok((row.uuid("group_id")?, row.uuid("user_id")?)))
        .collect::<StorageResult<Vec<_>>>()?;
    records::groups_from_rows(rows, members)
}

/// Gives the group these grants (it has none yet).
pub async fn insert_grants(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    group_id: GroupId,
    grants: &[Grant],
    at: Timestamp,
) -> StorageResult<()> {
    if grants.is_empty() {
        return Ok(());
    }
    let mut insert = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(group_id.as_uuid()).bind(at);
    let rows: Vec<String> = grants
        .iter()
        .map(|grant| {
            let id = insert.push(Uuid::now_v7());
            let (area, level) = (insert.push(grant.area.as_str()), insert.push(grant.level.as_str()));
            format!("($1, {id}, $2, {area}, {level}, $3, {})", insert.push(grant.own_teams))
        })
        .collect();
    insert.sql = format!(
        "INSERT INTO grants (tenant_id, id, group_id, area, level, created_at, own_teams) VALUES {}",
        rows.join(", ")
    )
    .into();
    conn.execute(insert).await.map(drop)
}

/// Replaces the group's grants and members; each member must be a user of the tenant. A member
/// who stays keeps their membership row (and its date).
async fn write_grants_and_members(conn: &mut impl SqlConn, scope: &TenantScope, group: &Group) -> StorageResult<()> {
    let tenant = scope.tenant_id.as_uuid();
    let members: Vec<Uuid> = group.details.members.iter().map(|m| m.as_uuid()).collect();
    let mut known = Stmt::new("").bind(tenant);
    let listed = known.push_list(members.iter().copied());
    known.sql = format!("SELECT count(*) AS known FROM users WHERE tenant_id = $1 AND id IN ({listed})").into();
    if usize::try_from(conn.fetch_one(known).await?.int("known")?).ok() != Some(members.len()) {
        return Err(StorageError::UnknownReference { field: "member_ids" });
    }
    let mut leave = Stmt::new("").bind(tenant).bind(group.id.as_uuid());
    let kept = if members.is_empty() {
        String::new()
    } else {
        format!(" AND user_id NOT IN ({})", leave.push_list(members.iter().copied()))
    };
    leave.sql = format!("DELETE FROM group_members WHERE tenant_id = $1 AND group_id = $2{kept}").into();
    conn.execute(leave).await?;
    if !members.is_empty() {
        let mut join = Stmt::new("").bind(tenant).bind(group.id.as_uuid()).bind(group.updated_at);
        let rows: Vec<String> = members.iter().map(|member| format!("($1, $2, {}, $3)", join.push(*member))).collect();
        join.sql = format!(
            "INSERT INTO group_members (tenant_id, group_id, user_id, created_at) VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        )
        .into();
        conn.execute(join).await?;
    }
    let clear =
        Stmt::new("DELETE FROM grants WHERE tenant_id = $1 AND group_id = $2").bind(tenant).bind(group.id.as_uuid());
    conn.execute(clear).await?;
    insert_grants(conn, scope, group.id, &group.details.grants, group.updated_at).await
}

/// The group, locked for the rest of the transaction, if `expected_version` is current.
async fn locked_current<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: GroupId,
    expected_version: i64,
) -> StorageResult<Group> {
    let lock = format!("SELECT 1 AS found FROM groups WHERE tenant_id = $1 AND id = $2{}", C::DIALECT.for_update);
    conn.fetch_optional(Stmt::new(lock).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    let group = groups_where(conn, scope, Some(id)).await?.pop().ok_or(StorageError::NotFound)?;
    if group.version != expected_version {
        return Err(StorageError::VersionMismatch { current: group.version });
    }
    Ok(group)
}

#[async_trait]
impl<S: SqlBackend> GroupRepo for S {
    async fn list_groups(&self, scope: &TenantScope) -> StorageResult<Vec<Group>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let groups = groups_where(&mut tx, scope, None).await?;
        tx.commit().await?;
        Ok(groups)
    }

    async fn get_group(&self, scope: &TenantScope, id: GroupId) -> StorageResult<Option<Group>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let group = groups_where(&mut tx, scope, Some(id)).await?.pop();
        tx.commit().await?;
        Ok(group)
    }

    async fn create_group(&self, scope: &TenantScope, details: GroupDetails) -> StorageResult<Group> {
        let group = records::new_group(details);
        let mut tx = self.write(scope.tenant_id).await?;
        let insert = Stmt::new(
            "INSERT INTO groups (tenant_id, id, name, description, builtin, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, FALSE, 1, $5, $5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(group.id.as_uuid())
        .bind(&group.details.name)
        .bind(&group.details.description)
        .bind(group.created_at);
        tx.execute(insert).await?;
        write_grants_and_members(&mut tx, scope, &group).await?;
        audit::append(&mut tx, scope, &records::group_added(&group)).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn update_group(
        &self,
        scope: &TenantScope,
        id: GroupId,
        expected_version: i64,
        details: GroupDetails,
    ) -> StorageResult<Group> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = locked_current(&mut tx, scope, id, expected_version).await?;
        before.may_change_grants_to(&records::normalised(details.clone()).grants)?;
        let after = Group {
            details: records::normalised(details),
            version: before.version + 1,
            updated_at: Timestamp::now(),
            ..before.clone()
        };
        let update = Stmt::new(
            "UPDATE groups SET name = $3, description = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&after.details.name)
        .bind(&after.details.description)
        .bind(after.version)
        .bind(after.updated_at);
        tx.execute(update).await?;
        write_grants_and_members(&mut tx, scope, &after).await?;
        administrators_remain(&mut tx, scope).await?;
        audit::append(&mut tx, scope, &records::group_updated(&before, &after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn delete_group(&self, scope: &TenantScope, id: GroupId, expected_version: i64) -> StorageResult<()> {
        let mut tx = self.write(scope.tenant_id).await?;
        let group = locked_current(&mut tx, scope, id, expected_version).await?;
        group.may_delete()?;
        let restricting =
            Stmt::new("SELECT count(*) AS restricting FROM query_restrictions WHERE tenant_id = $1 AND group_id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid());
        if tx.fetch_one(restricting).await?.int("restricting")? > 0 {
            // Deleting it would leave those queries visible to nobody, or to everybody.
            return Err(domain::Conflict::GroupRestrictsQueries.into());
        }
        for statement in [
            "DELETE FROM grants WHERE tenant_id = $1 AND group_id = $2",
            "DELETE FROM group_members WHERE tenant_id = $1 AND group_id = $2",
            "DELETE FROM groups WHERE tenant_id = $1 AND id = $2",
        ] {
            tx.execute(Stmt::new(statement).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
        }
        audit::append(&mut tx, scope, &records::group_deleted(&group)).await?;
        tx.commit().await
    }
}
