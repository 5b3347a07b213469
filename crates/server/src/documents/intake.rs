//! Receiving an upload: each file's type is told from its first bytes, then the file streams to
//! clamd and into its sealed blob at once. Only when clamd has called every file clean are
//! they recorded, all in one transaction; otherwise every blob written is removed. An infected
//! file, an unreachable scanner or any other failure leaves nothing behind that anyone can
//! read: a blob's key is only ever stored with its record.

use super::keys;
use crate::{
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_multipart::{Field, Multipart};
use bytes::Bytes;
use domain::{
    DocumentId, FieldError, Timestamp,
    document::{self, Document, NewDocument, Owner, Sealing},
};
use files::{ScanError, TenantKey, Verdict, sniff};
use futures_util::StreamExt;
use std::time::Duration;
use storage::TenantScope;

/// The form part each file travels in.
const FILES_PART: &str = "files";

/// Receives every file of the upload and records them against `owner`, all or none.
pub async fn receive(
    state: &AppState,
    scope: &TenantScope,
    owner: Owner,
    mut form: Multipart,
) -> ApiResult<Vec<Document>> {
    let tenant_key = keys::current(state.store.as_ref(), &state.settings.documents.master_key, scope).await?;
    let mut received: Vec<NewDocument> = Vec::new();
    let outcome = async {
        while let Some(field) = next_within(state, form.next()).await? {
            let field = field.map_err(malformed)?;
            if field.name() != Some(FILES_PART) {
                return Err(invalid("form", "unknown_part", "Send each file in a part named files"));
            }
            if received.len() == state.settings.documents.max_files {
                let most = state.settings.documents.max_files;
                return Err(invalid("files", "too_many", &format!("Attach at most {most} files at once")));
            }
            let index = received.len();
            received.push(receive_file(state, scope, owner, &tenant_key, field, index).await?);
        }
        if received.is_empty() {
            return Err(invalid("files", "required", "Choose at least one file to attach"));
        }
        Ok(())
    }
    .await;
    let recorded = match outcome {
        Ok(()) => state.store.add_documents(scope, owner, received.clone()).await.map_err(ApiError::from),
        Err(error) => Err(error),
    };
    if recorded.is_err() {
        for document in &received {
            remove_blob(state, &document.sealing.blob_name).await;
        }
    }
    recorded
}

/// One file: sniffed, scanned and sealed as it arrives.
async fn receive_file(
    state: &AppState,
    scope: &TenantScope,
    owner: Owner,
    tenant_key: &TenantKey,
    field: Field,
    index: usize,
) -> ApiResult<NewDocument> {
    let part = format!("files[{index}]");
    let given = field.content_disposition().and_then(|disposition| disposition.get_filename()).unwrap_or_default();
    let name = document::uploaded_name(&part, given).map_err(|error| ApiError::Validation(vec![error]))?;
    // Fused: a field must not be polled again once it has ended.
    let mut field = field.fuse();

    let mut head = Vec::new();
    while head.len() < sniff::SNIFF_BYTES {
        match next_within(state, field.next()).await? {
            Some(piece) => head.extend_from_slice(&piece.map_err(malformed)?),
            None => break,
        }
    }
    if head.is_empty() {
        return Err(invalid(&part, "empty", &format!("{name} is empty")));
    }
    let content_type = sniff::content_type(&head[..head.len().min(sniff::SNIFF_BYTES)])
        .ok_or_else(|| ApiError::UnsupportedFileType { field: part.clone(), file: name.clone() })?;

    let settings = &state.settings.documents;
    let id = DocumentId::new();
    let (data_key, wrapped_key) = tenant_key.new_data_key(id.as_uuid().into_bytes());
    let mut scan = settings.scanner.start().await.map_err(|error| scanner_failed(error, &part, &name))?;
    let tenant = scope.tenant_id.as_uuid().into_bytes();
    let mut upload = settings.vault.upload(tenant, &data_key, &id.as_uuid().into_bytes()).await.map_err(stored)?;

    let streamed = async {
        let mut size = 0u64;
        let mut piece = Bytes::from(head);
        loop {
            size += piece.len() as u64;
            if size > settings.max_file_bytes {
                return Err(ApiError::PayloadTooLarge {
                    limit_bytes: usize::try_from(settings.max_file_bytes).unwrap_or(usize::MAX),
                });
            }
            scan.send(&piece).await.map_err(|error| scanner_failed(error, &part, &name))?;
            upload.push(&piece).await.map_err(stored)?;
            piece = match next_within(state, field.next()).await? {
                Some(next) => next.map_err(malformed)?,
                None => break,
            };
        }
        scan.finish().await.map_err(|error| scanner_failed(error, &part, &name))
    }
    .await;

    match streamed {
        Ok(Verdict::Clean) => {
            let (blob_name, sealed) = upload.finish().await.map_err(stored)?;
            Ok(NewDocument {
                id,
                name,
                content_type: content_type.to_owned(),
                size_bytes: sealed.plain_bytes,
                sealing: Sealing {
                    blob_name,
                    key_version: tenant_key.version(),
                    wrapped_key: wrapped_key.as_bytes().to_vec(),
                    sha256: sealed.sha256,
                },
                scanned_at: Timestamp::now(),
            })
        }
        Ok(Verdict::Infected(signature)) => {
            upload.abort().await;
            state.store.record_rejected_upload(scope, owner, &name, &signature).await?;
            Err(ApiError::Infected { field: part, file: name, signature })
        }
        Err(error) => {
            upload.abort().await;
            Err(error)
        }
    }
}

/// The next piece of the form, or a timeout when the client has gone quiet: a large upload may
/// take as long as it needs, but not stall.
async fn next_within<T>(state: &AppState, next: impl Future<Output = Option<T>>) -> ApiResult<Option<T>> {
    let quiet = Duration::from_secs(state.settings.body_timeout_secs.max(1));
    tokio::time::timeout(quiet, next).await.map_err(|_| ApiError::BodyTimeout)
}

async fn remove_blob(state: &AppState, blob: &str) {
    if let Err(error) = state.settings.documents.vault.remove(blob).await {
        // The blob is ciphertext whose key was never recorded: unreadable, only untidy.
        tracing::warn!(error = %error, "an upload's blob could not be removed");
    }
}

fn invalid(field: &str, code: &'static str, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code, message)])
}

fn malformed(error: actix_multipart::MultipartError) -> ApiError {
    ApiError::Validation(vec![FieldError::new("form", "malformed", format!("The upload is not a valid form: {error}"))])
}

fn scanner_failed(error: ScanError, field: &str, file: &str) -> ApiError {
    if error == ScanError::TooLarge {
        return ApiError::TooLargeToScan { field: field.to_owned(), file: file.to_owned() };
    }
    tracing::warn!(error = %error, "virus scanner failed; upload refused");
    ApiError::ScannerUnavailable
}

fn stored(error: files::VaultError) -> ApiError {
    ApiError::internal(error)
}
