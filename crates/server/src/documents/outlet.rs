//! Sending a document back: opened and checked against its SHA-256, with a
//! `Content-Disposition` that carries any file name (RFC 6266 `filename*`).

use super::keys;
use crate::{
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_web::{
    HttpResponse,
    http::header::{self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue},
};
use base64::Engine;
use domain::document::{Document, ScanState};
use futures_util::TryStreamExt;
use storage::TenantScope;

/// The document's bytes as a response: `inline` shows a PDF or picture in the browser, anything
/// else is an attachment.
pub async fn content(
    state: &AppState,
    scope: &TenantScope,
    document: &Document,
    inline: bool,
) -> ApiResult<HttpResponse> {
    if let ScanState::Quarantined { signature } = &document.scan {
        return Err(ApiError::DocumentQuarantined { signature: signature.clone() });
    }
    let sealing = document.sealing.as_ref().ok_or(ApiError::NotFound)?;
    let key =
        keys::of_document(state.store.as_ref(), &state.settings.documents.master_key, scope, document.id, sealing)
            .await?;
    let settings = &state.settings.documents;
    let id = document.id.as_uuid().into_bytes();
    let inline = inline && files::sniff::previewable(&document.content_type);
    let mut response = HttpResponse::Ok();
    if inline {
        response.insert_header((header::CONTENT_SECURITY_POLICY, crate::headers::PREVIEW_CSP));
    }
    response
        .content_type(document.content_type.as_str())
        .insert_header(disposition(document, inline))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        // RFC 9530: the client can check what it received against what was uploaded.
        .insert_header((
            "Repr-Digest",
            format!("sha-256=:{}:", base64::engine::general_purpose::STANDARD.encode(sealing.sha256)),
        ));
    if document.size_bytes <= settings.check_whole_up_to {
        let plain = settings
            .vault
            .read(&sealing.blob_name, &key, &id, sealing.sha256)
            .await
            .map_err(|error| ApiError::DocumentDamaged(Box::new(error)))?;
        return Ok(response.body(plain));
    }
    let stream = settings.vault.download(&sealing.blob_name, &key, &id, sealing.sha256).await.map_err(damaged)?;
    let document_id = document.id;
    Ok(response.no_chunking(document.size_bytes).streaming(stream.map_err(move |error| {
        tracing::error!(error = %error, document = %document_id, "document failed its check while streaming");
        std::io::Error::other("the document failed its integrity check")
    })))
}

fn damaged(error: files::VaultError) -> ApiError {
    match error {
        files::VaultError::Open(_) => ApiError::DocumentDamaged(Box::new(error)),
        files::VaultError::Storage(object_store::Error::NotFound { .. }) => ApiError::DocumentDamaged(Box::new(error)),
        other => ApiError::internal(other),
    }
}

/// `attachment` or `inline`, with the name both as plain ASCII for old clients and, in full,
/// as UTF-8 `filename*`.
fn disposition(document: &Document, inline: bool) -> ContentDisposition {
    let ascii: String = document
        .name
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    ContentDisposition {
        disposition: if inline { DispositionType::Inline } else { DispositionType::Attachment },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: document.name.as_bytes().to_vec(),
            }),
        ],
    }
}
