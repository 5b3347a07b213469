//! Liveness and readiness for load balancers and orchestrators. Public by design.

use crate::{problem::ApiError, state::AppState};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `alive` or `ready`.
    pub status: &'static str,
}

/// The process is up and serving requests.
#[utoipa::path(tag = "operations", responses((status = OK, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "alive" })
}

/// The database is reachable and every migration this build knows has been applied.
#[utoipa::path(tag = "operations", responses(
    (status = OK, body = Health),
    (status = SERVICE_UNAVAILABLE, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match state.database.readiness().await {
        Ok(readiness) if readiness.is_current() => Ok(HttpResponse::Ok().json(Health { status: "ready" })),
        Ok(readiness) => {
            tracing::warn!(?readiness, "migrations not current");
            Err(ApiError::NotReady)
        }
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            Err(ApiError::NotReady)
        }
    }
}
