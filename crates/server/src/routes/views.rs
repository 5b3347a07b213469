//! Ready-made work-queue views (FR-008) with their counts: "My queries", "Unassigned", one per
//! team the officer is in, and "Received today" (from midnight, UK time).

use crate::{
    app::AppState,
    auth::{Authorized, policy::QueriesRead},
    problem::ApiResult,
};
use actix_web::{get, web};
use api_types::{View, ViewList};
use domain::{Timestamp, query::QueryFilter, query_list::AssigneeFilter};

/// The built-in views for the signed-in officer, each with how many queries it holds now.
#[utoipa::path(tag = "queries", security(("session" = [])), responses(
    (status = OK, body = ViewList),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/views")]
pub async fn list_views(state: web::Data<AppState>, auth: Authorized<QueriesRead>) -> ApiResult<web::Json<ViewList>> {
    let scope = auth.principal.scope();
    let me = auth.principal.user.id;
    let today = Timestamp::now().start_of_uk_day();
    let open = QueryFilter { open: Some(true), ..Default::default() };
    let mut views: Vec<(String, String, String, QueryFilter)> = vec![
        (
            "my-queries".into(),
            "My queries".into(),
            "assignee=me&open=true".into(),
            QueryFilter { assignee: AssigneeFilter::Officer(me), ..open.clone() },
        ),
        (
            "unassigned".into(),
            "Unassigned".into(),
            "assignee=none&open=true".into(),
            QueryFilter { assignee: AssigneeFilter::Nobody, ..open.clone() },
        ),
    ];
    for team in state.store.list_teams(&scope).await?.into_iter().filter(|t| t.details.members.contains(&me)) {
        views.push((
            format!("my-team-{}", team.id),
            format!("My team: {}", team.details.name),
            format!("team_id={}&open=true", team.id),
            QueryFilter { team_id: Some(team.id), ..open.clone() },
        ));
    }
    let since = today.as_datetime().format("%Y-%m-%dT%H:%M:%SZ");
    views.push((
        "received-today".into(),
        "Received today".into(),
        format!("received_from={since}"),
        QueryFilter { received_from: Some(today), ..Default::default() },
    ));
    let mut items = Vec::with_capacity(views.len());
    for (id, name, filter, query_filter) in views {
        let count = state.store.count_queries(&scope, &query_filter).await?;
        items.push(View { id, name, filter, count });
    }
    Ok(web::Json(ViewList { items }))
}
