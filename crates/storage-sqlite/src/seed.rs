//! Bulk loading on SQLite: one transaction per batch, multi-row INSERTs as large as SQLite's
//! parameter limit allows, and the FTS5 rows written from the inserted rows' rowids.

use crate::{SqliteStore, errors::db_error, glue::Conn};
use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, query_builder::Separated};
use storage::{
    StorageResult, TenantScope,
    records::customer_values,
    seed::{SeedBatch, SeedStart, SeedTurn, Seeder},
    sql::seeding,
};
use uuid::Uuid;

/// SQLite allows 32,766 bound parameters per statement (since 3.32).
const MAX_PARAMS: usize = 32_000;

/// Inserts `rows` into `table` in as few statements as the parameter limit allows; `push`
/// binds one row's `columns` values after the tenant id.
async fn insert_rows<'a, T: 'a>(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    table: &str,
    columns: &str,
    rows: &'a [T],
    push: impl Fn(&mut Separated<'_, Sqlite, &'static str>, &'a T) + Copy,
) -> StorageResult<()> {
    let per_row = columns.split(',').count();
    for chunk in rows.chunks((MAX_PARAMS / per_row).max(1)) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(format!("INSERT INTO {table} ({columns}) "));
        sql.push_values(chunk, |mut b, row| {
            b.push_bind(tenant);
            push(&mut b, row);
        });
        sql.build().execute(&mut *conn).await.map_err(db_error)?;
    }
    Ok(())
}

/// Customers with their contact index rows; the FTS rows follow the rowids just used.
async fn insert_customers(conn: &mut SqliteConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    let first_rowid = next_rowid(conn, "customers").await?;
    let values: Vec<_> = batch.customers.iter().map(|(c, d)| (c, customer_values(&c.details), d)).collect();
    insert_rows(
        conn,
        tenant,
        "customers",
        "tenant_id, id, title, given_name, family_name, organisation, emails, phones, address_lines, town, \
         postcode, postcode_compact, country, preferred_channel, contact_needs, notes, consent_feedback_surveys, \
         consent_updates_by_email, version, created_at, updated_at, search_document",
        &values,
        |b, (c, v, document)| {
            let d = &c.details;
            b.push_bind(c.id.as_uuid())
                .push_bind(&d.title)
                .push_bind(&d.given_name)
                .push_bind(&d.family_name)
                .push_bind(&d.organisation)
                .push_bind(&v.emails)
                .push_bind(&v.phones)
                .push_bind(&v.address_lines)
                .push_bind(&v.town)
                .push_bind(&v.postcode)
                .push_bind(&v.postcode_compact)
                .push_bind(&v.country)
                .push_bind(v.preferred_channel)
                .push_bind(&d.contact_needs)
                .push_bind(&d.notes)
                .push_bind(d.consent.feedback_surveys)
                .push_bind(d.consent.updates_by_email)
                .push_bind(c.version)
                .push_bind(c.created_at.as_micros())
                .push_bind(c.updated_at.as_micros())
                .push_bind(document.as_str());
        },
    )
    .await?;
    let contacts: Vec<(Uuid, &str, &str)> = values
        .iter()
        .flat_map(|(c, v, _)| v.contacts.iter().map(move |(kind, value)| (c.id.as_uuid(), *kind, value.as_str())))
        .collect();
    insert_rows(conn, tenant, "customer_contacts", "tenant_id, customer_id, kind, value", &contacts, |b, row| {
        b.push_bind(row.0).push_bind(row.1).push_bind(row.2);
    })
    .await?;
    index_from(conn, "customers", first_rowid).await
}

/// The rowid the next inserted row gets (rows are never deleted while seeding).
async fn next_rowid(conn: &mut SqliteConnection, table: &'static str) -> StorageResult<i64> {
    let max: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT max(rowid) FROM {table}")))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Copies the documents of rows from `first_rowid` on into the table's FTS5 index, under the
/// same rowids, as `storage::sql::reindex` does row by row (the dialect's `reindex` statements).
async fn index_from(conn: &mut SqliteConnection, table: &'static str, first_rowid: i64) -> StorageResult<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO {table}_fts (rowid, document) SELECT rowid, search_document FROM {table} WHERE rowid >= ?1"
    )))
    .bind(first_rowid)
    .execute(&mut *conn)
    .await
    .map(drop)
    .map_err(db_error)
}

