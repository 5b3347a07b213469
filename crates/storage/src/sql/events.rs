//! The event table and the timelines read from it.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt};
use crate::{
    StorageResult, TenantScope, TimelineRepo,
    records::{EventColumns, NewEvent},
    visibility,
};
use async_trait::async_trait;
use domain::{CustomerId, QueryId, event::Event};
use uuid::Uuid;

/// Writes an event in the caller's transaction.
pub async fn insert_event(conn: &mut impl SqlConn, scope: &TenantScope, event: &NewEvent) -> StorageResult<()> {
    insert_events(conn, scope, std::slice::from_ref(event)).await
}

/// Writes events in the caller's transaction, in one statement (one round trip for all).
pub async fn insert_events(conn: &mut impl SqlConn, scope: &TenantScope, events: &[NewEvent]) -> StorageResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let mut stmt = Stmt::new("");
    let tenant = stmt.push(scope.tenant_id.as_uuid());
    let actor = stmt.push(scope.actor.id());
    let rows: Vec<String> = events
        .iter()
        .map(|event| {
            let values = [
                stmt.push(Uuid::now_v7()),
                stmt.push(event.at),
                stmt.push(event.kind),
                stmt.push(event.customer_id),
                stmt.push(event.query_id),
                stmt.push(event.details.to_string()),
            ];
            let [id, at, kind, customer, query, details] = values;
            format!("({tenant}, {id}, {at}, {kind}, {customer}, {query}, {actor}, {details})")
        })
        .collect();
    stmt.sql = format!(
        "INSERT INTO events (tenant_id, id, at, kind, customer_id, query_id, actor_id, details) VALUES {}",
        rows.join(", ")
    )
    .into();
    conn.execute(stmt).await.map(drop)
}

/// The two columns a timeline can follow.
#[derive(Debug, Clone, Copy)]
pub enum TimelineOf {
    Customer(CustomerId),
    Query(QueryId),
}

/// Events of one customer or query, oldest first, in the caller's transaction.
pub async fn timeline_in(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    of: TimelineOf,
    limit: u32,
) -> StorageResult<Vec<Event>> {
    let (column, id) = match of {
        TimelineOf::Customer(id) => ("customer_id", id.as_uuid()),
        TimelineOf::Query(id) => ("query_id", id.as_uuid()),
    };
    // An event about a query the viewer may not see is not shown either.
    // A team-limited viewer sees events of their teams' queries (few); anyone else, all but
    // those of restricted queries they are outside of (few).
    let shown = if scope.own_teams_only {
        let visible = visibility::query_visible_to("q", "$4", true);
        format!("query_id IN (SELECT q.id FROM queries q WHERE q.tenant_id = $1 AND {visible})")
    } else {
        let visible = visibility::query_visible("q", "$4");
        format!(
            "query_id NOT IN (SELECT q.id FROM queries q WHERE q.tenant_id = $1 AND q.restricted AND NOT {visible})"
        )
    };
    let sql = format!(
        "SELECT id, at, kind, customer_id, query_id, actor_id, details FROM events
         WHERE tenant_id = $1 AND {column} = $2
           AND (query_id IS NULL OR $4 IS NULL OR {shown})
         ORDER BY at, id LIMIT $3"
    );
    let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id).bind(limit).bind(scope.viewer());
    conn.fetch_all(stmt).await?.iter().map(event_of).collect()
}

fn event_of(row: &impl SqlRow) -> StorageResult<Event> {
    Event::try_from(EventColumns {
        id: row.uuid("id")?,
        at: row.time("at")?,
        kind: row.text("kind")?,
        customer_id: row.opt_uuid("customer_id")?,
        query_id: row.opt_uuid("query_id")?,
        actor_id: row.opt_uuid("actor_id")?,
        details: row.text("details")?,
    })
}

async fn timeline<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    of: TimelineOf,
    limit: u32,
) -> StorageResult<Vec<Event>> {
    let mut tx = store.read(scope.tenant_id).await?;
    let events = timeline_in(&mut tx, scope, of, limit).await?;
    tx.commit().await?;
    Ok(events)
}

#[async_trait]
impl<S: SqlBackend> TimelineRepo for S {
    async fn customer_timeline(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        limit: u32,
    ) -> StorageResult<Vec<Event>> {
        timeline(self, scope, TimelineOf::Customer(customer), limit).await
    }

    async fn query_timeline(&self, scope: &TenantScope, query: QueryId, limit: u32) -> StorageResult<Vec<Event>> {
        timeline(self, scope, TimelineOf::Query(query), limit).await
    }
}
