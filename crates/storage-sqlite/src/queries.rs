//! Queries, their statuses and status history on SQLite.

use crate::{
    SqliteStore, audit,
    customers::live_customer,
    events::insert_event,
    notifications::insert_notification,
    rows::{db_error, ts},
    search::{Indexed, sync_fts},
};
use async_trait::async_trait;
use domain::{
    GroupId, QueryId, QueryTypeId, StatusId, Timestamp,
    audit::Actor,
    customer::Customer,
    note::{NewNote, Note},
    query::{Assignment, NewQuery, Query, QueryEdit, QueryFilter, QueryStatus, StatusCategory, StatusTransition},
    query_list::{QueryCursor, QuerySort},
    search::{CustomerSearchParts, SearchDocument},
};
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::{
    QueryRepo, StorageError, StorageResult, TenantScope,
    records::{self, QueryColumns, query_status},
};
use uuid::Uuid;

pub(crate) const COLUMNS: &str = "tenant_id, id, reference, customer_id, channel, priority, status_id, subject, \
    description, received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct QueryRow {
    tenant_id: Uuid,
    id: Uuid,
    reference: i64,
    customer_id: Option<Uuid>,
    channel: String,
    priority: String,
    status_id: Uuid,
    subject: String,
    description: String,
    received_at: i64,
    type_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    team_id: Option<Uuid>,
    is_open: bool,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<QueryRow> for Query {
    type Error = StorageError;
    fn try_from(row: QueryRow) -> StorageResult<Self> {
        Query::try_from(QueryColumns {
            tenant_id: row.tenant_id,
            id: row.id,
            reference: row.reference,
            customer_id: row.customer_id,
            channel: row.channel,
            priority: row.priority,
            status_id: row.status_id,
            subject: row.subject,
            description: row.description,
            received_at: ts(row.received_at),
            type_id: row.type_id,
            assignee_id: row.assignee_id,
            team_id: row.team_id,
            is_open: row.is_open,
            version: row.version,
            created_at: ts(row.created_at),
            updated_at: ts(row.updated_at),
        })
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

/// SQLite has no row locks; writers begin IMMEDIATE instead, locking the database.
pub(crate) async fn live_query(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    id: QueryId,
) -> StorageResult<Option<Query>> {
    let visible = storage::visibility::query_visible_to("queries", "?3", scope.own_teams_only);
    let row: Option<QueryRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM queries WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL
         AND (?3 IS NULL OR {visible})"
    )))
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
    .bind(scope.viewer())
    .fetch_optional(conn)
    .await
    .map_err(db_error)?;
    row.map(Query::try_from).transpose()
}

