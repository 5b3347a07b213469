//! Documents against customers and queries, and the tenant keys that wrap their keys. The
//! bytes and every key operation are the server's; this keeps the records, checks that the
//! caller may see the record a document belongs to, and audits each change with it.

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt, audit, customer_rows::live_customer, events::insert_events,
    jobs::insert_job, lock_key, notifications, query_rows::live_query,
};
use crate::{DocumentRepo, StorageError, StorageResult, TenantScope, records};
use async_trait::async_trait;
use domain::{
    CustomerId, DocumentId, QueryId, Timestamp, UserId,
    audit::Actor,
    document::{Document, NewDocument, Owner, READ_TEXT_JOB, ScanState, Sealing},
    job::NewJob,
    notification::{NewNotification, NotificationKind, Subject},
    query::QueryReference,
};
use serde_json::json;

pub(super) const COLUMNS: &str =
    "id, query_id, customer_id, name, content_type, size_bytes, sha256, blob_name, key_version,
    wrapped_key, scan_state, scanned_at, signature, version, created_by, created_at, updated_at";

pub(super) fn document_of(row: &impl SqlRow) -> StorageResult<Document> {
    let owner = match (row.opt_uuid("query_id")?, row.opt_uuid("customer_id")?) {
        (Some(query), None) => Owner::Query(QueryId::from_uuid(query)),
        (None, Some(customer)) => Owner::Customer(CustomerId::from_uuid(customer)),
        _ => return Err(records::corrupt("document owner")),
    };
    let scan = match (row.text("scan_state")?.as_str(), row.opt_text("signature")?) {
        ("clean", _) => ScanState::Clean,
        ("quarantined", Some(signature)) => ScanState::Quarantined { signature },
        _ => return Err(records::corrupt("document scan state")),
    };
    let sealing = match row.opt_bytes("wrapped_key")? {
        None => None,
        Some(wrapped_key) => Some(Sealing {
            blob_name: row.text("blob_name")?,
            key_version: u32::try_from(row.int("key_version")?).map_err(|_| records::corrupt("key version"))?,
            wrapped_key,
            sha256: row.bytes("sha256")?.try_into().map_err(|_| records::corrupt("document digest"))?,
        }),
    };
    Ok(Document {
        id: DocumentId::from_uuid(row.uuid("id")?),
        owner,
        name: row.text("name")?,
        content_type: row.text("content_type")?,
        size_bytes: u64::try_from(row.int("size_bytes")?).map_err(|_| records::corrupt("document size"))?,
        scan,
        scanned_at: row.time("scanned_at")?,
        version: row.int("version")?,
        created_by: row.opt_uuid("created_by")?.map_or(Actor::System, Actor::User),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        sealing,
    })
}

/// The customer and query a document's events belong on, once the caller is known to see its
/// owner (`NotFound` if not: a restricted or other team's query, a merged or deleted customer).
async fn visible_owner<C: SqlConn>(conn: &mut C, scope: &TenantScope, owner: Owner) -> StorageResult<records::OwnerOf> {
    match owner {
        Owner::Query(id) => {
            let query = live_query(conn, scope, id, false).await?.ok_or(StorageError::NotFound)?;
            Ok(records::OwnerOf {
                customer_id: query.customer_id,
                query_id: Some(id),
                reference: Some(query.reference.to_string()),
            })
        }
        Owner::Customer(id) => {
            live_customer(conn, scope, id, false).await?.ok_or(StorageError::NotFound)?;
            Ok(records::OwnerOf { customer_id: Some(id), query_id: None, reference: None })
        }
    }
}

