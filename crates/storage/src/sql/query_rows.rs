//! Reading a query row, and the checks every write to a query makes in its transaction.

use super::{SqlConn, SqlRow, Stmt, reindex};
use crate::{StorageError, StorageResult, TenantScope, records::QueryColumns};
use domain::{
    QueryId, QueryTypeId,
    customer::Customer,
    query::{Assignment, Query, QueryReference},
    search::{CustomerSearchParts, SearchDocument},
};
use uuid::Uuid;

pub const COLUMNS: &str = "tenant_id, id, reference, customer_id, channel, priority, status_id, subject, \
    description, received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at, due_at, due_soon_at, breached_at, due_order";

pub fn query_of(row: &impl SqlRow) -> StorageResult<Query> {
    Query::try_from(QueryColumns {
        tenant_id: row.uuid("tenant_id")?,
        id: row.uuid("id")?,
        reference: row.int("reference")?,
        customer_id: row.opt_uuid("customer_id")?,
        channel: row.text("channel")?,
        priority: row.text("priority")?,
        status_id: row.uuid("status_id")?,
        subject: row.text("subject")?,
        description: row.text("description")?,
        received_at: row.time("received_at")?,
        type_id: row.opt_uuid("type_id")?,
        assignee_id: row.opt_uuid("assignee_id")?,
        team_id: row.opt_uuid("team_id")?,
        is_open: row.bool("is_open")?,
        version: row.int("version")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        due_at: row.opt_time("due_at")?,
        due_soon_at: row.opt_time("due_soon_at")?,
        breached_at: row.opt_time("breached_at")?,
    })
}

/// A query that is not deleted and that the scope may see, locked when `lock`.
pub async fn live_query<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: QueryId,
    lock: bool,
) -> StorageResult<Option<Query>> {
    let lock = if lock { C::DIALECT.for_update } else { "" };
    let visible = crate::visibility::query_visible_to("queries", "$3", scope.own_teams_only);
    let sql = format!(
        "SELECT {COLUMNS} FROM queries WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL
         AND ($3 IS NULL OR {visible}){lock}"
    );
    let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid()).bind(scope.viewer());
    conn.fetch_optional(stmt).await?.as_ref().map(query_of).transpose()
}

/// The live query at `expected_version`, locked for the rest of the transaction.
pub async fn current_query(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    id: QueryId,
    expected_version: i64,
) -> StorageResult<Query> {
    let query = live_query(conn, scope, id, true).await?.ok_or(StorageError::NotFound)?;
    if query.version != expected_version {
        return Err(StorageError::VersionMismatch { current: query.version });
    }
    Ok(query)
}

/// Checks, in the write's transaction, that a query's type is active and its officer and team
/// exist in the tenant.
pub async fn check_references(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    type_id: Option<QueryTypeId>,
    assignment: Assignment,
) -> StorageResult<()> {
    let checks: [(&'static str, &'static str, Option<Uuid>); 3] = [
        (
            "type_id",
            "SELECT 1 AS found FROM query_types WHERE tenant_id = $1 AND id = $2 AND active",
            type_id.map(|t| t.as_uuid()),
        ),
        (
            "assignee_id",
            "SELECT 1 AS found FROM users WHERE tenant_id = $1 AND id = $2 AND status = 'active'",
            assignment.officer.map(|u| u.as_uuid()),
        ),
        (
            "team_id",
            "SELECT 1 AS found FROM teams WHERE tenant_id = $1 AND id = $2",
            assignment.team.map(|t| t.as_uuid()),
        ),
    ];
    for (field, sql, id) in checks {
        let Some(id) = id else { continue };
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id);
        conn.fetch_optional(stmt).await?.ok_or(StorageError::UnknownReference { field })?;
    }
    Ok(())
}

/// Rebuilds the search documents of a customer's queries after their details changed, in the
/// same transaction, so a query is always found by its customer's current name and postcode.
pub async fn refresh_customer_documents(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    customer: &Customer,
) -> StorageResult<()> {
    let parts = CustomerSearchParts::of(customer);
    let stmt =
        Stmt::new("SELECT id, reference, subject, description FROM queries WHERE tenant_id = $1 AND customer_id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(customer.id.as_uuid());
    for row in conn.fetch_all(stmt).await? {
        let id = row.uuid("id")?;
        let reference = QueryReference::new(u64::try_from(row.int("reference")?).unwrap_or_default());
        let document =
            SearchDocument::for_query(reference, &row.text("subject")?, &row.text("description")?, Some(&parts));
        let update = Stmt::new("UPDATE queries SET search_document = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id)
            .bind(document.as_str());
        conn.execute(update).await?;
        reindex(conn, "queries", scope.tenant_id, id).await?;
    }
    Ok(())
}
