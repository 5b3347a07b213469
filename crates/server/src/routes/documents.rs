//! Documents against customers and queries (FR-012): upload several at once, list, download,
//! rename and delete with a reason. Every operation needs the documents area at its level and
//! sight of the record the document belongs to: a query (its restrictions and team limits
//! apply) or a customer.

use crate::{
    auth::{
        Authorized, Principal,
        policy::{DocumentsFull, DocumentsRead, DocumentsWrite, Policy},
    },
    documents::{intake, outlet},
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{conditional::if_match, respond::Tagged},
    state::AppState,
};
use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use api_types::{DeleteDocumentRequest, DocumentList, DocumentUpload, RenameDocumentRequest, ScanStatus};
use domain::{
    Area, CustomerId, DocumentId, Level, QueryId,
    document::{self, Document, Owner, ScanState},
};
use serde::Deserialize;
use utoipa::IntoParams;

type Problem = api_types::Problem;

/// Whether the caller may act on documents of `owner` at `P`'s level: a query's need the
/// queries area to read it (its restrictions and team limits are applied in storage); a
/// customer's need the customers area, and a documents grant not limited to the caller's teams.
/// A record the caller may not see is not found, as it would be read directly.
fn check_owner<P: Policy>(principal: &Principal, owner: Owner) -> ApiResult<()> {
    let permissions = &principal.permissions;
    let allowed = match owner {
        Owner::Query(_) => permissions.allows(Area::Queries, Level::Read),
        Owner::Customer(_) => {
            permissions.allows(Area::Customers, Level::Read) && permissions.unlimited_level(Area::Documents) >= P::LEVEL
        }
    };
    if allowed { Ok(()) } else { Err(ApiError::NotFound) }
}

pub fn document_out(document: &Document) -> api_types::Document {
    let (query_id, customer_id) = match document.owner {
        Owner::Query(id) => (Some(id.as_uuid()), None),
        Owner::Customer(id) => (None, Some(id.as_uuid())),
    };
    let (scan_status, signature) = match &document.scan {
        ScanState::Clean => (ScanStatus::Clean, None),
        ScanState::Quarantined { signature } => (ScanStatus::Quarantined, Some(signature.clone())),
    };
    api_types::Document {
        id: document.id.as_uuid(),
        query_id,
        customer_id,
        name: document.name.clone(),
        content_type: document.content_type.clone(),
        size_bytes: document.size_bytes,
        previewable: files::sniff::previewable(&document.content_type),
        scan_status,
        signature,
        scanned_at: document.scanned_at.as_datetime(),
        version: document.version,
        created_by: document.created_by.id(),
        created_at: document.created_at.as_datetime(),
        updated_at: document.updated_at.as_datetime(),
    }
}

async fn upload(
    state: &AppState,
    auth: &Authorized<DocumentsWrite>,
    owner: Owner,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    check_owner::<DocumentsWrite>(&auth.principal, owner)?;
    let scope = auth.scope();
    // Not found before a byte of the upload is read (and before a first tenant key is made).
    state.store.documents_of(&scope, owner).await?;
    let added = intake::receive(state, &scope, owner, form).await?;
    Ok(HttpResponse::Created().json(DocumentList { items: added.iter().map(document_out).collect() }))
}

async fn list(state: &AppState, auth: &Authorized<DocumentsRead>, owner: Owner) -> ApiResult<web::Json<DocumentList>> {
    check_owner::<DocumentsRead>(&auth.principal, owner)?;
    let documents = state.store.documents_of(&auth.scope(), owner).await?;
    Ok(web::Json(DocumentList { items: documents.iter().map(document_out).collect() }))
}

/// The document, if the caller may act on it at `P`'s level.
async fn visible<P: Policy>(state: &AppState, auth: &Authorized<P>, id: DocumentId) -> ApiResult<Document> {
    let document = state.store.get_document(&auth.scope(), id).await?.ok_or(ApiError::NotFound)?;
    check_owner::<P>(&auth.principal, document.owner)?;
    Ok(document)
}

/// Attaches files to a query: a `multipart/form-data` body with one part named `files` per
/// file. Each file's kind is told from its bytes (PDF, pictures, office documents, plain text,
/// zip), it is checked for viruses as it arrives, and it is kept encrypted. All are kept or
/// none: an infected file is refused (422, naming the signature, and audited), and when the
/// virus scanner cannot be reached nothing is kept (503). A file larger than the
/// scanner checks whole is refused (413 `too_large_to_scan`).
#[utoipa::path(tag = "documents", security(("session" = [])),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    params(("id" = Uuid, Path, description = "The query's id")),
    responses(
        (status = CREATED, body = DocumentList),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/documents")]
pub async fn upload_query_documents(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsWrite>,
    id: web::Path<QueryId>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    upload(&state, &auth, Owner::Query(id.into_inner()), form).await
}

/// The query's documents, oldest first.
#[utoipa::path(tag = "documents", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The query's id")),
    responses(
        (status = OK, body = DocumentList),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/documents")]
pub async fn list_query_documents(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<DocumentList>> {
    list(&state, &auth, Owner::Query(id.into_inner())).await
}

/// Attaches files to a customer; as for a query's documents.
#[utoipa::path(tag = "documents", security(("session" = [])),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    params(("id" = Uuid, Path, description = "The customer's id")),
    responses(
        (status = CREATED, body = DocumentList),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = SERVICE_UNAVAILABLE, body = Problem, content_type = "application/problem+json"),
))]
#[post("/customers/{id}/documents")]
pub async fn upload_customer_documents(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsWrite>,
    id: web::Path<CustomerId>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    upload(&state, &auth, Owner::Customer(id.into_inner()), form).await
}

