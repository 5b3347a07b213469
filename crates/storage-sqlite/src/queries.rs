//! Queries, their statuses and status history on SQLite.

use crate::{
    SqliteStore, audit,
    events::insert_event,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    QueryId, StatusId, Timestamp,
    audit::Actor,
    query::{DEFAULT_STATUSES, NewQuery, Query, QueryFilter, QueryReference, QueryStatus, StatusTransition},
};
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};
use storage::{
    QueryRepo, StorageError, StorageResult, TenantScope,
    records::{self, QueryColumns, query_status},
};
use uuid::Uuid;

const COLUMNS: &str = "tenant_id, id, reference, customer_id, channel, priority, status_id, subject, description, \
    received_at_us, version, created_at_us, updated_at_us";

#[derive(Debug, sqlx::FromRow)]
struct QueryRow {
    tenant_id: Uuid,
    id: Uuid,
    reference: i64,
    customer_id: Option<Uuid>,
    channel: String,
    priority: String,
    status_id: Uuid,
    subject: String,
    description: String,
    received_at_us: i64,
    version: i64,
    created_at_us: i64,
    updated_at_us: i64,
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
            received_at: ts(row.received_at_us),
            version: row.version,
            created_at: ts(row.created_at_us),
            updated_at: ts(row.updated_at_us),
        })
    }
}

/// Gives a new tenant the default statuses, inside its creating transaction.
pub async fn insert_default_statuses(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    at: Timestamp,
) -> StorageResult<()> {
    for (position, (name, category)) in (1..).zip(DEFAULT_STATUSES) {
        sqlx::query(
            "INSERT INTO query_statuses (tenant_id, id, name, category, position, is_default, created_at_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(StatusId::new().as_uuid())
        .bind(name)
        .bind(category.as_str())
        .bind(position)
        .bind(position == 1)
        .bind(at.as_micros())
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

/// SQLite has no row locks; writers begin IMMEDIATE instead, locking the database.
async fn live_query(conn: &mut SqliteConnection, scope: &TenantScope, id: QueryId) -> StorageResult<Option<Query>> {
    let row: Option<QueryRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM queries WHERE tenant_id = ?1 AND id = ?2 AND deleted_at_us IS NULL"
    )))
    .bind(scope.tenant_id.as_uuid())
    .bind(id.as_uuid())
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
        "INSERT INTO query_status_transitions (tenant_id, query_id, seq, from_status_id, to_status_id, at_us, actor_id)
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
        // IMMEDIATE: hold the write lock from the first read, so the reference counter and the
        // checks cannot race another writer.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        if let Some(customer) = new.customer_id {
            let live: Option<i32> = sqlx::query_scalar(
                "SELECT 1 FROM customers WHERE tenant_id = ?1 AND id = ?2 AND deleted_at_us IS NULL AND merged_into IS NULL",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(customer.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
            live.ok_or(StorageError::NotFound)?;
        }
        let status: Uuid = sqlx::query_scalar(
            "SELECT id FROM query_statuses WHERE tenant_id = ?1 AND is_default ORDER BY position LIMIT 1",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let reference: i64 = sqlx::query_scalar(
            "INSERT INTO tenant_counters (tenant_id, name, value) VALUES (?1, 'query_reference', 1)
             ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1 RETURNING value",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let now = Timestamp::now();
        let query = Query {
            tenant_id: scope.tenant_id,
            id: QueryId::new(),
            reference: QueryReference::new(u64::try_from(reference).unwrap_or_default()),
            customer_id: new.customer_id,
            channel: new.channel,
            priority: new.priority,
            status_id: StatusId::from_uuid(status),
            subject: new.subject,
            description: new.description,
            received_at: new.received_at,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        sqlx::query(
            "INSERT INTO queries (tenant_id, id, reference, customer_id, channel, priority, status_id, subject,
                 description, received_at_us, version, created_at_us, updated_at_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        )
        .bind(query.tenant_id.as_uuid())
        .bind(query.id.as_uuid())
        .bind(reference)
        .bind(query.customer_id.map(|c| c.as_uuid()))
        .bind(query.channel.as_str())
        .bind(query.priority.as_str())
        .bind(status)
        .bind(&query.subject)
        .bind(&query.description)
        .bind(query.received_at.as_micros())
        .bind(query.version)
        .bind(now.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        record_transition(&mut tx, scope, &query, None).await?;
        audit::append(&mut tx, scope, &records::query_created(&query)).await?;
        for event in records::query_created_events(&query) {
            insert_event(&mut tx, scope, &event).await?;
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

    async fn list_queries(
        &self,
        scope: &TenantScope,
        filter: &QueryFilter,
        after: Option<QueryId>,
        limit: u32,
    ) -> StorageResult<Vec<Query>> {
        let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM queries WHERE tenant_id = "));
        sql.push_bind(scope.tenant_id.as_uuid()).push(" AND deleted_at_us IS NULL");
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
        if let Some(customer) = filter.customer_id {
            sql.push(" AND customer_id = ").push_bind(customer.as_uuid());
        }
        if let Some(from) = filter.received_from {
            sql.push(" AND received_at_us >= ").push_bind(from.as_micros());
        }
        if let Some(before) = filter.received_before {
            sql.push(" AND received_at_us < ").push_bind(before.as_micros());
        }
        if let Some(after) = after {
            sql.push(" AND id > ").push_bind(after.as_uuid());
        }
        sql.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let rows: Vec<QueryRow> = sql.build_query_as().fetch_all(&mut *tx).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter().map(Query::try_from).collect()
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
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM query_statuses WHERE tenant_id = ?1 AND id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(status.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        known.ok_or(StorageError::NotFound)?;
        if before.status_id == status {
            return Ok(before);
        }
        let after =
            Query { status_id: status, version: before.version + 1, updated_at: Timestamp::now(), ..before.clone() };
        sqlx::query(
            "UPDATE queries SET status_id = ?3, version = ?4, updated_at_us = ?5 WHERE tenant_id = ?1 AND id = ?2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(status.as_uuid())
        .bind(after.version)
        .bind(after.updated_at.as_micros())
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
            "SELECT seq, from_status_id, to_status_id, at_us, actor_id FROM query_status_transitions
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
