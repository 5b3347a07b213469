//! The domain's rules on who may act on whom (`domain::authority`), applied with what storage
//! says the target holds.

use super::Principal;
use crate::{problem::ApiError, state::AppState};
use domain::{EffectivePermissions, UserId, authority};
use storage::TenantScope;

impl From<authority::Refusal> for ApiError {
    fn from(refusal: authority::Refusal) -> Self {
        ApiError::OutranksYou(refusal)
    }
}

/// The user's effective permissions, from every grant that reaches them now.
pub async fn permissions_of(
    state: &AppState,
    scope: &TenantScope,
    user: UserId,
) -> Result<EffectivePermissions, ApiError> {
    Ok(EffectivePermissions::from_grants(state.store.grants_of(scope, user).await?))
}

/// Refuses (403 `outranks_you`) when `user` holds more than `actor`.
pub async fn require_may_manage(
    state: &AppState,
    actor: &Principal,
    scope: &TenantScope,
    user: UserId,
) -> Result<(), ApiError> {
    let target = permissions_of(state, scope, user).await?;
    Ok(authority::may_manage_user(&actor.permissions, &target)?)
}