async fn record_transition(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    query: &Query,
    from: Option<StatusId>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO query_status_transitions (tenant_id, query_id, seq, from_status_id, to_status_id, at, actor_id)
         SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6
         FROM query_status_transitions WHERE tenant_id = ?1 AND query_id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query.id.as_uuid())
    .bind(from.map(|s| s.as_uuid()))
    .bind(query.status_id.as_uuid())
    .bind(query.updated_at.as_micros())
    .bind(scope.actor.id())
    .execute(conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Checks, in the write's transaction, that a query's type is active and its officer and team
/// exist in the tenant.
pub(crate) async fn check_references(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    type_id: Option<QueryTypeId>,
    assignment: Assignment,
) -> StorageResult<()> {
    let checks: [(&'static str, &str, Option<Uuid>); 3] = [
        (
            "type_id",
            "SELECT 1 FROM query_types WHERE tenant_id = ?1 AND id = ?2 AND active = 1",
            type_id.map(|t| t.as_uuid()),
        ),
        (
            "assignee_id",
            "SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2 AND status = 'active'",
            assignment.officer.map(|u| u.as_uuid()),
        ),
        ("team_id", "SELECT 1 FROM teams WHERE tenant_id = ?1 AND id = ?2", assignment.team.map(|t| t.as_uuid())),
    ];
    for (field, sql, id) in checks {
        let Some(id) = id else { continue };
        let found: Option<i32> = sqlx::query_scalar(sql)
            .bind(scope.tenant_id.as_uuid())
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
        found.ok_or(StorageError::UnknownReference { field })?;
    }
    Ok(())
}

/// Rebuilds the search documents of a customer's queries after their details changed, in the
/// same transaction, so a query is always found by its customer's current name and postcode.
pub(crate) async fn refresh_customer_documents(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    customer: &Customer,
) -> StorageResult<()> {
    let parts = CustomerSearchParts::of(customer);
    let rows: Vec<(Uuid, i64, String, String)> = sqlx::query_as(
        "SELECT id, reference, subject, description FROM queries WHERE tenant_id = ?1 AND customer_id = ?2",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(customer.id.as_uuid())
    .fetch_all(&mut *conn)
    .await
    .map_err(db_error)?;
    for (id, reference, subject, description) in rows {
        let reference = domain::query::QueryReference::new(u64::try_from(reference).unwrap_or_default());
        let document = SearchDocument::for_query(reference, &subject, &description, Some(&parts));
        sqlx::query("UPDATE queries SET search_document = ?3 WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(id)
            .bind(document.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        sync_fts(conn, Indexed::Queries, scope.tenant_id.as_uuid(), id).await?;
    }
    Ok(())
}

#[async_trait]
impl QueryRepo for SqliteStore {
    async fn query_statuses(&self, scope: &TenantScope) -> StorageResult<Vec<QueryStatus>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<(Uuid, String, String, i32, bool)> = sqlx::query_as(
            "SELECT id, name, category, position, is_default FROM query_statuses WHERE tenant_id = ?1 ORDER BY position",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter()
            .map(|(id, name, category, position, default)| query_status(id, name, &category, position, default))
            .collect()
    }

    async fn create_query(&self, scope: &TenantScope, new: NewQuery) -> StorageResult<Query> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let customer = match new.customer_id {
            Some(id) => Some(
                live_customer(&mut tx, scope, id)
                    .await?
                    .ok_or(StorageError::UnknownReference { field: "customer_id" })?,
            ),
            None => None,
        };
        check_references(&mut tx, scope, new.type_id, new.assignment).await?;
        let status_row: (Uuid, String, String, i32, bool) = sqlx::query_as(
            "SELECT id, name, category, position, is_default FROM query_statuses
             WHERE tenant_id = ?1 AND is_default ORDER BY position LIMIT 1",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let status = query_status(status_row.0, status_row.1, &status_row.2, status_row.3, status_row.4)?;
        let reference: i64 = sqlx::query_scalar(
            "INSERT INTO tenant_counters (tenant_id, name, value) VALUES (?1, 'query_reference', 1)
             ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1 RETURNING value",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let query = records::new_query_record(scope, new, reference, &status, Timestamp::now());
        let parts = customer.as_ref().map(CustomerSearchParts::of);
        let document = SearchDocument::for_query(query.reference, &query.subject, &query.description, parts.as_ref());
        sqlx::query(
            "INSERT INTO queries (tenant_id, id, reference, customer_id, channel, priority, status_id, subject,
                 description, received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at,
                 search_document)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17)",
        )
        .bind(query.tenant_id.as_uuid())
        .bind(query.id.as_uuid())
        .bind(reference)
        .bind(query.customer_id.map(|c| c.as_uuid()))
        .bind(query.channel.as_str())
        .bind(query.priority.as_str())
        .bind(query.status_id.as_uuid())
        .bind(&query.subject)
        .bind(&query.description)
        .bind(query.received_at.as_micros())
        .bind(query.type_id.map(|t| t.as_uuid()))
        .bind(query.assignment.officer.map(|u| u.as_uuid()))
        .bind(query.assignment.team.map(|t| t.as_uuid()))
        .bind(query.is_open)
        .bind(query.version)
        .bind(query.created_at.as_micros())
        .bind(document.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        sync_fts(&mut tx, Indexed::Queries, scope.tenant_id.as_uuid(), query.id.as_uuid()).await?;
        record_transition(&mut tx, scope, &query, None).await?;
        audit::append(&mut tx, scope, &records::query_created(&query)).await?;
        for event in records::query_created_events(&query) {
            insert_event(&mut tx, scope, &event).await?;
        }
        if let Some(notification) = records::assignment_notification(None, &query, scope.actor) {
            insert_notification(&mut tx, scope, notification).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(query)
    }

    async fn get_query(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let query = live_query(&mut tx, scope, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(query)
    }

    async fn query_restriction(
        &self,
        scope: &TenantScope,
        id: QueryId,
    ) -> StorageResult<Option<(Query, Vec<GroupId>)>> {
        self.restriction_of(scope, id).await
    }

    async fn restrict_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        groups: Vec<GroupId>,
    ) -> StorageResult<(Query, Vec<GroupId>)> {
        self.set_restriction(scope, id, expected_version, groups).await
    }

    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        sort: QuerySort,
        after: Option<QueryCursor>,
        limit: u32,
    ) -> StorageResult<Vec<Query>> {
        let mut sql = crate::query_list::select(scope, filter, sort, after, limit);
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<QueryRow> = sql.build_query_as().fetch_all(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(Query::try_from).collect()
    }

    async fn count_queries(&self, scope: &TenantScope, filter: &QueryFilter) -> StorageResult<u64> {
        let mut sql = crate::query_list::count(scope, filter);
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let count: i64 = sql.build_query_scalar().fetch_one(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn assign_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        assignment: Assignment,
    ) -> StorageResult<Query> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = live_query(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        check_references(&mut tx, scope, None, assignment).await?;
        if before.assignment == assignment {
            return Ok(before);
        }
        let after = Query { assignment, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        sqlx::query(
            "UPDATE queries SET assignee_id = ?3, team_id = ?4, version = ?5, updated_at = ?6
             WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(assignment.officer.map(|u| u.as_uuid()))
        .bind(assignment.team.map(|t| t.as_uuid()))
        .bind(after.version)
        .bind(after.updated_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::query_assigned(&before, &after)).await?;
        insert_event(&mut tx, scope, &records::query_assigned_event(&after)).await?;
        if let Some(notification) = records::assignment_notification(Some(&before), &after, scope.actor) {
            insert_notification(&mut tx, scope, notification).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn update_query(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        edit: QueryEdit,
    ) -> StorageResult<Query> {
        crate::query_edits::update_query(self, scope, id, expected_version, edit).await
    }

    async fn delete_query(&self, scope: &TenantScope, id: QueryId, expected_version: i64) -> StorageResult<()> {
        crate::query_edits::delete_query(self, scope, id, expected_version).await
    }

    async fn add_note(&self, scope: &TenantScope, query: QueryId, note: NewNote) -> StorageResult<Note> {
        crate::notes::add_note(self, scope, query, note).await
    }

    async fn list_notes(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<Note>> {
        crate::notes::list_notes(self, scope, query).await
    }

    async fn add_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: domain::CustomerId,
        role: domain::party::PartyRole,
    ) -> StorageResult<domain::party::Party> {
        crate::parties::add_party(self, scope, query, customer, role).await
    }

    async fn remove_party(
        &self,
        scope: &TenantScope,
        query: QueryId,
        customer: domain::CustomerId,
        role: domain::party::PartyRole,
    ) -> StorageResult<()> {
        crate::parties::remove_party(self, scope, query, customer, role).await
    }

    async fn list_parties(&self, scope: &TenantScope, query: QueryId) -> StorageResult<Vec<domain::party::Party>> {
        crate::parties::list_parties(self, scope, query).await
    }

    async fn change_query_status(
        &self,
        scope: &TenantScope,
        id: QueryId,
        expected_version: i64,
        status: StatusId,
    ) -> StorageResult<Query> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let before = live_query(&mut tx, scope, id).await?.ok_or(StorageError::NotFound)?;
        if before.version != expected_version {
            return Err(StorageError::VersionMismatch { current: before.version });
        }
        let known: Option<String> =
            sqlx::query_scalar("SELECT category FROM query_statuses WHERE tenant_id = ?1 AND id = ?2")
                .bind(scope.tenant_id.as_uuid())
                .bind(status.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let category = known.ok_or(StorageError::UnknownReference { field: "status_id" })?;
        if before.status_id == status {
            return Ok(before);
        }
        let is_open = !StatusCategory::parse(&category).ok_or_else(|| records::corrupt("status category"))?.is_done();
        let after = Query {
            status_id: status,
            is_open,
            version: before.version + 1,
            updated_at: Timestamp::now(),
            ..before.clone()
        };
        sqlx::query(
            "UPDATE queries SET status_id = ?3, version = ?4, updated_at = ?5, is_open = ?6
             WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(status.as_uuid())
        .bind(after.version)
        .bind(after.updated_at.as_micros())
        .bind(after.is_open)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        record_transition(&mut tx, scope, &after, Some(before.status_id)).await?;
        audit::append(&mut tx, scope, &records::query_status_changed(&before, &after)).await?;
        insert_event(&mut tx, scope, &records::query_status_event(&before, &after)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(after)
    }

    async fn status_history(&self, scope: &TenantScope, id: QueryId) -> StorageResult<Vec<StatusTransition>> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<(i32, Option<Uuid>, Uuid, i64, Option<Uuid>)> = sqlx::query_as(
            "SELECT seq, from_status_id, to_status_id, at, actor_id FROM query_status_transitions
             WHERE tenant_id = ?1 AND query_id = ?2 ORDER BY seq",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(seq, from, to, at, actor)| StatusTransition {
                seq,
                from: from.map(StatusId::from_uuid),
                to: StatusId::from_uuid(to),
                at: ts(at),
                actor: actor.map_or(Actor::System, Actor::User),
            })
            .collect())
    }
}