/// The records a document's events go on, whatever their state (a rescan finds documents of
/// deleted queries too).
async fn owner_of<C: SqlConn>(conn: &mut C, scope: &TenantScope, owner: Owner) -> StorageResult<records::OwnerOf> {
    match owner {
        Owner::Query(id) => {
            let stmt = Stmt::new("SELECT customer_id, reference FROM queries WHERE tenant_id = $1 AND id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid());
            let row = conn.fetch_one(stmt).await?;
            let reference = u64::try_from(row.int("reference")?).map_err(|_| records::corrupt("query reference"))?;
            Ok(records::OwnerOf {
                customer_id: row.opt_uuid("customer_id")?.map(CustomerId::from_uuid),
                query_id: Some(id),
                reference: Some(QueryReference::new(reference).to_string()),
            })
        }
        Owner::Customer(id) => Ok(records::OwnerOf { customer_id: Some(id), query_id: None, reference: None }),
    }
}

/// A stored document still called clean, locked for a rescan's finding.
pub(super) async fn clean_document<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: DocumentId,
) -> StorageResult<Option<Document>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM documents WHERE tenant_id = $1 AND id = $2 AND wrapped_key IS NOT NULL
           AND scan_state = 'clean'{}",
        C::DIALECT.for_update
    );
    let row = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?;
    row.as_ref().map(document_of).transpose()
}

/// The tenant's active users with full administration rights, by their own grants or their
/// groups': the people told when a document is quarantined.
async fn administrators<C: SqlConn>(conn: &mut C, scope: &TenantScope) -> StorageResult<Vec<UserId>> {
    let stmt = Stmt::new(
        "SELECT u.id FROM users u
         WHERE u.tenant_id = $1 AND u.status = 'active' AND EXISTS (
             SELECT 1 FROM grants g
             WHERE g.tenant_id = u.tenant_id AND g.area = 'administration' AND g.level = 'full'
               AND (g.user_id = u.id OR g.group_id IN (
                   SELECT m.group_id FROM group_members m WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id)))
         ORDER BY u.id",
    )
    .bind(scope.tenant_id.as_uuid());
    let rows = conn.fetch_all(stmt).await?;
    rows.iter().map(|row| row.uuid("id").map(UserId::from_uuid)).collect()
}

