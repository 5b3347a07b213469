use crate::{auth::Principal, problem::ApiResult, routes::shared::sign_in::me_of, state::AppState};
use actix_web::{
    get,
    web::{Data, Json},
};
use api_types::Me;

/// The signed-in user, their tenant and effective permissions.
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = OK, body = Me),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/me")]
pub async fn me(state: Data<AppState>, principal: Principal) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&state, &principal).await?))
}