/// The customer's own documents (not those of their queries), oldest first.
#[utoipa::path(tag = "documents", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The customer's id")),
    responses(
        (status = OK, body = DocumentList),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers/{id}/documents")]
pub async fn list_customer_documents(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsRead>,
    id: web::Path<CustomerId>,
) -> ApiResult<web::Json<DocumentList>> {
    list(&state, &auth, Owner::Customer(id.into_inner())).await
}

/// One document's details, with its version in the `ETag`.
#[utoipa::path(tag = "documents", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The document's id")),
    responses(
        (status = OK, body = api_types::Document, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/documents/{id}")]
pub async fn get_document(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsRead>,
    id: web::Path<DocumentId>,
) -> ApiResult<Tagged<api_types::Document>> {
    let document = visible(&state, &auth, id.into_inner()).await?;
    Ok(Tagged::new(document.version, document_out(&document)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ContentParams {
    /// `inline` to show a PDF or picture in the browser; anything else downloads as a file.
    #[param(inline)]
    disposition: Option<Disposition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
enum Disposition {
    Inline,
    Attachment,
}

/// The document's bytes, exactly as uploaded (checked against their SHA-256, which is also in
/// `Repr-Digest`), with its name in `Content-Disposition`. A quarantined document is never sent
/// (409); one whose stored bytes fail their check is not sent either (500 `document_damaged`).
#[utoipa::path(tag = "documents", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The document's id"), ContentParams),
    responses(
        (status = OK, description = "The document's bytes, as the content type told from them when uploaded", content_type = "*/*", body = Vec<u8>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = INTERNAL_SERVER_ERROR, body = Problem, content_type = "application/problem+json"),
))]
#[get("/documents/{id}/content")]
pub async fn document_content(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsRead>,
    id: web::Path<DocumentId>,
    params: web::Query<ContentParams>,
) -> ApiResult<HttpResponse> {
    let document = visible(&state, &auth, id.into_inner()).await?;
    outlet::content(&state, &auth.scope(), &document, params.disposition == Some(Disposition::Inline)).await
}

/// Renames a document. Needs `If-Match`.
#[utoipa::path(tag = "documents", security(("session" = [])), request_body = RenameDocumentRequest,
    params(("id" = Uuid, Path, description = "The document's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::Document, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/documents/{id}")]
pub async fn rename_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<DocumentsWrite>,
    id: web::Path<DocumentId>,
    body: ValidJson<RenameDocumentRequest>,
) -> ApiResult<Tagged<api_types::Document>> {
    let expected = if_match(&req)?;
    let name = document::name("name", &body.0.name).map_err(|error| ApiError::Validation(vec![error]))?;
    let document = visible(&state, &auth, id.into_inner()).await?;
    let renamed = state.store.rename_document(&auth.scope(), document.id, expected, name).await?;
    Ok(Tagged::new(renamed.version, document_out(&renamed)))
}

/// Deletes a document, saying why. Its key is destroyed first, so no copy of its stored bytes
/// (a backup of the store included) can be read again; its blob is then removed. Needs
/// `If-Match` and full access to documents.
#[utoipa::path(tag = "documents", security(("session" = [])), request_body = DeleteDocumentRequest,
    params(("id" = Uuid, Path, description = "The document's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/documents/{id}")]
pub async fn delete_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<DocumentsFull>,
    id: web::Path<DocumentId>,
    body: ValidJson<DeleteDocumentRequest>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let reason =
        document::deletion_reason("reason", &body.0.reason).map_err(|error| ApiError::Validation(vec![error]))?;
    let document = visible(&state, &auth, id.into_inner()).await?;
    let deleted = state.store.delete_document(&auth.scope(), document.id, expected, reason).await?;
    if let Some(sealing) = deleted.sealing
        && let Err(error) = state.settings.documents.vault.remove(&sealing.blob_name).await
    {
        // The key is gone, so the blob is unreadable already; it is only untidy.
        tracing::warn!(error = %error, document = %deleted.id, "a deleted document's blob could not be removed");
    }
    Ok(HttpResponse::NoContent().finish())
}
