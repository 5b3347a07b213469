//! Work-queue views (FR-008) with their counts: the built-in "My queries", "Unassigned", "Due
//! soon", "Overdue", one per team the officer is in and "Received today" (from midnight, UK
//! time), then the views the officer saved or that were shared with their teams.

use crate::{
    auth::{
        Authorized,
        policy::{QueriesRead, QueriesWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        query_params::parse_saved_filter,
        respond::{Created, Tagged},
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use api_types::{SavedViewDetails, View, ViewInput, ViewList};
use domain::{
    FieldError, TeamId, Timestamp, UserId, ValidationErrors, ViewId,
    query::QueryFilter,
    query_list::QuerySort,
    saved_view::{self, SavedView, ViewDetails},
};
use storage::TenantScope;

type Problem = api_types::Problem;

/// The built-in views for an officer in these teams, in display order: (id, name, filter).
/// Counted through the same filter parser as saved views, so a view's link and count agree.
fn builtin(teams: &[domain::team::Team], today: Timestamp) -> Vec<(String, String, String)> {
    let mut views = vec![
        ("my-queries".into(), "My queries".into(), "assignee=me&open=true".into()),
        ("unassigned".into(), "Unassigned".into(), "assignee=none&open=true".into()),
        // Soonest due first: the order they should be worked in.
        ("due-soon".into(), "Due soon".into(), "due=due_soon&sort=due_at".into()),
        ("overdue".into(), "Overdue".into(), "due=overdue&sort=due_at".into()),
    ];
    views.extend(teams.iter().map(|team| {
        (
            format!("my-team-{}", team.id),
            format!("My team: {}", team.details.name),
            format!("team_id={}&open=true", team.id),
        )
    }));
    let since = today.as_datetime().format("%Y-%m-%dT%H:%M:%SZ");
    views.push(("received-today".into(), "Received today".into(), format!("received_from={since}")));
    views
}

fn saved_out(view: &SavedView, count: u64) -> View {
    View {
        id: view.id.to_string(),
        name: view.details.name.clone(),
        filter: view.details.filter.clone(),
        count,
        saved: Some(SavedViewDetails {
            owner_id: view.owner.as_uuid(),
            team_id: view.details.team.map(|t| t.as_uuid()),
            columns: view.details.columns.clone(),
            sort: view.details.sort.to_string(),
            version: view.version,
        }),
    }
}

/// A count scans, so it takes its turn (each count separately: opening a query need not wait
/// for a whole list of views).
async fn count(state: &AppState, scope: &TenantScope, filter: &QueryFilter) -> ApiResult<u64> {
    let _turn = state.scans.enter().await;
    Ok(state.store.count_queries(scope, filter).await?)
}

/// The views for the signed-in officer, built in then saved, each with how many queries it
/// holds now.
#[utoipa::path(tag = "queries", security(("session" = [])), responses(
    (status = OK, body = ViewList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/views")]
pub async fn list_views(state: web::Data<AppState>, auth: Authorized<QueriesRead>) -> ApiResult<web::Json<ViewList>> {
    let scope = auth.scope();
    let me = auth.principal.user.id;
    let mut teams = state.store.list_teams(&scope).await?;
    teams.retain(|t| t.details.members.contains(&me));
    let mut items = Vec::new();
    for (id, name, filter) in builtin(&teams, Timestamp::now().start_of_uk_day()) {
        let query_filter = parse_saved_filter(&filter, me).map_err(|e| ApiError::Internal(e.message.into()))?;
        let count = count(&state, &scope, &query_filter).await?;
        items.push(View { id, name, filter, count, saved: None });
    }
    for view in state.store.views_for(&scope, me).await? {
        // A filter that no longer parses (e.g. a deleted team's id is still an id) counts what it can.
        let filter = parse_saved_filter(&view.details.filter, me).unwrap_or_default();
        let count = count(&state, &scope, &filter).await?;
        items.push(saved_out(&view, count));
    }
    Ok(web::Json(ViewList { items }))
}

fn view_details(input: &ViewInput, me: UserId) -> ApiResult<ViewDetails> {
    let mut errors = ValidationErrors::default();
    let name = errors.check(saved_view::name("name", &input.name));
    // What is checked is what is kept, so a filter that passed always parses again.
    let filter = input.filter.trim().trim_start_matches('?');
    errors.check(parse_saved_filter(filter, me));
    let columns = errors.check(saved_view::columns("columns", &input.columns));
    let sort = errors.check(QuerySort::parse(&input.sort).ok_or_else(|| {
        FieldError::new("sort", "unknown_sort", format!("Sort by one of: {}", QuerySort::allowed().join(", ")))
    }));
    errors.into_result()?;
    let (Some(name), Some(columns), Some(sort)) = (name, columns, sort) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    Ok(ViewDetails { name, filter: filter.to_owned(), columns, sort, team: input.team_id.map(TeamId::from_uuid) })
}

/// Saves a view for the signed-in officer, personal or shared with a team they are in (any
/// team, for administrators).
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = ViewInput, responses(
    (status = CREATED, body = View, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/views")]
pub async fn create_view(
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    body: ValidJson<ViewInput>,
) -> ApiResult<Created<api_types::View>> {
    let scope = auth.scope();
    let me = auth.principal.user.id;
    let details = view_details(&body.0, me)?;
    may_share_with(&state, &auth.principal, &scope, details.team).await?;
    let filter = parse_saved_filter(&details.filter, me).unwrap_or_default();
    let view = state.store.create_view(&scope, me, details).await?;
    let count = count(&state, &scope, &filter).await?;
    Ok(Created::new(format!("/api/v1/views/{}", view.id), view.version, saved_out(&view, count)))
}

/// A view is shared with a team only by its members, or by administrators (who look after
/// every team): otherwise anyone could put views into another team's list.
async fn may_share_with(
    state: &AppState,
    principal: &crate::auth::Principal,
    scope: &storage::TenantScope,
    team: Option<TeamId>,
) -> ApiResult<()> {
    let Some(team) = team else { return Ok(()) };
    if principal.permissions.allows(domain::Area::Administration, domain::Level::ReadWrite) {
        return Ok(());
    }
    let member =
        state.store.get_team(scope, team).await?.is_some_and(|t| t.details.members.contains(&principal.user.id));
    if member {
        return Ok(());
    }
    let refusal = FieldError::new("team_id", "not_a_member", "Share a view only with a team you are in");
    Err(ApiError::Validation(vec![refusal]))
}

/// Replaces one of the signed-in officer's own views. Needs `If-Match`.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = ViewInput,
    params(("id" = Uuid, Path, description = "The view's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = View, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/views/{id}")]
pub async fn replace_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<ViewId>,
    body: ValidJson<ViewInput>,
) -> ApiResult<Tagged<api_types::View>> {
    let scope = auth.scope();
    let me = auth.principal.user.id;
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let details = view_details(&body.0, me)?;
    may_share_with(&state, &auth.principal, &scope, details.team).await?;
    let filter = parse_saved_filter(&details.filter, me).unwrap_or_default();
    let view = state.store.update_view(&scope, me, id, expected, details).await?;
    let count = count(&state, &scope, &filter).await?;
    Ok(Tagged::new(view.version, saved_out(&view, count)))
}

/// Deletes one of the signed-in officer's own views. Needs `If-Match`.
#[utoipa::path(tag = "queries", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The view's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/views/{id}")]
pub async fn delete_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<ViewId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    state.store.delete_view(&auth.scope(), auth.principal.user.id, id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}
