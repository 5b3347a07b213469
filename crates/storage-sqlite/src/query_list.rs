//! The work-queue query on SQLite: filters, full-text search and keyset paging in any
//! allowed sort, built with bound parameters only.

use domain::{
    query::QueryFilter,
    query_list::{AssigneeFilter, QueryCursor, QuerySort, QuerySortKey},
};
use sqlx::{QueryBuilder, Sqlite};
use storage::TenantScope;
use storage::sql::queries::COLUMNS;

/// `SELECT … ORDER BY <sort>, id LIMIT n` for one page.
pub fn select(
    scope: &TenantScope,
    filter: &QueryFilter,
    sort: QuerySort,
    after: Option<QueryCursor>,
    limit: u32,
) -> QueryBuilder<Sqlite> {
    let mut sql = QueryBuilder::new(format!("SELECT {COLUMNS} FROM queries WHERE tenant_id = "));
    narrow(&mut sql, scope, filter);
    let column = match sort.key {
        QuerySortKey::ReceivedAt => "received_at",
        QuerySortKey::UpdatedAt => "updated_at",
        QuerySortKey::Reference => "reference",
    };
    if let Some(cursor) = after {
        sql.push(format!(" AND ({column}, id) {} (", if sort.descending { "<" } else { ">" }));
        // Times are stored as microseconds, so every key's value binds as it is.
        sql.push_bind(cursor.value);
        sql.push(", ").push_bind(cursor.id.as_uuid()).push(")");
    }
    let direction = if sort.descending { "DESC" } else { "ASC" };
    sql.push(format!(" ORDER BY {column} {direction}, id {direction} LIMIT "));
    sql.push_bind(i64::from(limit));
    sql
}

/// `SELECT count(*)` of everything the filter matches.
pub fn count(scope: &TenantScope, filter: &QueryFilter) -> QueryBuilder<Sqlite> {
    let mut sql = QueryBuilder::new("SELECT count(*) FROM queries WHERE tenant_id = ");
    narrow(&mut sql, scope, filter);
    sql
}

fn narrow(sql: &mut QueryBuilder<Sqlite>, scope: &TenantScope, filter: &QueryFilter) {
    sql.push_bind(scope.tenant_id.as_uuid()).push(" AND deleted_at IS NULL");
    push_visible(sql, scope);
    if !filter.statuses.is_empty() {
        sql.push(" AND status_id IN (");
        let mut list = sql.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.as_uuid());
        }
        sql.push(")");
    }
    if !filter.channels.is_empty() {
        sql.push(" AND channel IN (");
        let mut list = sql.separated(", ");
        for channel in &filter.channels {
            list.push_bind(channel.as_str());
        }
        sql.push(")");
    }
    if !filter.types.is_empty() {
        // A type stands for its sub-types too.
        sql.push(" AND type_id IN (SELECT id FROM query_types WHERE tenant_id = ").push_bind(scope.tenant_id.as_uuid());
        sql.push(" AND (id IN (");
        let mut list = sql.separated(", ");
        for query_type in &filter.types {
            list.push_bind(query_type.as_uuid());
        }
        sql.push(") OR parent_id IN (");
        let mut list = sql.separated(", ");
        for query_type in &filter.types {
            list.push_bind(query_type.as_uuid());
        }
        sql.push(")))");
    }
    if let Some(customer) = filter.customer_id {
        sql.push(" AND customer_id = ").push_bind(customer.as_uuid());
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Nobody => {
            sql.push(" AND assignee_id IS NULL");
        }
        AssigneeFilter::Officer(user) => {
            sql.push(" AND assignee_id = ").push_bind(user.as_uuid());
        }
    }
    if let Some(team) = filter.team_id {
        sql.push(" AND team_id = ").push_bind(team.as_uuid());
    }
    if let Some(open) = filter.open {
        sql.push(" AND is_open = ").push_bind(open);
    }
    if let Some(from) = filter.received_from {
        sql.push(" AND received_at >= ").push_bind(from.as_micros());
    }
    if let Some(before) = filter.received_before {
        sql.push(" AND received_at < ").push_bind(before.as_micros());
    }
    if let Some(terms) = &filter.search {
        sql.push(" AND rowid IN (SELECT rowid FROM queries_fts WHERE queries_fts MATCH ").push_bind(terms.to_fts5());
        sql.push(")");
    }
}

/// Appends "and visible to the scope's user" to a statement on `queries` being built.
pub(crate) fn push_visible(sql: &mut sqlx::QueryBuilder<sqlx::Sqlite>, scope: &TenantScope) {
    if let Some(viewer) = scope.viewer() {
        let (before, after) = storage::visibility::query_visible_parts("queries");
        sql.push(" AND ").push(before).push_bind(viewer).push(after);
        if scope.own_teams_only {
            let (first, second, end) = storage::visibility::query_in_teams_parts("queries");
            sql.push(" AND ").push(first).push_bind(viewer).push(second).push_bind(viewer).push(end);
        }
    }
}
