//! Changing many queries at once from the work queue: assign them, or move them to a status
//! (each query's workflow must allow the move).
//! Each query is changed through the same storage call as its own request (its own transaction,
//! version check, history entry, audit entry and notification), so a bulk change is exactly the
//! sum of single ones and one query's failure leaves the others changed.

use crate::{
    auth::{Authorized, policy::QueriesWrite},
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::workflow_wire::status_change,
    state::AppState,
};
use actix_web::{post, web};
use api_types::{BulkChange, BulkChangeRequest, BulkChangeResult, BulkOutcome, queries::BULK_LIMIT};
use domain::{
    Area, FieldError, Level, QueryId, TeamId, UserId, ValidationErrors,
    query::{Assignment, Query},
};
use std::collections::HashSet;
use storage::TenantScope;

type Problem = api_types::Problem;

/// Assigns queries, or moves them to a status, one by one; answers each one's outcome. The
/// answer is 200 whenever the request itself was valid, even if some queries failed: look at
/// `failed` and each item's `problem` (for example 412 when that query changed since it was read).
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = BulkChangeRequest,
    responses(
        (status = OK, body = BulkChangeResult),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/bulk")]
pub async fn bulk_change(
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    body: ValidJson<BulkChangeRequest>,
) -> ApiResult<web::Json<BulkChangeResult>> {
    check_items(&body.0)?;
    let scope = auth.scope();
    // Each query's own workflow decides whether the caller may make the move.
    let level = auth.principal.permissions.level(Area::Queries);
    let mut results = Vec::with_capacity(body.0.items.len());
    for item in &body.0.items {
        let outcome =
            change_one(&state, &scope, level, QueryId::from_uuid(item.id), item.version, &body.0.change).await;
        results.push(match outcome {
            Ok(query) => BulkOutcome { id: item.id, version: Some(query.version), problem: None },
            Err(error) => BulkOutcome { id: item.id, version: None, problem: Some(error.problem()) },
        });
    }
    if let BulkChange::Assign { assignee_id: Some(officer), .. } = body.0.change
        && results.iter().any(|r| r.problem.is_none())
    {
        state.live.notify(scope.tenant_id, UserId::from_uuid(officer));
    }
    let failed = results.iter().filter(|r| r.problem.is_some()).count();
    let succeeded = results.len() - failed;
    Ok(web::Json(BulkChangeResult {
        results,
        succeeded: u32::try_from(succeeded).unwrap_or(u32::MAX),
        failed: u32::try_from(failed).unwrap_or(u32::MAX),
    }))
}

/// 1 to [`BULK_LIMIT`] items, each query once.
fn check_items(request: &BulkChangeRequest) -> ApiResult<()> {
    let mut errors = ValidationErrors::default();
    if request.items.is_empty() {
        errors.push(FieldError::new("items", "required", "Choose at least one query"));
    }
    if request.items.len() > BULK_LIMIT {
        errors.push(FieldError::new("items", "too_many", "Choose at most 100 queries at once"));
    }
    if let BulkChange::Assign { team_id: Some(_), keep_team: true, .. } = request.change {
        errors.push(FieldError::new(
            "change.team_id",
            "team_and_keep_team",
            "Either keep each query's team or choose one",
        ));
    }
    let mut seen = HashSet::new();
    for (index, item) in request.items.iter().enumerate() {
        if !seen.insert(item.id) {
            errors.push(FieldError::new(format!("items[{index}].id"), "duplicate", "Name each query once"));
        }
    }
    errors.into_result().map_err(ApiError::from)
}

async fn change_one(
    state: &AppState,
    scope: &TenantScope,
    level: Level,
    id: QueryId,
    version: i64,
    change: &BulkChange,
) -> ApiResult<Query> {
    let query = match *change {
        BulkChange::Assign { assignee_id, team_id, keep_team } => {
            let team = if keep_team {
                // The version check below still guards it: a query changed since is refused.
                state.store.get_query(scope, id).await?.ok_or(ApiError::NotFound)?.assignment.team
            } else {
                team_id.map(TeamId::from_uuid)
            };
            let assignment = Assignment { officer: assignee_id.map(UserId::from_uuid), team };
            state.store.assign_query(scope, id, version, assignment).await?
        }
        BulkChange::Status { status_id, ref resolution_summary, ref reason } => {
            let change = status_change(status_id, resolution_summary, reason);
            state.store.change_query_status(scope, id, version, &change, level).await?
        }
    };
    Ok(query)
}
