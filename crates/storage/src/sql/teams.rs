//! Teams and the query-type taxonomy.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{
    StorageError, StorageResult, TeamRepo, TenantScope,
    records::{self, query_type_from_columns, teams_from_rows},
};
use async_trait::async_trait;
use domain::{
    QueryTypeId, TeamId, Timestamp,
    team::{NewQueryType, QueryType, Team, TeamDetails},
};

async fn teams_where(conn: &mut impl SqlConn, scope: &TenantScope, id: Option<TeamId>) -> StorageResult<Vec<Team>> {
    let stmt = Stmt::new(
        "SELECT t.id, t.name, t.version, t.created_at, t.updated_at, m.user_id, m.leader
         FROM teams t LEFT JOIN team_members m ON m.tenant_id = t.tenant_id AND m.team_id = t.id
         WHERE t.tenant_id = $1 AND ($2 IS NULL OR t.id = $2)
         ORDER BY lower(t.name), t.id, m.position",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(id.map(|id| id.as_uuid()));
    let rows = conn.fetch_all(stmt).await?;
    let rows = rows
        .iter()
        .map(|row| {
            let columns = (row.uuid("id")?, row.text("name")?, row.int("version")?);
            Ok((
                columns.0,
                columns.1,
                columns.2,
                row.time("created_at")?,
                row.time("updated_at")?,
                row.opt_uuid("user_id")?.map(|member| row.bool("leader").map(|leads| (member, leads))).transpose()?,
            ))
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(teams_from_rows(rows))
}

/// Replaces the team's members; each must be a user of the tenant.
async fn write_members(conn: &mut impl SqlConn, scope: &TenantScope, team: &Team) -> StorageResult<()> {
    let members = &team.details.members;
    let mut known = Stmt::new("").bind(scope.tenant_id.as_uuid());
    let listed = known.push_list(members.iter().map(|member| member.as_uuid()));
    known.sql = format!("SELECT count(*) AS known FROM users WHERE tenant_id = $1 AND id IN ({listed})").into();
    if usize::try_from(conn.fetch_one(known).await?.int("known")?).ok() != Some(members.len()) {
        return Err(StorageError::UnknownReference { field: "member_ids" });
    }
    let clear = Stmt::new("DELETE FROM team_members WHERE tenant_id = $1 AND team_id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(team.id.as_uuid());
    conn.execute(clear).await?;
    if members.is_empty() {
        return Ok(());
    }
    let mut insert = Stmt::new("").bind(scope.tenant_id.as_uuid()).bind(team.id.as_uuid());
    let rows: Vec<String> = (1_i64..)
        .zip(members)
        .map(|(position, member)| {
            let leads = team.details.leads(*member);
            format!("($1, $2, {}, {}, {})", insert.push(member.as_uuid()), insert.push(position), insert.push(leads))
        })
        .collect();
    insert.sql =
        format!("INSERT INTO team_members (tenant_id, team_id, user_id, position, leader) VALUES {}", rows.join(", "))
            .into();
    conn.execute(insert).await.map(drop)
}

fn query_type_of(row: &impl SqlRow) -> StorageResult<QueryType> {
    let (id, parent) = (row.uuid("id")?, row.opt_uuid("parent_id")?);
    Ok(query_type_from_columns(id, parent, row.text("name")?, row.bool("active")?, row.int("version")?))
}

/// A query type, locked until the transaction ends.
async fn query_type<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: QueryTypeId,
) -> StorageResult<Option<QueryType>> {
    let sql = format!(
        "SELECT id, parent_id, name, active, version FROM query_types WHERE tenant_id = $1 AND id = $2{}",
        C::DIALECT.for_update
    );
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(query_type_of).transpose()
}

#[async_trait]
impl<S: SqlBackend> TeamRepo for S {
    async fn list_teams(&self, scope: &TenantScope) -> StorageResult<Vec<Team>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let teams = teams_where(&mut tx, scope, None).await?;
        tx.commit().await?;
        Ok(teams)
    }

    async fn get_team(&self, scope: &TenantScope, id: TeamId) -> StorageResult<Option<Team>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let team = teams_where(&mut tx, scope, Some(id)).await?.pop();
        tx.commit().await?;
        Ok(team)
    }

    async fn create_team(&self, scope: &TenantScope, details: TeamDetails) -> StorageResult<Team> {
        let now = Timestamp::now();
        let team = Team { id: TeamId::new(), details, version: 1, created_at: now, updated_at: now };
        let mut tx = self.write(scope.tenant_id).await?;
        let insert = Stmt::new(
            "INSERT INTO teams (tenant_id, id, name, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(team.id.as_uuid())
        .bind(&team.details.name)
        .bind(now);
        tx.execute(insert).await?;
        write_members(&mut tx, scope, &team).await?;
        audit::append(&mut tx, scope, &records::team_created(&team)).await?;
        tx.commit().await?;
        Ok(team)
    }

    async fn update_team(
        &self,
        scope: &TenantScope,
        id: TeamId,
        expected_version: i64,
        details: TeamDetails,
    ) -> StorageResult<Team> {
        let mut tx = self.write(scope.tenant_id).await?;
        let lock = format!(
            "SELECT 1 AS found FROM teams WHERE tenant_id = $1 AND id = $2{}",
            <S::Tx as SqlConn>::DIALECT.for_update
        );
        tx.fetch_optional(Stmt::new(lock).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
        let before = teams_where(&mut tx, scope, Some(id)).await?.pop().ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = Team { details, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        let update =
            Stmt::new("UPDATE teams SET name = $3, version = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .bind(&after.details.name)
                .bind(after.version)
                .bind(after.updated_at);
        tx.execute(update).await?;
        write_members(&mut tx, scope, &after).await?;
        audit::append(&mut tx, scope, &records::team_updated(&before, &after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn list_query_types(&self, scope: &TenantScope) -> StorageResult<Vec<QueryType>> {
        let stmt = Stmt::new(
            "SELECT id, parent_id, name, active, version FROM query_types WHERE tenant_id = $1
             ORDER BY parent_id IS NOT NULL, lower(name), id",
        )
        .bind(scope.tenant_id.as_uuid());
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(query_type_of).collect()
    }

    async fn create_query_type(&self, scope: &TenantScope, new: NewQueryType) -> StorageResult<QueryType> {
        let mut tx = self.write(scope.tenant_id).await?;
        if let Some(parent) = new.parent_id {
            let parent = query_type(&mut tx, scope, parent).await?;
            if parent.is_none_or(|p| p.parent_id.is_some()) {
                return Err(StorageError::UnknownReference { field: "parent_id" });
            }
        }
        let created =
            QueryType { id: QueryTypeId::new(), parent_id: new.parent_id, name: new.name, active: true, version: 1 };
        let insert = Stmt::new(
            "INSERT INTO query_types (tenant_id, id, parent_id, name, active, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, TRUE, 1, $5, $5)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(created.id.as_uuid())
        .bind(created.parent_id.map(|p| p.as_uuid()))
        .bind(&created.name)
        .bind(Timestamp::now());
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &records::query_type_created(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_query_type(
        &self,
        scope: &TenantScope,
        id: QueryTypeId,
        expected_version: i64,
        name: String,
        active: bool,
    ) -> StorageResult<QueryType> {
        let mut tx = self.write(scope.tenant_id).await?;
        let before = query_type(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let after = QueryType { name, active, version: before.version + 1, ..before.clone() };
        let update = Stmt::new(
            "UPDATE query_types SET name = $3, active = $4, version = $5, updated_at = $6
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&after.name)
        .bind(after.active)
        .bind(after.version)
        .bind(Timestamp::now());
        tx.execute(update).await?;
        audit::append(&mut tx, scope, &records::query_type_updated(&before, &after)).await?;
        tx.commit().await?;
        Ok(after)
    }
}
