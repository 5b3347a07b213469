//! Changes across a record's life (FR-020): correcting a query, deleting it (a tombstone),
//! merging two customers, and reading a record's change history from the audit trail.

use crate::{auth::Principal, routes::shared::mentions::Mentions};
use crate::{
    auth::{
        Authorized,
        policy::{CustomersFull, CustomersRead, QueriesFull, QueriesRead, QueriesWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match, customer_wire::wire_customer, query_wire, query_wire::channel_in,
        query_wire::priority_in, respond::Tagged,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use api_types::{History, HistoryEntry, MergeRequest, MergeResult, Query, UpdateQueryRequest};
use domain::{
    CustomerId, QueryId, QueryTypeId, Timestamp,
    audit::StoredAuditEntry,
    query::{self, QueryEdit},
};
use storage::TenantScope;

type Problem = api_types::Problem;

fn query_edit(input: &UpdateQueryRequest) -> ApiResult<QueryEdit> {
    let received = Some(Timestamp::from_datetime(input.received_at));
    let query::Account { subject, description, received_at } =
        query::Account::check(&input.subject, &input.description, received, Timestamp::now())?;
    Ok(QueryEdit {
        customer_id: input.customer_id.map(CustomerId::from_uuid),
        channel: channel_in(input.channel),
        priority: priority_in(input.priority),
        subject,
        description,
        received_at,
        type_id: input.type_id.map(QueryTypeId::from_uuid),
    })
}

/// Corrects a query's details. Needs `If-Match`; the change is audited field by field.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = UpdateQueryRequest,
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = Query, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/queries/{id}")]
pub async fn replace_query(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<UpdateQueryRequest>,
) -> ApiResult<Tagged<api_types::Query>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let edit = query_edit(&body.0)?;
    let query = state.store.update_query(&scope, id, expected, edit).await?;
    let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
    Ok(Tagged::new(query.version, out))
}

/// Deletes a query. Needs `If-Match` and full access to queries; a tombstone stays so that
/// exports see the deletion.
#[utoipa::path(tag = "queries", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/queries/{id}")]
pub async fn delete_query(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesFull>,
    id: web::Path<QueryId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    state.store.delete_query(&auth.scope(), id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Merges the customer in the path into `survivor_id`: queries, notes and history move to the
/// survivor and the old record's links lead there. Needs `If-Match` (the merged customer's
/// ETag) and full access to customers.
#[utoipa::path(tag = "customers", security(("session" = [])), request_body = MergeRequest,
    params(("id" = Uuid, Path, description = "The customer merged away"), ("If-Match" = String, Header, description = "Its ETag last read")),
    responses(
        (status = OK, body = MergeResult),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[post("/customers/{id}/merge")]
pub async fn merge_customer(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<CustomersFull>,
    id: web::Path<CustomerId>,
    body: ValidJson<MergeRequest>,
) -> ApiResult<HttpResponse> {
    let merged = id.into_inner();
    let expected = if_match(&req)?;
    let survivor = CustomerId::from_uuid(body.0.survivor_id);
    let (survivor, moved_queries) = state.store.merge_customer(&auth.scope(), merged, expected, survivor).await?;
    Ok(HttpResponse::Ok().json(MergeResult { survivor: wire_customer(&survivor), moved_queries }))
}

/// Audit entries as the API shows them, with the names of who acted and whom they name.
async fn history(
    state: &AppState,
    scope: &TenantScope,
    viewer: &Principal,
    entries: Vec<StoredAuditEntry>,
) -> ApiResult<History> {
    let mut mentions = Mentions::default();
    let items: Vec<HistoryEntry> = entries
        .into_iter()
        .map(|entry| {
            let payload: Option<serde_json::Value> =
                entry.payload_json.as_deref().and_then(|json| serde_json::from_str(json).ok());
            let side = |name: &str| payload.as_ref().and_then(|p| p.get(name)).cloned();
            HistoryEntry {
                seq: entry.envelope.seq,
                at: entry.envelope.at.as_datetime(),
                action: entry.envelope.action,
                actor_id: entry.envelope.actor.id(),
                before: side("before"),
                after: side("after"),
            }
        })
        .collect();
    for entry in &items {
        mentions.actor(entry.actor_id);
        mentions.fields(entry.before.as_ref());
        mentions.fields(entry.after.as_ref());
    }
    Ok(History { items, names: mentions.named(state, scope, viewer).await? })
}

/// Every change to the query, oldest first, with field-level before and after.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = History),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/history")]
pub async fn query_history(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<History>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let entries = state.store.audit_of(&scope, "query", id.as_uuid()).await?;
    Ok(web::Json(history(&state, &scope, &auth.principal, entries).await?))
}

/// Every change to the customer, oldest first, with field-level before and after.
#[utoipa::path(tag = "customers", security(("session" = [])), params(("id" = Uuid, Path, description = "The customer's id")), responses(
    (status = OK, body = History),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers/{id}/history")]
pub async fn customer_history(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    id: web::Path<CustomerId>,
) -> ApiResult<web::Json<History>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_customer(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let entries = state.store.audit_of(&scope, "customer", id.as_uuid()).await?;
    Ok(web::Json(history(&state, &scope, &auth.principal, entries).await?))
}
