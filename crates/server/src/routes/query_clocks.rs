//! A query's service-level clocks, for its page: each clock's state now, its due times and
//! the working time left, under the reader's usual access to the query.

use crate::{
    auth::{Authorized, policy::QueriesRead},
    problem::{ApiError, ApiResult},
    routes::shared::sla_wire::clock_out,
    state::AppState,
};
use actix_web::{get, web};
use api_types::QueryClockList;
use domain::{QueryId, Timestamp};

type Problem = api_types::Problem;

/// The query's clocks: first response, then resolution (none when no policy applied).
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = QueryClockList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/clocks")]
pub async fn query_clocks(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<QueryClockList>> {
    let scope = auth.scope();
    // Read through the query first: its visibility (restrictions, team limits) applies.
    let query = state.store.get_query(&scope, id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    let clocks = state.store.query_clocks(&scope, query.id).await?;
    if clocks.is_empty() {
        return Ok(web::Json(QueryClockList { items: vec![] }));
    }
    let policies = state.store.list_sla_policies(&scope).await?;
    let ids: Vec<_> = clocks.iter().map(|clock| clock.target.calendar_id).collect();
    let calendars = state.store.calendars_in_force(&scope, &ids).await?;
    let now = Timestamp::now();
    let items = clocks
        .iter()
        .map(|clock| {
            let name = policies.iter().find(|p| p.id == clock.policy_id).map(|p| p.definition.name.clone());
            clock_out(clock, now, calendars.get(&clock.target.calendar_id), name)
        })
        .collect();
    Ok(web::Json(QueryClockList { items }))
}
