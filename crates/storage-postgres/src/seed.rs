//! Bulk loading on PostgreSQL: one `INSERT … SELECT FROM UNNEST(arrays)` per table and batch.
//!
//! Not `COPY FROM`: PostgreSQL refuses it on tables with row-level security for any role that
//! the policies bind, which is how production connects. UNNEST sends each column as one array
//! parameter, so a batch of thousands of rows is one round trip and one statement plan.

use crate::{PgStore, errors::db_error, glue::Conn};
use async_trait::async_trait;
use sqlx::{
    PgConnection,
    types::chrono::{DateTime, Utc},
};
use storage::{
    StorageResult, TenantScope,
    records::customer_values,
    seed::{SeedBatch, SeedStart, SeedTurn, Seeder},
    sql::seeding,
};
use uuid::Uuid;

fn at(t: domain::Timestamp) -> DateTime<Utc> {
    t.as_datetime()
}

async fn insert_customers(conn: &mut PgConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    if batch.customers.is_empty() {
        return Ok(());
    }
    let n = batch.customers.len();
    let (mut ids, mut titles, mut given, mut family, mut orgs) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::new());
    let (mut emails, mut phones, mut lines, mut towns, mut postcodes, mut compacts, mut countries) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut channels, mut needs, mut notes, mut surveys, mut updates, mut versions, mut created, mut updated) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut documents = Vec::with_capacity(n);
    let (mut contact_ids, mut contact_kinds, mut contact_values) = (Vec::new(), Vec::new(), Vec::new());
    for (customer, document) in &batch.customers {
        let d = &customer.details;
        let v = customer_values(d);
        ids.push(customer.id.as_uuid());
        titles.push(d.title.clone());
        given.push(d.given_name.clone());
        family.push(d.family_name.clone());
        orgs.push(d.organisation.clone());
        emails.push(v.emails);
        phones.push(v.phones);
        lines.push(v.address_lines);
        towns.push(v.town);
        postcodes.push(v.postcode);
        compacts.push(v.postcode_compact);
        countries.push(v.country);
        channels.push(v.preferred_channel.map(str::to_owned));
        needs.push(d.contact_needs.clone());
        notes.push(d.notes.clone());
        surveys.push(d.consent.feedback_surveys);
        updates.push(d.consent.updates_by_email);
        versions.push(customer.version);
        created.push(at(customer.created_at));
        updated.push(at(customer.updated_at));
        documents.push(document.as_str());
        for (kind, value) in v.contacts {
            contact_ids.push(customer.id.as_uuid());
            contact_kinds.push(kind);
            contact_values.push(value);
        }
    }
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, title, given_name, family_name, organisation, emails, phones,
             address_lines, town, postcode, postcode_compact, country, preferred_channel, contact_needs, notes,
             consent_feedback_surveys, consent_updates_by_email, version, created_at, updated_at, search_document)
         SELECT $1, * FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
             $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
             $16::text[], $17::bool[], $18::bool[], $19::int8[], $20::timestamptz[], $21::timestamptz[], $22::text[])",
    )
    .bind(tenant)
    .bind(ids)
    .bind(titles)
    .bind(given)
    .bind(family)
    .bind(orgs)
    .bind(emails)
    .bind(phones)
    .bind(lines)
    .bind(towns)
    .bind(postcodes)
    .bind(compacts)
    .bind(countries)
    .bind(channels)
    .bind(needs)
    .bind(notes)
    .bind(surveys)
    .bind(updates)
    .bind(versions)
    .bind(created)
    .bind(updated)
    .bind(documents)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    sqlx::query(
        "INSERT INTO customer_contacts (tenant_id, customer_id, kind, value)
         SELECT $1, * FROM UNNEST($2::uuid[], $3::text[], $4::text[])",
    )
    .bind(tenant)
    .bind(contact_ids)
    .bind(contact_kinds)
    .bind(contact_values)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

