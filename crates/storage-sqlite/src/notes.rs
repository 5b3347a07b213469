//! Notes and contact records on queries, on SQLite.

use crate::{
    SqliteStore, audit,
    events::insert_event,
    queries::live_query,
    rows::{db_error, ts},
};
use domain::{
    NoteId, QueryId, Timestamp,
    note::{NewNote, Note},
};
use storage::{
    StorageError, StorageResult, TenantScope,
    records::{self, NoteColumns},
};
use uuid::Uuid;

pub async fn add_note(
    store: &SqliteStore,
    scope: &TenantScope,
    query_id: QueryId,
    new: NewNote,
) -> StorageResult<Note> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
    let query = live_query(&mut tx, scope, query_id).await?.ok_or(StorageError::NotFound)?;
    let note = Note { id: NoteId::new(), query_id, note: new, author: scope.actor, created_at: Timestamp::now() };
    sqlx::query(
        "INSERT INTO query_notes (tenant_id, id, query_id, kind, direction, channel, occurred_at, body, author_id,
             created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(note.id.as_uuid())
    .bind(query_id.as_uuid())
    .bind(note.note.kind.as_str())
    .bind(note.note.contact.map(|c| c.direction.as_str()))
    .bind(note.note.contact.map(|c| c.channel.as_str()))
    .bind(note.note.occurred_at.as_micros())
    .bind(&note.note.body)
    .bind(scope.actor.id())
    .bind(note.created_at.as_micros())
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    audit::append(&mut tx, scope, &records::note_added(&note)).await?;
    insert_event(&mut tx, scope, &records::note_event(&query, &note)).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(note)
}

type NoteRow = (Uuid, Uuid, String, Option<String>, Option<String>, i64, String, Option<Uuid>, i64);

pub async fn list_notes(store: &SqliteStore, scope: &TenantScope, query_id: QueryId) -> StorageResult<Vec<Note>> {
    let mut tx = store.pool().begin().await.map_err(db_error)?;
    let rows: Vec<NoteRow> = sqlx::query_as(
        "SELECT id, query_id, kind, direction, channel, occurred_at, body, author_id, created_at FROM query_notes
         WHERE tenant_id = ?1 AND query_id = ?2 ORDER BY occurred_at, id",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(query_id.as_uuid())
    .fetch_all(&mut *tx)
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    rows.into_iter()
        .map(|(id, query_id, kind, direction, channel, occurred_at, body, author_id, created_at)| {
            Note::try_from(NoteColumns {
                id,
                query_id,
                kind,
                direction,
                channel,
                occurred_at: ts(occurred_at),
                body,
                author_id,
                created_at: ts(created_at),
            })
        })
        .collect()
}
