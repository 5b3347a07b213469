//! In-app notifications.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit};
use crate::{
    NotificationRepo, StorageError, StorageResult, TenantScope,
    records::{self, NotificationColumns, subject_parts},
};
use async_trait::async_trait;
use domain::{
    NotificationId, Timestamp, UserId,
    notification::{NewNotification, Notification},
};

/// Sends a notification inside the caller's transaction (an assignment, a share), audited.
pub async fn insert_notification(
    conn: &mut impl SqlConn,
    scope: &TenantScope,
    new: NewNotification,
) -> StorageResult<Notification> {
    let recipient = Stmt::new("SELECT 1 AS found FROM users WHERE tenant_id = $1 AND id = $2 AND status = 'active'")
        .bind(scope.tenant_id.as_uuid())
        .bind(new.recipient.as_uuid());
    conn.fetch_optional(recipient).await?.ok_or(StorageError::UnknownReference { field: "recipient_id" })?;
    let notification = records::new_notification_record(new, scope.actor, Timestamp::now());
    let (subject_kind, subject_id) = subject_parts(notification.notification.subject);
    let insert = Stmt::new(
        "INSERT INTO notifications (tenant_id, id, recipient_id, kind, subject_kind, subject_id, message, sender_id,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(notification.id.as_uuid())
    .bind(notification.notification.recipient.as_uuid())
    .bind(notification.notification.kind.as_str())
    .bind(subject_kind)
    .bind(subject_id)
    .bind(&notification.notification.message)
    .bind(scope.actor.id())
    .bind(notification.created_at);
    conn.execute(insert).await?;
    audit::append(conn, scope, &records::notification_sent(&notification)).await?;
    Ok(notification)
}

fn notification_of(row: &impl SqlRow) -> StorageResult<Notification> {
    Notification::try_from(NotificationColumns {
        id: row.uuid("id")?,
        recipient_id: row.uuid("recipient_id")?,
        kind: row.text("kind")?,
        subject_kind: row.text("subject_kind")?,
        subject_id: row.uuid("subject_id")?,
        message: row.opt_text("message")?,
        sender_id: row.opt_uuid("sender_id")?,
        created_at: row.time("created_at")?,
        read_at: row.opt_time("read_at")?,
    })
}

#[async_trait]
impl<S: SqlBackend> NotificationRepo for S {
    async fn notify(&self, scope: &TenantScope, new: NewNotification) -> StorageResult<Notification> {
        let mut tx = self.write(scope.tenant_id).await?;
        let (kind, id) = subject_parts(new.subject);
        let table = if kind == "query" { "queries" } else { "customers" };
        let subject = format!("SELECT 1 AS found FROM {table} WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL");
        let subject = Stmt::new(subject).bind(scope.tenant_id.as_uuid()).bind(id);
        tx.fetch_optional(subject).await?.ok_or(StorageError::NotFound)?;
        let notification = insert_notification(&mut tx, scope, new).await?;
        tx.commit().await?;
        Ok(notification)
    }

    async fn notifications_of(
        &self,
        scope: &TenantScope,
        recipient: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> StorageResult<Vec<Notification>> {
        let stmt = Stmt::new(
            "SELECT id, recipient_id, kind, subject_kind, subject_id, message, sender_id, created_at, read_at
             FROM notifications WHERE tenant_id = $1 AND recipient_id = $2 AND ($3 IS NULL OR id < $3)
             ORDER BY id DESC LIMIT $4",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(before.map(|id| id.as_uuid()))
        .bind(limit);
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(notification_of).collect()
    }

    async fn unread_count(&self, scope: &TenantScope, recipient: UserId) -> StorageResult<u64> {
        let stmt = Stmt::new(
            "SELECT count(*) AS unread FROM notifications
             WHERE tenant_id = $1 AND recipient_id = $2 AND read_at IS NULL",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid());
        let mut tx = self.read(scope.tenant_id).await?;
        let count = tx.fetch_one(stmt).await?.int("unread")?;
        tx.commit().await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn mark_read(&self, scope: &TenantScope, recipient: UserId, id: NotificationId) -> StorageResult<()> {
        let stmt = Stmt::new(
            "UPDATE notifications SET read_at = COALESCE(read_at, $4)
             WHERE tenant_id = $1 AND recipient_id = $2 AND id = $3",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(id.as_uuid())
        .bind(Timestamp::now());
        let mut tx = self.write(scope.tenant_id).await?;
        if tx.execute(stmt).await? == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await
    }

    async fn mark_all_read(&self, scope: &TenantScope, recipient: UserId) -> StorageResult<u64> {
        let stmt = Stmt::new(
            "UPDATE notifications SET read_at = $3 WHERE tenant_id = $1 AND recipient_id = $2 AND read_at IS NULL",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(Timestamp::now());
        let mut tx = self.write(scope.tenant_id).await?;
        let marked = tx.execute(stmt).await?;
        tx.commit().await?;
        Ok(marked)
    }
}
