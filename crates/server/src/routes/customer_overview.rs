//! The single customer view (FR-013) in one request: the customer, the first page of their
//! queries and their timeline, read in one transaction. The customer page asked for these in
//! three requests (four transactions); this is its most used screen.

use crate::routes::shared::mentions;
use crate::{
    auth::{Authorized, policy::CustomersRead},
    problem::{ApiError, ApiResult},
    routes::shared::{
        customer_wire::TIMELINE_LIMIT,
        customer_wire::wire_customer,
        query_params::cursor_after,
        query_wire,
        respond::{MergedInto, Tagged, TaggedOrMoved},
    },
    state::AppState,
};
use actix_web::{Either, get, web};
use api_types::{CustomerOverview, QueryPage};
use domain::{Area, CustomerId, Level, query::QueryFilter, query_list::QuerySort};

type Problem = api_types::Problem;

/// The first page of the customer's queries (`GET /queries?customer_id=…&limit=50`).
const QUERY_PAGE: u32 = 50;

/// The customer, the first page of their queries in received order (only for those who may read
/// queries) and their timeline. A merged customer answers 308 with the survivor's overview.
#[utoipa::path(tag = "customers", security(("session" = [])), params(("id" = Uuid, Path, description = "The customer's id")), responses(
    (status = OK, body = CustomerOverview, headers(("ETag" = String, description = "The customer's version"))),
    (status = PERMANENT_REDIRECT, description = "Merged into the customer at `Location`", headers(("Location" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/customers/{id}/overview")]
pub async fn customer_overview(
    state: web::Data<AppState>,
    auth: Authorized<CustomersRead>,
    id: web::Path<CustomerId>,
) -> ApiResult<TaggedOrMoved<CustomerOverview>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let may_read_queries = auth.principal.permissions.allows(Area::Queries, Level::Read);
    // One more than the page, to know whether there is a next one.
    let query_limit = may_read_queries.then_some(QUERY_PAGE + 1);
    let _turn = state.scans.enter().await;
    let Some(overview) = state.store.customer_overview(&scope, id, query_limit, TIMELINE_LIMIT).await? else {
        let survivor = state.store.merged_into(&scope, id).await?.ok_or(ApiError::NotFound)?;
        let location = format!("/api/v1/customers/{survivor}/overview");
        return Ok(Either::Right(MergedInto(location)));
    };
    let queries = match overview.queries {
        Some(mut queries) => {
            let next_cursor = (queries.len() > QUERY_PAGE as usize).then(|| {
                queries.truncate(QUERY_PAGE as usize);
                // The cursor of `GET /queries?customer_id=…`, which pages on from here.
                let filter = QueryFilter { customer_id: Some(id), ..Default::default() };
                queries.last().map(|last| cursor_after(last, QuerySort::default(), &filter))
            });
            let items = query_wire::all_shown(&state, &scope, &auth.principal, &queries).await?;
            Some(QueryPage { items, next_cursor: next_cursor.flatten() })
        }
        None => None,
    };
    let body = CustomerOverview {
        customer: wire_customer(&overview.customer),
        queries,
        timeline: mentions::timeline(&state, &scope, &auth.principal, overview.events).await?,
    };
    Ok(Either::Left(Tagged::new(overview.customer.version, body)))
}
