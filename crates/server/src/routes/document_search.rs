//! Searching the text of letters and other documents (issue 16, item 6): documents whose words
//! include every word searched for, each with the query or customer it belongs to. Words are
//! matched only as keyed terms (`files::terms`); the text itself is never stored or shown.

use crate::{
    auth::{Authorized, policy::DocumentsRead},
    documents::keys,
    problem::ApiResult,
    routes::{documents::document_out, shared::paging::PageQuery},
    state::AppState,
};
use actix_web::{get, web};
use api_types::{DocumentMatch, DocumentMatchPage};
use domain::{
    Area, DocumentId, FieldError, Level, ValidationErrors,
    document::{COMMON_FROM, TextMatch, TextSearch},
};

type Problem = api_types::Problem;

/// The most characters of search text.
const MOST_CHARS: usize = 200;
/// The most words a search looks for; later ones are left out.
const MOST_WORDS: usize = 12;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct DocumentTextQuery {
    /// Words from the document, e.g. `potholes Acacia Avenue`. Case, punctuation and the
    /// commonest words (`the`, `of`, …) do not matter; every other word must be in the
    /// document, and at most 12 are looked for. Without words, nothing is found.
    #[param(max_length = 200)]
    q: Option<String>,
}

fn match_out(found: &TextMatch) -> DocumentMatch {
    DocumentMatch {
        document: document_out(&found.document),
        query_reference: found.reference.clone(),
        owner_title: found.owner_title.clone(),
    }
}

/// Documents whose text holds every word of `q`, newest first: letters found by a phrase in
/// them. A document's text is read in the background after its upload (a PDF's text layer, or
/// OCR for scans and pictures), so a new one is found a little later. Only documents of records
/// the caller may see are searched: a query's restrictions and team limits apply, and a
/// customer's documents need the customers area and a documents grant not limited to teams.
#[utoipa::path(tag = "documents", security(("session" = [])), params(PageQuery, DocumentTextQuery), responses(
    (status = OK, body = DocumentMatchPage),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[get("/documents")]
pub async fn search_documents(
    state: web::Data<AppState>,
    auth: Authorized<DocumentsRead>,
    query: web::Query<PageQuery>,
    search: web::Query<DocumentTextQuery>,
) -> ApiResult<web::Json<DocumentMatchPage>> {
    let mut errors = ValidationErrors::default();
    let q = search.q.as_deref().map(str::trim).unwrap_or_default();
    if q.chars().count() > MOST_CHARS {
        errors.push(FieldError::new("q", "too_long", "Search text must be 200 characters or fewer"));
    }
    let page = query.check(&mut errors, &format!("documents|q={q}"));
    errors.into_result()?;
    let words: Vec<String> = files::terms::words(q).into_iter().take(MOST_WORDS).collect();
    if words.is_empty() {
        return Ok(web::Json(DocumentMatchPage { items: Vec::new(), next_cursor: None }));
    }
    let scope = auth.scope();
    let permissions = &auth.principal.permissions;
    let master = &state.settings.documents.master_key;
    let term_keys: Vec<_> = keys::every_version(state.store.as_ref(), master, &scope)
        .await?
        .iter()
        .map(files::TenantKey::term_key)
        .collect();
    let search = TextSearch {
        words: words.iter().map(|word| term_keys.iter().map(|key| key.term(word)).collect()).collect(),
        of_queries: permissions.allows(Area::Queries, Level::Read),
        of_customers: permissions.allows(Area::Customers, Level::Read)
            && permissions.unlimited_level(Area::Documents) >= Level::Read,
        after: page.after.map(DocumentId::from_uuid),
        limit: page.fetch_limit(),
        common_from: COMMON_FROM,
    };
    let mut found = state.store.find_in_documents(&scope, &search).await?;
    let next_cursor = page.finish(&mut found, |m| m.document.id.as_uuid());
    Ok(web::Json(DocumentMatchPage { items: found.iter().map(match_out).collect(), next_cursor }))
}