async fn insert_queries(conn: &mut PgConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    if batch.queries.is_empty() {
        return Ok(());
    }
    let workflow =
        batch.workflow.ok_or_else(|| storage::StorageError::Backend("a seed batch names no workflow".into()))?;
    let qs = || batch.queries.iter().map(|(q, _)| q);
    let uuids = |f: fn(&domain::query::Query) -> Option<Uuid>| qs().map(f).collect::<Vec<_>>();
    let times = |f: fn(&domain::query::Query) -> domain::Timestamp| qs().map(|q| at(f(q))).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO queries (tenant_id, id, reference, customer_id, channel, priority, status_id, subject,
             description, received_at, type_id, assignee_id, team_id, is_open, version, created_at, updated_at,
             search_document, due_at, due_soon_at, breached_at, workflow_id, workflow_version)
         SELECT $1, *, $22, $23 FROM UNNEST($2::uuid[], $3::int8[], $4::uuid[], $5::text[], $6::text[], $7::uuid[],
             $8::text[], $9::text[], $10::timestamptz[], $11::uuid[], $12::uuid[], $13::uuid[], $14::bool[],
             $15::int8[], $16::timestamptz[], $17::timestamptz[], $18::text[], $19::timestamptz[],
             $20::timestamptz[], $21::timestamptz[])",
    )
    .bind(tenant)
    .bind(qs().map(|q| q.id.as_uuid()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.reference.number() as i64).collect::<Vec<_>>())
    .bind(uuids(|q| q.customer_id.map(|c| c.as_uuid())))
    .bind(qs().map(|q| q.channel.as_str()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.priority.as_str()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.status_id.as_uuid()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.subject.as_str()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.description.as_str()).collect::<Vec<_>>())
    .bind(times(|q| q.received_at))
    .bind(uuids(|q| q.type_id.map(|t| t.as_uuid())))
    .bind(uuids(|q| q.assignment.officer.map(|u| u.as_uuid())))
    .bind(uuids(|q| q.assignment.team.map(|t| t.as_uuid())))
    .bind(qs().map(|q| q.is_open).collect::<Vec<_>>())
    .bind(qs().map(|q| q.version).collect::<Vec<_>>())
    .bind(times(|q| q.created_at))
    .bind(times(|q| q.updated_at))
    .bind(batch.queries.iter().map(|(_, d)| d.as_str()).collect::<Vec<_>>())
    .bind(qs().map(|q| q.due.due_at.map(at)).collect::<Vec<_>>())
    .bind(qs().map(|q| q.due.due_soon_at.map(at)).collect::<Vec<_>>())
    .bind(qs().map(|q| q.due.breached_at.map(at)).collect::<Vec<_>>())
    .bind(workflow.id.as_uuid())
    .bind(workflow.version)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    let t = &batch.transitions;
    sqlx::query(
        "INSERT INTO query_status_transitions (tenant_id, query_id, seq, from_status_id, to_status_id, at, actor_id,
             workflow_id, workflow_version, resolution_summary)
         SELECT $1, * FROM UNNEST($2::uuid[], $3::int4[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::uuid[],
             $8::uuid[], $9::int4[], $10::text[])",
    )
    .bind(tenant)
    .bind(t.iter().map(|r| r.query_id).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.seq).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.from.map(|s| s.as_uuid())).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.to.as_uuid()).collect::<Vec<_>>())
    .bind(t.iter().map(|r| at(r.at)).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.actor).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.workflow.id.as_uuid()).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.workflow.version).collect::<Vec<_>>())
    .bind(t.iter().map(|r| r.resolution_summary.as_deref()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

async fn insert_notes_and_events(conn: &mut PgConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    let n = &batch.notes;
    sqlx::query(
        "INSERT INTO query_notes (tenant_id, id, query_id, kind, direction, channel, occurred_at, body, author_id,
             created_at)
         SELECT $1, * FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
             $8::text[], $9::uuid[], $10::timestamptz[])",
    )
    .bind(tenant)
    .bind(n.iter().map(|r| r.id.as_uuid()).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.query_id.as_uuid()).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.note.kind.as_str()).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.note.contact.map(|c| c.direction.as_str())).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.note.contact.map(|c| c.channel.as_str())).collect::<Vec<_>>())
    .bind(n.iter().map(|r| at(r.note.occurred_at)).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.note.body.as_str()).collect::<Vec<_>>())
    .bind(n.iter().map(|r| r.author.id()).collect::<Vec<_>>())
    .bind(n.iter().map(|r| at(r.created_at)).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    let e = &batch.events;
    sqlx::query(
        "INSERT INTO events (tenant_id, id, at, kind, customer_id, query_id, actor_id, details)
         SELECT $1, * FROM UNNEST($2::uuid[], $3::timestamptz[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[],
             $8::text[])",
    )
    .bind(tenant)
    .bind(e.iter().map(|r| r.id).collect::<Vec<_>>())
    .bind(e.iter().map(|r| at(r.event.at)).collect::<Vec<_>>())
    .bind(e.iter().map(|r| r.event.kind).collect::<Vec<_>>())
    .bind(e.iter().map(|r| r.event.customer_id).collect::<Vec<_>>())
    .bind(e.iter().map(|r| r.event.query_id).collect::<Vec<_>>())
    .bind(e.iter().map(|r| r.actor).collect::<Vec<_>>())
    .bind(e.iter().map(|r| r.event.details.to_string()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

async fn insert_audit(conn: &mut PgConnection, tenant: Uuid, batch: &SeedBatch) -> StorageResult<()> {
    if batch.audit.is_empty() {
        return Ok(());
    }
    let a = &batch.audit;
    sqlx::query(
        "INSERT INTO audit_entries (tenant_id, seq, at, actor_kind, actor_id, action, subject_kind, subject_id,
             payload, payload_hash, prev_hash, hash)
         SELECT $1, * FROM UNNEST($2::int8[], $3::timestamptz[], $4::text[], $5::uuid[], $6::text[], $7::text[],
             $8::uuid[], $9::text[], $10::bytea[], $11::bytea[], $12::bytea[])",
    )
    .bind(tenant)
    .bind(a.iter().map(|l| l.envelope.seq).collect::<Vec<_>>())
    .bind(a.iter().map(|l| at(l.envelope.at)).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.envelope.actor.kind()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.envelope.actor.id()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.envelope.action.as_str()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.envelope.subject_kind.as_str()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.envelope.subject_id).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.payload.as_str()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.payload_hash.to_vec()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.prev_hash.to_vec()).collect::<Vec<_>>())
    .bind(a.iter().map(|l| l.hash.to_vec()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

#[async_trait]
impl Seeder for PgStore {
    /// Three: index upkeep makes a PostgreSQL backend the bound, and while one waits on the
    /// disk the others use both cores.
    fn seed_writers(&self) -> usize {
        3
    }

    async fn seed_start(&self, scope: &TenantScope) -> StorageResult<SeedStart> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let start = seeding::seed_start(&mut Conn(&mut tx), scope).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(start)
    }

    async fn seed_batch(&self, scope: &TenantScope, batch: &SeedBatch, turn: SeedTurn) -> StorageResult<()> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        // Seeding is re-runnable from scratch; waiting for each batch's WAL flush buys nothing.
        sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await.map_err(db_error)?;
        insert_customers(&mut tx, tenant, batch).await?;
        insert_queries(&mut tx, tenant, batch).await?;
        insert_notes_and_events(&mut tx, tenant, batch).await?;
        insert_audit(&mut tx, tenant, batch).await?;
        seeding::insert_clocks(&mut Conn(&mut tx), scope, batch).await?;
        turn.await;
        seeding::move_audit_head(&mut Conn(&mut tx), scope, batch).await?;
        seeding::advance_reference(&mut Conn(&mut tx), scope, batch).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
