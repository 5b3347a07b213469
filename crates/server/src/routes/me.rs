use crate::{auth::Principal, routes::wire};
use actix_web::{get, web::Json};
use api_types::Me;

/// The signed-in user, their tenant and effective permissions.
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = OK, body = Me),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/me")]
pub async fn me(principal: Principal) -> Json<Me> {
    Json(me_of(&principal))
}

pub fn me_of(principal: &Principal) -> Me {
    Me {
        user: wire::user(&principal.user),
        tenant: wire::tenant(&principal.tenant),
        permissions: wire::permissions(&principal.permissions),
    }
}