async fn insert_queries(conn: &mut SqliteConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    if batch.queries.is_empty() {
        return Ok(());
    }
    let workflow =
        batch.workflow.ok_or_else(|| storage::StorageError::Backend("a seed batch names no workflow".into()))?;
    let first_rowid = next_rowid(conn, "queries").await?;
    insert_rows(
        conn,
        tenant,
        "queries",
        "tenant_id, id, reference, customer_id, channel, priority, status_id, subject, description, \
         received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at, \
         search_document, due_at, due_soon_at, breached_at, workflow_id, workflow_version",
        &batch.queries,
        |b, (q, document)| {
            b.push_bind(q.id.as_uuid())
                .push_bind(q.reference.number() as i64)
                .push_bind(q.customer_id.map(|c| c.as_uuid()))
                .push_bind(q.channel.as_str())
                .push_bind(q.priority.as_str())
                .push_bind(q.status_id.as_uuid())
                .push_bind(q.subject.as_str())
                .push_bind(q.description.as_str())
                .push_bind(q.received_at.as_micros())
                .push_bind(q.type_id.map(|t| t.as_uuid()))
                .push_bind(q.assignment.officer.map(|u| u.as_uuid()))
                .push_bind(q.assignment.team.map(|t| t.as_uuid()))
                .push_bind(q.is_open)
                .push_bind(q.version)
                .push_bind(q.created_at.as_micros())
                .push_bind(q.updated_at.as_micros())
                .push_bind(document.as_str())
                .push_bind(q.due.due_at.map(|t| t.as_micros()))
                .push_bind(q.due.due_soon_at.map(|t| t.as_micros()))
                .push_bind(q.due.breached_at.map(|t| t.as_micros()))
                .push_bind(workflow.id.as_uuid())
                .push_bind(workflow.version);
        },
    )
    .await?;
    index_from(conn, "queries", first_rowid).await?;
    insert_rows(
        conn,
        tenant,
        "query_status_transitions",
        "tenant_id, query_id, seq, from_status_id, to_status_id, at, actor_id, workflow_id, workflow_version, \
         resolution_summary",
        &batch.transitions,
        |b, t| {
            b.push_bind(t.query_id)
                .push_bind(t.seq)
                .push_bind(t.from.map(|s| s.as_uuid()))
                .push_bind(t.to.as_uuid())
                .push_bind(t.at.as_micros())
                .push_bind(t.actor)
                .push_bind(t.workflow.id.as_uuid())
                .push_bind(t.workflow.version)
                .push_bind(t.resolution_summary.clone());
        },
    )
    .await
}

async fn insert_notes_and_events(conn: &mut SqliteConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    insert_rows(
        conn,
        tenant,
        "query_notes",
        "tenant_id, id, query_id, kind, direction, channel, occurred_at, body, author_id, created_at",
        &batch.notes,
        |b, n| {
            b.push_bind(n.id.as_uuid())
                .push_bind(n.query_id.as_uuid())
                .push_bind(n.note.kind.as_str())
                .push_bind(n.note.contact.map(|c| c.direction.as_str()))
                .push_bind(n.note.contact.map(|c| c.channel.as_str()))
                .push_bind(n.note.occurred_at.as_micros())
                .push_bind(n.note.body.as_str())
                .push_bind(n.author.id())
                .push_bind(n.created_at.as_micros());
        },
    )
    .await?;
    let details: Vec<String> = batch.events.iter().map(|e| e.event.details.to_string()).collect();
    let events: Vec<_> = batch.events.iter().zip(&details).collect();
    insert_rows(
        conn,
        tenant,
        "events",
        "tenant_id, id, at, kind, customer_id, query_id, actor_id, details",
        &events,
        |b, (e, details)| {
            b.push_bind(e.id)
                .push_bind(e.event.at.as_micros())
                .push_bind(e.event.kind)
                .push_bind(e.event.customer_id)
                .push_bind(e.event.query_id)
                .push_bind(e.actor)
                .push_bind(details.as_str());
        },
    )
    .await
}

async fn insert_audit(conn: &mut SqliteConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    insert_rows(
        conn,
        tenant,
        "audit_entries",
        "tenant_id, seq, at, actor_kind, actor_id, action, subject_kind, subject_id, payload, payload_hash, \
         prev_hash, hash",
        &batch.audit,
        |b, l| {
            let e = &l.envelope;
            b.push_bind(e.seq)
                .push_bind(e.at.as_micros())
                .push_bind(e.actor.kind())
                .push_bind(e.actor.id())
                .push_bind(e.action.as_str())
                .push_bind(e.subject_kind.as_str())
                .push_bind(e.subject_id)
                .push_bind(l.payload.as_str())
                .push_bind(&l.payload_hash[..])
                .push_bind(&l.prev_hash[..])
                .push_bind(&l.hash[..]);
        },
    )
    .await?;
    Ok(())
}

#[async_trait]
impl Seeder for SqliteStore {
    async fn seed_start(&self, scope: &TenantScope) -> StorageResult<SeedStart> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        seeding::seed_start(&mut Conn(&mut conn), scope).await
    }

    /// One writer: SQLite has one write lock, which a batch waiting for its turn would hold.
    async fn seed_batch(&self, scope: &TenantScope, batch: &SeedBatch, turn: SeedTurn) -> StorageResult<()> {
        turn.await;
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        insert_customers(&mut tx, tenant, batch).await?;
        insert_queries(&mut tx, tenant, batch).await?;
        insert_notes_and_events(&mut tx, tenant, batch).await?;
        insert_audit(&mut tx, tenant, batch).await?;
        seeding::insert_clocks(&mut Conn(&mut tx), scope, batch).await?;
        seeding::move_audit_head(&mut Conn(&mut tx), scope, batch).await?;
        seeding::advance_reference(&mut Conn(&mut tx), scope, batch).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
