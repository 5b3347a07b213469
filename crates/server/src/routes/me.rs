use crate::{app::AppState, auth::Principal, problem::ApiResult, routes::wire};
use actix_web::{
    get,
    web::{Data, Json},
};
use api_types::Me;
use domain::Area;

/// The signed-in user, their tenant and effective permissions.
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = OK, body = Me),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/me")]
pub async fn me(state: Data<AppState>, principal: Principal) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&state, &principal).await?))
}

pub async fn me_of(state: &AppState, principal: &Principal) -> ApiResult<Me> {
    let teams = state.store.list_teams(&principal.scope()).await?;
    let team_ids =
        teams.iter().filter(|t| t.details.members.contains(&principal.user.id)).map(|t| t.id.as_uuid()).collect();
    Ok(Me {
        user: wire::user(&principal.user),
        tenant: wire::tenant(&principal.tenant),
        permissions: wire::permissions(&principal.permissions),
        queries_everywhere: wire::level(principal.permissions.unlimited_level(Area::Queries)),
        team_ids,
    })
}