async fn live_document<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: DocumentId,
    lock: bool,
) -> StorageResult<Option<(Document, records::OwnerOf)>> {
    let lock = if lock { C::DIALECT.for_update } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM documents WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL{lock}");
    let Some(row) = conn.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid())).await?
    else {
        return Ok(None);
    };
    let document = document_of(&row)?;
    match visible_owner(conn, scope, document.owner).await {
        Ok(owner) => Ok(Some((document, owner))),
        Err(StorageError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

async fn current_document<C: SqlConn>(
    conn: &mut C,
    scope: &TenantScope,
    id: DocumentId,
    expected_version: i64,
) -> StorageResult<(Document, records::OwnerOf)> {
    let (document, owner) = live_document(conn, scope, id, true).await?.ok_or(StorageError::NotFound)?;
    if document.version != expected_version {
        return Err(StorageError::VersionMismatch { current: document.version });
    }
    Ok((document, owner))
}

/// Deletes a document's search terms (see `document_text`).
pub(super) async fn delete_terms<C: SqlConn>(conn: &mut C, scope: &TenantScope, id: DocumentId) -> StorageResult<()> {
    let terms = Stmt::new("DELETE FROM document_terms WHERE tenant_id = $1 AND document_id = $2")
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid());
    conn.execute(terms).await.map(drop)
}

fn owner_columns(owner: Owner) -> (Option<uuid::Uuid>, Option<uuid::Uuid>) {
    match owner {
        Owner::Query(id) => (Some(id.as_uuid()), None),
        Owner::Customer(id) => (None, Some(id.as_uuid())),
    }
}

async fn latest_tenant_key(conn: &mut impl SqlConn, scope: &TenantScope) -> StorageResult<Option<(u32, Vec<u8>)>> {
    let stmt = Stmt::new("SELECT version, wrapped FROM tenant_keys WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1")
        .bind(scope.tenant_id.as_uuid());
    let Some(row) = conn.fetch_optional(stmt).await? else { return Ok(None) };
    let version = u32::try_from(row.int("version")?).map_err(|_| records::corrupt("key version"))?;
    Ok(Some((version, row.bytes("wrapped")?)))
}

#[async_trait]
impl<S: SqlBackend> DocumentRepo for S {
    async fn tenant_key(&self, scope: &TenantScope, version: Option<u32>) -> StorageResult<Option<(u32, Vec<u8>)>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let key = match version {
            None => latest_tenant_key(&mut tx, scope).await?,
            Some(version) => {
                let stmt = Stmt::new("SELECT wrapped FROM tenant_keys WHERE tenant_id = $1 AND version = $2")
                    .bind(scope.tenant_id.as_uuid())
                    .bind(i64::from(version));
                tx.fetch_optional(stmt).await?.map(|row| row.bytes("wrapped").map(|w| (version, w))).transpose()?
            }
        };
        tx.commit().await?;
        Ok(key)
    }

    async fn add_tenant_key(
        &self,
        scope: &TenantScope,
        version: u32,
        wrapped: Vec<u8>,
    ) -> StorageResult<(u32, Vec<u8>)> {
        let mut tx = self.write(scope.tenant_id).await?;
        // A tenant's first uploads often arrive together (one request per file): they take
        // turns here, so the later ones find the key the first made instead of colliding.
        lock_key(&mut tx, format!("tenant_key:{}", scope.tenant_id)).await?;
        let latest = latest_tenant_key(&mut tx, scope).await?;
        let expected = latest.as_ref().map_or(1, |(current, _)| current + 1);
        if version != expected {
            // Another process added this version first: use theirs.
            tx.commit().await?;
            return latest.ok_or(StorageError::NotFound);
        }
        let insert =
            Stmt::new("INSERT INTO tenant_keys (tenant_id, version, wrapped, created_at) VALUES ($1, $2, $3, $4)")
                .bind(scope.tenant_id.as_uuid())
                .bind(i64::from(version))
                .bind(wrapped.clone())
                .bind(Timestamp::now());
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &records::tenant_key_added(scope.tenant_id, version)).await?;
        tx.commit().await?;
        Ok((version, wrapped))
    }

    async fn add_documents(
        &self,
        scope: &TenantScope,
        owner: Owner,
        new: Vec<NewDocument>,
    ) -> StorageResult<Vec<Document>> {
        let mut tx = self.write(scope.tenant_id).await?;
        let of = visible_owner(&mut tx, scope, owner).await?;
        let (query_id, customer_id) = owner_columns(owner);
        let now = Timestamp::now();
        let mut added = Vec::with_capacity(new.len());
        let mut events = Vec::with_capacity(new.len());
        for document in new {
            let insert = Stmt::new(
                "INSERT INTO documents (tenant_id, id, query_id, customer_id, name, content_type, size_bytes, sha256,
                     blob_name, key_version, wrapped_key, scan_state, scanned_at, version, created_by, created_at,
                     updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'clean', $12, 1, $13, $14, $14)",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(document.id.as_uuid())
            .bind(query_id)
            .bind(customer_id)
            .bind(&document.name)
            .bind(&document.content_type)
            .bind(i64::try_from(document.size_bytes).map_err(|_| records::corrupt("document size"))?)
            .bind(document.sealing.sha256.to_vec())
            .bind(&document.sealing.blob_name)
            .bind(i64::from(document.sealing.key_version))
            .bind(document.sealing.wrapped_key.clone())
            .bind(document.scanned_at)
            .bind(scope.actor.id())
            .bind(now);
            tx.execute(insert).await?;
            let stored = Document {
                id: document.id,
                owner,
                name: document.name,
                content_type: document.content_type,
                size_bytes: document.size_bytes,
                scan: ScanState::Clean,
                scanned_at: document.scanned_at,
                version: 1,
                created_by: scope.actor,
                created_at: now,
                updated_at: now,
                sealing: Some(document.sealing),
            };
            audit::append(&mut tx, scope, &records::document_added(&stored)).await?;
            // Its text is read in the background, once the upload has committed.
            let read_text = NewJob::new(Some(scope.tenant_id), READ_TEXT_JOB, stored.id.to_string(), now);
            insert_job(&mut tx, read_text).await?;
            events.push(records::document_event(&of, &stored, "document.added", now, json!({})));
            added.push(stored);
        }
        insert_events(&mut tx, scope, &events).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn documents_of(&self, scope: &TenantScope, owner: Owner) -> StorageResult<Vec<Document>> {
        let mut tx = self.read(scope.tenant_id).await?;
        visible_owner(&mut tx, scope, owner).await?;
        let column = match owner {
            Owner::Query(_) => "query_id",
            Owner::Customer(_) => "customer_id",
        };
        let id = owner_columns(owner).0.or(owner_columns(owner).1);
        let sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE tenant_id = $1 AND {column} = $2 AND deleted_at IS NULL
             ORDER BY created_at, id"
        );
        let rows = tx.fetch_all(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id)).await?;
        tx.commit().await?;
        rows.iter().map(document_of).collect()
    }

    async fn get_document(&self, scope: &TenantScope, id: DocumentId) -> StorageResult<Option<Document>> {
        let mut tx = self.read(scope.tenant_id).await?;
        let found = live_document(&mut tx, scope, id, false).await?;
        tx.commit().await?;
        Ok(found.map(|(document, _)| document))
    }

    async fn rename_document(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        expected_version: i64,
        name: String,
    ) -> StorageResult<Document> {
        let mut tx = self.write(scope.tenant_id).await?;
        let (before, of) = current_document(&mut tx, scope, id, expected_version).await?;
        let now = Timestamp::now();
        let update = Stmt::new(
            "UPDATE documents SET name = $3, version = version + 1, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&name)
        .bind(now);
        tx.execute(update).await?;
        let after = Document { name, version: before.version + 1, updated_at: now, ..before.clone() };
        audit::append(&mut tx, scope, &records::document_renamed(&before, &after)).await?;
        let event = records::document_event(&of, &after, "document.renamed", now, json!({"before_name": before.name}));
        insert_events(&mut tx, scope, std::slice::from_ref(&event)).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn delete_document(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        expected_version: i64,
        reason: String,
    ) -> StorageResult<Document> {
        let mut tx = self.write(scope.tenant_id).await?;
        let (document, of) = current_document(&mut tx, scope, id, expected_version).await?;
        let now = Timestamp::now();
        // The wrapped key goes in the same statement that marks the document deleted: once
        // this commits, no copy of the blob can be opened again.
        let update = Stmt::new(
            "UPDATE documents SET wrapped_key = NULL, deleted_at = $3, deleted_by = $4, deletion_reason = $5,
                 version = version + 1, updated_at = $3
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(now)
        .bind(scope.actor.id())
        .bind(&reason);
        tx.execute(update).await?;
        // Its search terms go with its key: nothing of its text is left.
        delete_terms(&mut tx, scope, id).await?;
        audit::append(&mut tx, scope, &records::document_deleted(&document, &reason)).await?;
        let event = records::document_event(&of, &document, "document.deleted", now, json!({"reason": reason}));
        insert_events(&mut tx, scope, std::slice::from_ref(&event)).await?;
        tx.commit().await?;
        Ok(document)
    }

    async fn keys_older_than(
        &self,
        scope: &TenantScope,
        version: u32,
        limit: u32,
    ) -> StorageResult<Vec<(DocumentId, u32, Vec<u8>)>> {
        let stmt = Stmt::new(
            "SELECT id, key_version, wrapped_key FROM documents
             WHERE tenant_id = $1 AND key_version < $2 AND wrapped_key IS NOT NULL ORDER BY id LIMIT $3",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(i64::from(version))
        .bind(i64::from(limit));
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                let version = u32::try_from(row.int("key_version")?).map_err(|_| records::corrupt("key version"))?;
                Ok((DocumentId::from_uuid(row.uuid("id")?), version, row.bytes("wrapped_key")?))
            })
            .collect()
    }

    async fn rewrap_keys(
        &self,
        scope: &TenantScope,
        version: u32,
        keys: Vec<(DocumentId, u32, Vec<u8>)>,
    ) -> StorageResult<u64> {
        let mut tx = self.write(scope.tenant_id).await?;
        let mut rewrapped = 0;
        for (id, was, wrapped) in keys {
            let update = Stmt::new(
                "UPDATE documents SET wrapped_key = $4, key_version = $5
                 WHERE tenant_id = $1 AND id = $2 AND key_version = $3 AND wrapped_key IS NOT NULL",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(i64::from(was))
            .bind(wrapped)
            .bind(i64::from(version));
            rewrapped += tx.execute(update).await?;
        }
        if rewrapped > 0 {
            audit::append(&mut tx, scope, &records::document_keys_rewrapped(scope.tenant_id, version, rewrapped))
                .await?;
        }
        tx.commit().await?;
        Ok(rewrapped)
    }

    async fn documents_to_rescan(
        &self,
        scope: &TenantScope,
        scanned_before: Timestamp,
        after: Option<(Timestamp, DocumentId)>,
        limit: u32,
    ) -> StorageResult<Vec<Document>> {
        // Oldest check first, resuming after the last one seen, so a run that meets a document
        // it cannot check still moves on.
        let resume = if after.is_some() { "AND (scanned_at > $4 OR (scanned_at = $4 AND id > $5))" } else { "" };
        let sql = format!(
            "SELECT {COLUMNS} FROM documents
             WHERE tenant_id = $1 AND wrapped_key IS NOT NULL AND scan_state = 'clean' AND scanned_at < $2 {resume}
             ORDER BY scanned_at, id LIMIT $3"
        );
        let mut stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(scanned_before).bind(i64::from(limit));
        if let Some((at, id)) = after {
            stmt = stmt.bind(at).bind(id.as_uuid());
        }
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(document_of).collect()
    }

    async fn record_rescan(
        &self,
        scope: &TenantScope,
        id: DocumentId,
        scanned_at: Timestamp,
        found: Option<String>,
    ) -> StorageResult<Vec<UserId>> {
        let mut tx = self.write(scope.tenant_id).await?;
        let Some(signature) = found else {
            let update = Stmt::new(
                "UPDATE documents SET scanned_at = $3
                 WHERE tenant_id = $1 AND id = $2 AND wrapped_key IS NOT NULL AND scan_state = 'clean'",
            )
            .bind(scope.tenant_id.as_uuid())
            .bind(id.as_uuid())
            .bind(scanned_at);
            tx.execute(update).await?;
            tx.commit().await?;
            return Ok(Vec::new());
        };
        let Some(before) = clean_document(&mut tx, scope, id).await? else {
            // Deleted, or quarantined by another process, meanwhile: nothing to do.
            tx.commit().await?;
            return Ok(Vec::new());
        };
        let update = Stmt::new(
            "UPDATE documents SET scan_state = 'quarantined', signature = $3, scanned_at = $4, version = version + 1,
                 updated_at = $4
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(&signature)
        .bind(scanned_at);
        tx.execute(update).await?;
        // Never found by a search again: its terms go now, not only when it is deleted.
        delete_terms(&mut tx, scope, id).await?;
        let after = Document {
            scan: ScanState::Quarantined { signature: signature.clone() },
            scanned_at,
            version: before.version + 1,
            updated_at: scanned_at,
            ..before
        };
        audit::append(&mut tx, scope, &records::document_quarantined(&after, &signature)).await?;
        // The record it belongs to, whoever may see it now: even a deleted customer's.
        let of = owner_of(&mut tx, scope, after.owner).await?;
        let event =
            records::document_event(&of, &after, "document.quarantined", scanned_at, json!({"signature": signature}));
        insert_events(&mut tx, scope, std::slice::from_ref(&event)).await?;
        let subject = match after.owner {
            Owner::Query(id) => Subject::Query(id),
            Owner::Customer(id) => Subject::Customer(id),
        };
        let message = records::quarantine_message(&after, &signature);
        let administrators = administrators(&mut tx, scope).await?;
        for recipient in &administrators {
            let new = NewNotification {
                recipient: *recipient,
                kind: NotificationKind::DocumentQuarantined,
                subject,
                message: Some(message.clone()),
            };
            notifications::insert_notification(&mut tx, scope, new).await?;
        }
        tx.commit().await?;
        Ok(administrators)
    }

    async fn record_rejected_upload(
        &self,
        scope: &TenantScope,
        owner: Owner,
        name: &str,
        signature: &str,
    ) -> StorageResult<()> {
        let mut tx = self.write(scope.tenant_id).await?;
        visible_owner(&mut tx, scope, owner).await?;
        audit::append(&mut tx, scope, &records::upload_rejected(owner, name, signature)).await?;
        tx.commit().await?;
        Ok(())
    }
}
