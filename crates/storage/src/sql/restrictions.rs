//! Restricting a query to named groups.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit,
    query_rows::{current_query, live_query},
};
use crate::{StorageError, StorageResult, TenantScope, records};
use domain::{GroupId, QueryId, Timestamp, query::Query};

async fn groups_of(conn: &mut impl SqlConn, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<GroupId>> {
    let stmt =
        Stmt::new("SELECT group_id FROM query_restrictions WHERE tenant_id = $1 AND query_id = $2 ORDER BY group_id")
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid());
    conn.fetch_all(stmt).await?.iter().map(|row| row.uuid("group_id").map(GroupId::from_uuid)).collect()
}

pub async fn restriction_of<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    id: QueryId,
) -> StorageResult<Option<(Query, Vec<GroupId>)>> {
    let mut tx = store.read(scope.tenant_id).await?;
    let Some(query) = live_query(&mut tx, scope, id, false).await? else {
        tx.commit().await?;
        return Ok(None);
    };
    let groups = groups_of(&mut tx, scope, id).await?;
    tx.commit().await?;
    Ok(Some((query, groups)))
}

pub async fn set_restriction<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
    mut groups: Vec<GroupId>,
) -> StorageResult<(Query, Vec<GroupId>)> {
    groups.sort();
    groups.dedup();
    let tenant = scope.tenant_id.as_uuid();
    let mut tx = store.write(scope.tenant_id).await?;
    let before = current_query(&mut tx, scope, id, expected_version).await?;
    let mut known = Stmt::new("").bind(tenant);
    let listed = known.push_list(groups.iter().map(GroupId::as_uuid));
    known.sql = format!("SELECT count(*) AS known FROM groups WHERE tenant_id = $1 AND id IN ({listed})").into();
    if usize::try_from(tx.fetch_one(known).await?.int("known")?).ok() != Some(groups.len()) {
        return Err(StorageError::UnknownReference { field: "group_ids" });
    }
    let before_groups = groups_of(&mut tx, scope, id).await?;
    let after = Query { version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
    tx.execute(
        Stmt::new("DELETE FROM query_restrictions WHERE tenant_id = $1 AND query_id = $2")
            .bind(tenant)
            .bind(id.as_uuid()),
    )
    .await?;
    if !groups.is_empty() {
        let mut insert = Stmt::new("").bind(tenant).bind(id.as_uuid()).bind(after.updated_at);
        let rows: Vec<String> =
            groups.iter().map(|group| format!("($1, $2, {}, $3)", insert.push(group.as_uuid()))).collect();
        insert.sql = format!(
            "INSERT INTO query_restrictions (tenant_id, query_id, group_id, created_at) VALUES {}",
            rows.join(", ")
        )
        .into();
        tx.execute(insert).await?;
    }
    let update =
        Stmt::new("UPDATE queries SET restricted = $3, version = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id.as_uuid())
            .bind(!groups.is_empty())
            .bind(after.version)
            .bind(after.updated_at);
    tx.execute(update).await?;
    audit::append(&mut tx, scope, &records::query_restriction_changed(&after, &before_groups, &groups)).await?;
    tx.commit().await?;
    Ok((after, groups))
}
