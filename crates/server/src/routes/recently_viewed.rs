//! The records each officer opened last, for Home's "Recently viewed". The SPA notes a visit
//! when it opens a query or customer page; reading the list names each record again under the
//! caller's access now, so one they may no longer see drops out.

use crate::{
    auth::{
        Authorized, Principal,
        policy::{CustomersRead, QueriesRead},
    },
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_web::{HttpResponse, get, put, web};
use api_types::{RecentList, RecentRecord, SubjectKind};
use domain::{Area, CustomerId, Level, QueryId, notification::Subject};
use storage::{NamesWanted, TenantScope};

type Problem = api_types::Problem;

/// How many are listed.
const SHOWN: u32 = 10;

/// Notes that the signed-in user opened this query. 404 for a query they may not see.
#[utoipa::path(tag = "queries", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The query's id")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[put("/me/recently-viewed/queries/{id}")]
pub async fn visit_query(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<HttpResponse> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    record(&state, &scope, &auth.principal, Subject::Query(id)).await
}

/// Notes that the signed-in user opened this customer. 404 for one that does not exist.
#[utoipa::path(tag = "customers", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The customer's id")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[put("/me/recently-viewed/customers/{id}")]
pub async fn visit_customer(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    id: web::Path<CustomerId>,
) -> ApiResult<HttpResponse> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_customer(&scope, id).await?.ok_or(ApiError::NotFound)?;
    record(&state, &scope, &auth.principal, Subject::Customer(id)).await
}

async fn record(
    state: &AppState,
    scope: &TenantScope,
    principal: &Principal,
    subject: Subject,
) -> ApiResult<HttpResponse> {
    state.store.record_visit(scope, principal.user.id, subject).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The records the signed-in user opened last, newest first (at most ten).
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = OK, body = RecentList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
))]
#[get("/me/recently-viewed")]
pub async fn recently_viewed(state: web::Data<AppState>, principal: Principal) -> ApiResult<web::Json<RecentList>> {
    let scope = principal.scope();
    // Read more than are shown: some may have become invisible since.
    let visits = state.store.recent_visits(&scope, principal.user.id, storage::RECENTLY_VIEWED_KEPT).await?;
    let sees_queries = principal.permissions.level(Area::Queries) >= Level::Read;
    let sees_customers = principal.permissions.level(Area::Customers) >= Level::Read;
    let mut wanted = NamesWanted::default();
    for (subject, _) in &visits {
        match *subject {
            Subject::Query(id) if sees_queries => wanted.queries.push(id),
            Subject::Customer(id) if sees_customers => wanted.customers.push(id),
            _ => {}
        }
    }
    let names = state.store.names(&scope, &wanted.dedup()).await?;
    let items = visits
        .into_iter()
        .filter_map(|(subject, viewed_at)| {
            let (kind, id, link, title) = match subject {
                Subject::Query(id) => {
                    let named = names.queries.get(&id)?;
                    (
                        SubjectKind::Query,
                        id.as_uuid(),
                        format!("/queries/{id}"),
                        format!("{} {}", named.reference, named.subject),
                    )
                }
                Subject::Customer(id) => {
                    (SubjectKind::Customer, id.as_uuid(), format!("/customers/{id}"), names.customers.get(&id)?.clone())
                }
                // Teams are not opened as records.
                Subject::Team(_) => return None,
            };
            Some(RecentRecord { kind, id, link, title, viewed_at: viewed_at.as_datetime() })
        })
        .take(SHOWN as usize)
        .collect();
    Ok(web::Json(RecentList { items }))
}
