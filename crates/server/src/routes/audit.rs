//! The audit trail's integrity check.

use crate::{
    auth::{Authorized, policy::AdministrationRead},
    problem::ApiResult,
    state::AppState,
};
use actix_web::{get, web};
use domain::audit::{verify_chain, verify_unlinked};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditVerification {
    /// Entries in the tenant's chain, and any recorded but not linked into it.
    pub entries: u64,
    /// True when every entry links to the one before and matches its hash, and every entry
    /// not linked (yet) matches its own hash.
    pub valid: bool,
    /// Where the chain first breaks, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Recomputes the tenant's audit hash chain and reports whether it is intact.
#[utoipa::path(tag = "audit", security(("session" = [])), responses(
    (status = OK, body = AuditVerification),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/audit/verification")]
pub async fn verify_audit_chain(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<AuditVerification>> {
    let _turn = state.scans.enter().await;
    let chain = state.store.audit_chain(&auth.scope()).await?;
    // Linking refuses an entry changed since it was written, so it stays here to be reported.
    let unlinked = state.store.audit_unlinked(&auth.scope()).await?;
    let entries = (chain.len() + unlinked.len()) as u64;
    let result = match verify_chain(&chain).and_then(|_| verify_unlinked(&unlinked)) {
        Ok(_) => AuditVerification { entries, valid: true, problem: None },
        Err(broken) => AuditVerification { entries, valid: false, problem: Some(broken.to_string()) },
    };
    Ok(web::Json(result))
}
