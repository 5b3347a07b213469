//! In-app notifications on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    NotificationId, Timestamp, UserId,
    notification::{NewNotification, Notification},
};
use sqlx::SqliteConnection;
use storage::{
    NotificationRepo, StorageError, StorageResult, TenantScope,
    records::{self, NotificationColumns, subject_parts},
};
use uuid::Uuid;

/// Sends a notification inside the caller's transaction (an assignment, a share), audited.
pub async fn insert_notification(
    conn: &mut SqliteConnection,
    scope: &TenantScope,
    new: NewNotification,
) -> StorageResult<Notification> {
    let recipient: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2 AND status = 'active'")
            .bind(scope.tenant_id.as_uuid())
            .bind(new.recipient.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
    recipient.ok_or(StorageError::UnknownReference { field: "recipient_id" })?;
    let notification = records::new_notification_record(new, scope.actor, Timestamp::now());
    let (subject_kind, subject_id) = subject_parts(notification.notification.subject);
    sqlx::query(
        "INSERT INTO notifications (tenant_id, id, recipient_id, kind, subject_kind, subject_id, message, sender_id,
             created_at_us)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(notification.id.as_uuid())
    .bind(notification.notification.recipient.as_uuid())
    .bind(notification.notification.kind.as_str())
    .bind(subject_kind)
    .bind(subject_id)
    .bind(&notification.notification.message)
    .bind(scope.actor.id())
    .bind(notification.created_at.as_micros())
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    audit::append(conn, scope, &records::notification_sent(&notification)).await?;
    Ok(notification)
}

type NotificationRow = (Uuid, Uuid, String, String, Uuid, Option<String>, Option<Uuid>, i64, Option<i64>);

#[async_trait]
impl NotificationRepo for SqliteStore {
    async fn notify(&self, scope: &TenantScope, new: NewNotification) -> StorageResult<Notification> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let (kind, id) = subject_parts(new.subject);
        let table = if kind == "query" { "queries" } else { "customers" };
        let sql = format!("SELECT 1 FROM {table} WHERE tenant_id = ?1 AND id = ?2 AND deleted_at_us IS NULL");
        let found: Option<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(scope.tenant_id.as_uuid())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        found.ok_or(StorageError::NotFound)?;
        let notification = insert_notification(&mut tx, scope, new).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(notification)
    }

    async fn notifications_of(
        &self,
        scope: &TenantScope,
        recipient: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> StorageResult<Vec<Notification>> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let rows: Vec<NotificationRow> = sqlx::query_as(
            "SELECT id, recipient_id, kind, subject_kind, subject_id, message, sender_id, created_at_us, read_at_us
             FROM notifications WHERE tenant_id = ?1 AND recipient_id = ?2 AND (?3 IS NULL OR id < ?3)
             ORDER BY id DESC LIMIT ?4",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(before.map(|id| id.as_uuid()))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        rows.into_iter()
            .map(|(id, recipient_id, kind, subject_kind, subject_id, message, sender_id, created_at, read_at)| {
                Notification::try_from(NotificationColumns {
                    id,
                    recipient_id,
                    kind,
                    subject_kind,
                    subject_id,
                    message,
                    sender_id,
                    created_at: ts(created_at),
                    read_at: read_at.map(ts),
                })
            })
            .collect()
    }

    async fn unread_count(&self, scope: &TenantScope, recipient: UserId) -> StorageResult<u64> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM notifications WHERE tenant_id = ?1 AND recipient_id = ?2 AND read_at_us IS NULL",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn mark_read(&self, scope: &TenantScope, recipient: UserId, id: NotificationId) -> StorageResult<()> {
        let mut tx = self.pool().begin().await.map_err(db_error)?;
        let done = sqlx::query(
            "UPDATE notifications SET read_at_us = COALESCE(read_at_us, ?4)
             WHERE tenant_id = ?1 AND recipient_id = ?2 AND id = ?3",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(id.as_uuid())
        .bind(Timestamp::now().as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }
}
