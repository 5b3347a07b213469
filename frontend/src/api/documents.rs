//! Documents on a query or a customer: the list, one upload per file (with its progress), the
//! address of the bytes, renaming and deleting.

use super::{Params, at, http, segment};
use api_types::{
    CSRF_HEADER, DeleteDocumentRequest, Document, DocumentList, DocumentMatchPage, Problem, ProblemCode,
    RenameDocumentRequest,
};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{File, FormData, ProgressEvent, XmlHttpRequest};

/// The record documents belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Query(uuid::Uuid),
    Customer(uuid::Uuid),
}

impl Owner {
    fn path(self) -> String {
        match self {
            Self::Query(id) => at(&format!("queries/{}/documents", segment(id))),
            Self::Customer(id) => at(&format!("customers/{}/documents", segment(id))),
        }
    }
}

fn one(id: uuid::Uuid) -> String {
    at(&format!("documents/{}", segment(id)))
}

/// `GET …/documents`.
pub async fn list(owner: Owner) -> Result<DocumentList, Problem> {
    http::get(&owner.path()).await
}

/// `GET /documents?q=…`: documents whose text holds every word of `q`, newest first.
pub async fn search(params: &Params) -> Result<DocumentMatchPage, Problem> {
    http::get(&format!("{}{}", at("documents"), params.encoded())).await
}

/// Where the document's bytes are: shown in the page (`inline`, for a PDF or picture) or saved.
pub fn content_url(id: uuid::Uuid, inline: bool) -> String {
    let disposition = if inline { "?disposition=inline" } else { "" };
    format!("{}/content{disposition}", one(id))
}

/// `PUT /documents/{id}` if it is still at `version`.
pub async fn rename(id: uuid::Uuid, version: i64, name: String) -> Result<Document, Problem> {
    http::put_if_match(&one(id), version, &RenameDocumentRequest { name }).await
}

/// `DELETE /documents/{id}` with the reason, if it is still at `version`.
pub async fn delete(id: uuid::Uuid, version: i64, reason: String) -> Result<(), Problem> {
    http::delete_with_if_match(&one(id), version, &DeleteDocumentRequest { reason }).await
}

/// `POST …/documents` with one file, reporting the share sent (0.0 to 1.0) as it goes.
/// XMLHttpRequest, not fetch: only it reports an upload's progress.
pub async fn upload(owner: Owner, file: File, on_progress: impl Fn(f64) + 'static) -> Result<DocumentList, Problem> {
    let request = XmlHttpRequest::new().map_err(|_| http::network_problem())?;
    let form = FormData::new().map_err(|_| http::network_problem())?;
    form.append_with_blob_and_filename("files", &file, &file.name()).map_err(|_| http::network_problem())?;
    request.open("POST", &owner.path()).map_err(|_| http::network_problem())?;
    request.set_request_header(CSRF_HEADER, "1").map_err(|_| http::network_problem())?;
    request.set_request_header("Accept", "application/json").map_err(|_| http::network_problem())?;
    let progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() && event.total() > 0.0 {
            on_progress(event.loaded() / event.total());
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = js_sys::Promise::new(&mut |resolve, _| {
        request.set_onloadend(Some(&resolve));
    });
    request.send_with_opt_form_data(Some(&form)).map_err(|_| http::network_problem())?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(progress);
    let status = request.status().unwrap_or(0);
    let text = request.response_text().ok().flatten().unwrap_or_default();
    if status == 0 {
        return Err(http::network_problem());
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| {
            http::local_problem(status, ProblemCode::UnexpectedResponse, "The response could not be read")
        });
    }
    Err(serde_json::from_str::<Problem>(&text).unwrap_or_else(|_| {
        http::local_problem(status, ProblemCode::UnexpectedResponse, "The response could not be read")
    }))
}
