//! The work queue's list of queries (FR-003, FR-006): filters and full-text search as query
//! parameters, a sort from an allowlist, keyset pages in that sort, no row cap.

use crate::{
    auth::{Authorized, policy::QueriesRead},
    problem::ApiResult,
    routes::shared::{
        paging::PageQuery,
        query_params::{QueryListParams, decode_cursor, encode_cursor, list_key},
        query_wire,
    },
    state::AppState,
};
use actix_web::{get, web};
use api_types::QueryPage;
use domain::{ValidationErrors, query_list::QueryCursor, search::SearchTerms};

/// Queries matching the filters and search, in the chosen sort, by keyset pages.
#[utoipa::path(tag = "queries", security(("session" = [])), params(PageQuery, QueryListParams), responses(
    (status = OK, body = QueryPage),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/queries")]
pub async fn list_queries(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    page: web::Query<PageQuery>,
    params: web::Query<QueryListParams>,
) -> ApiResult<web::Json<QueryPage>> {
    let scope = auth.scope();
    let finds_nothing = SearchTerms::finds_nothing(params.q.as_deref());
    let mut params = params.into_inner();
    if finds_nothing {
        params.q = None;
    }
    let mut errors = ValidationErrors::default();
    let filter = params.filter(&mut errors, auth.principal.user.id);
    let sort = params.sort(&mut errors);
    let page = page.check_with(&mut errors, &list_key(sort, &filter), decode_cursor);
    errors.into_result()?;
    if finds_nothing {
        return Ok(web::Json(QueryPage { items: vec![], next_cursor: None }));
    }
    let _turn = state.scans.enter().await;
    let mut queries = state.store.list_queries(&scope, &filter, sort, page.after, page.fetch_limit()).await?;
    let next_cursor = page.finish_with(&mut queries, |q| encode_cursor(QueryCursor::after(q, sort)));
    let items = query_wire::all_shown(&state, &scope, &auth.principal, &queries).await?;
    Ok(web::Json(QueryPage { items, next_cursor }))
}
