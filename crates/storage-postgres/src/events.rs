//! The event table and timelines on PostgreSQL.

use crate::{
    PgStore,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{CustomerId, QueryId, event::Event};
use sqlx::{
    PgConnection,
    types::chrono::{DateTime, Utc},
};
use storage::{
    StorageResult, TenantScope, TimelineRepo,
    records::{EventColumns, NewEvent},
};
use uuid::Uuid;

/// Writes an event in the caller's transaction.
pub async fn insert_event(conn: &mut PgConnection, scope: &TenantScope, event: &NewEvent) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO events (tenant_id, id, at, kind, customer_id, query_id, actor_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(Uuid::now_v7())
    .bind(event.at.as_datetime())
    .bind(event.kind)
    .bind(event.customer_id)
    .bind(event.query_id)
    .bind(scope.actor.id())
    .bind(event.details.to_string())
    .execute(conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

type EventRow = (Uuid, DateTime<Utc>, String, Option<Uuid>, Option<Uuid>, Option<Uuid>, String);

/// Events whose `column` (one of two fixed names) is `id`, oldest first, in the caller's
/// tenant-scoped transaction.
pub(crate) async fn timeline_in(
    conn: &mut PgConnection,
    scope: &TenantScope,
    column: &'static str,
    id: Uuid,
    limit: u32,
) -> StorageResult<Vec<Event>> {
    // An event about a query the viewer may not see is not shown either.
    // A team-limited viewer sees events of their teams' queries (few); anyone else, all but
    // those of restricted queries they are outside of (few).
    let shown = if scope.own_teams_only {
        let visible = storage::visibility::query_visible_to("q", "$4", true);
        format!("query_id IN (SELECT q.id FROM queries q WHERE q.tenant_id = $1 AND {visible})")
    } else {
        let visible = storage::visibility::query_visible("q", "$4");
        format!(
            "query_id NOT IN (SELECT q.id FROM queries q WHERE q.tenant_id = $1 AND q.restricted AND NOT {visible})"
        )
    };
    let rows: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, at, kind, customer_id, query_id, actor_id, details FROM events
         WHERE tenant_id = $1 AND {column} = $2
           AND (query_id IS NULL OR $4::uuid IS NULL OR {shown})
         ORDER BY at, id LIMIT $3"
    )))
    .bind(scope.tenant_id.as_uuid())
    .bind(id)
    .bind(i64::from(limit))
    .bind(scope.viewer())
    .fetch_all(conn)
    .await
    .map_err(db_error)?;
    rows.into_iter()
        .map(|(id, at, kind, customer_id, query_id, actor_id, details)| {
            Event::try_from(EventColumns { id, at: ts(at), kind, customer_id, query_id, actor_id, details })
        })
        .collect()
}

impl PgStore {
    async fn timeline(
        &self,
        scope: &TenantScope,
        column: &'static str,
        id: Uuid,
        limit: u32,
    ) -> StorageResult<Vec<Event>> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let events = timeline_in(&mut tx, scope, column, id, limit).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(events)
    }
}

#[async_trait]
impl TimelineRepo for PgStore {
    async fn customer_timeline(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        limit: u32,
    ) -> StorageResult<Vec<Event>> {
        self.timeline(scope, "customer_id", customer.as_uuid(), limit).await
    }

    async fn query_timeline(&self, scope: &TenantScope, query: QueryId, limit: u32) -> StorageResult<Vec<Event>> {
        self.timeline(scope, "query_id", query.as_uuid(), limit).await
    }
}
