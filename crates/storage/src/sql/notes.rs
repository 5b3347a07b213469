//! Notes and contact records on queries.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, clocks, events::insert_event, query_rows::live_query};
use crate::{
    StorageError, StorageResult, TenantScope,
    records::{self, NoteColumns},
};
use domain::{
    NoteId, QueryId, Timestamp,
    note::{Direction, NewNote, Note},
};

pub async fn add_note<S: SqlBackend>(
    store: &S,
    scope: &TenantScope,
    query_id: QueryId,
    new: NewNote,
) -> StorageResult<Note> {
    let mut tx = store.write(scope.tenant_id).await?;
    let query = live_query(&mut tx, scope, query_id, false).await?.ok_or(StorageError::NotFound)?;
    let note = Note { id: NoteId::new(), query_id, note: new, author: scope.actor, created_at: Timestamp::now() };
    let insert = Stmt::new(
        "INSERT INTO query_notes (tenant_id, id, query_id, kind, direction, channel, occurred_at, body, author_id,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(note.id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(note.note.kind.as_str())
    .bind(note.note.contact.map(|c| c.direction.as_str()))
    .bind(note.note.contact.map(|c| c.channel.as_str()))
    .bind(note.note.occurred_at)
    .bind(&note.note.body)
    .bind(scope.actor.id())
    .bind(note.created_at);
    tx.execute(insert).await?;
    if note.note.contact.is_some_and(|c| c.direction == Direction::Outbound) {
        clocks::on_first_response(&mut tx, scope, query_id, note.note.occurred_at).await?;
    }
    audit::append(&mut tx, scope, &records::note_added(&note)).await?;
    insert_event(&mut tx, scope, &records::note_event(&query, &note)).await?;
    tx.commit().await?;
    Ok(note)
}

pub async fn list_notes<S: SqlBackend>(store: &S, scope: &TenantScope, query_id: QueryId) -> StorageResult<Vec<Note>> {
    let stmt = Stmt::new(
        "SELECT id, query_id, kind, direction, channel, occurred_at, body, author_id, created_at FROM query_notes
         WHERE tenant_id = $1 AND query_id = $2 ORDER BY occurred_at, id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid());
    let mut tx = store.read(scope.tenant_id).await?;
    let rows = tx.fetch_all(stmt).await?;
    tx.commit().await?;
    rows.iter()
        .map(|row| {
            Note::try_from(NoteColumns {
                id: row.uuid("id")?,
                query_id: row.uuid("query_id")?,
                kind: row.text("kind")?,
                direction: row.opt_text("direction")?,
                channel: row.opt_text("channel")?,
                occurred_at: row.time("occurred_at")?,
                body: row.text("body")?,
                author_id: row.opt_uuid("author_id")?,
                created_at: row.time("created_at")?,
            })
        })
        .collect()
}
