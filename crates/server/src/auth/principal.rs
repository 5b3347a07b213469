use crate::{
    auth::entra::{EntraError, bearer},
    auth::session::{bearer_secret, token_hash},
    problem::ApiError,
    state::AppState,
};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use api_types::{CSRF_HEADER, SESSION_COOKIE};
use domain::{
    ApiTokenId, EffectivePermissions, SessionId, Timestamp, UserId,
    audit::Actor,
    tenant::Tenant,
    user::{User, UserStatus},
};
use futures_util::future::LocalBoxFuture;
use storage::{Activity, TenantScope};

/// An authenticated user acting in their tenant.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub tenant: Tenant,
    /// For an API token, already capped by the token's scopes.
    pub permissions: EffectivePermissions,
    pub credential: Credential,
}

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A browser session: the hash of its cookie's token, and its id.
    Session { token_hash: [u8; 32], id: SessionId },
    /// A personal API token (`Authorization: Bearer cdk_…`): not a session.
    ApiToken(ApiTokenId),
    /// An Entra ID access token (`Authorization: Bearer eyJ…`) from an integrator: not a session.
    EntraToken,
}

/// The prefix of every API token's secret, so that secret scanners (and people) recognise one.
pub const API_TOKEN_PREFIX: &str = "cdk_";

impl Principal {
    /// The active user's record and effective permissions, for a session just found or started.
    pub async fn load(
        state: &AppState,
        tenant: Tenant,
        user_id: UserId,
        credential: Credential,
    ) -> Result<Self, ApiError> {
        let scope = TenantScope::new(tenant.id, Actor::User(user_id.as_uuid()));
        let user = state.store.get_user(&scope, user_id).await?.ok_or(ApiError::Unauthenticated)?;
        Self::of_user(state, tenant, user, credential).await
    }

    /// As `load`, for a user record the caller has just read (an Entra sign-in returns it).
    pub async fn of_user(
        state: &AppState,
        tenant: Tenant,
        user: User,
        credential: Credential,
    ) -> Result<Self, ApiError> {
        if user.status != UserStatus::Active {
            return Err(ApiError::Unauthenticated);
        }
        let scope = TenantScope::new(tenant.id, Actor::User(user.id.as_uuid()));
        let permissions = EffectivePermissions::from_grants(state.store.grants_of(&scope, user.id).await?);
        Ok(Principal { user, tenant, permissions, credential })
    }

    /// The scope every storage call of this request runs in.
    pub fn scope(&self) -> TenantScope {
        // Reading queries: limited to the viewer's teams when they read them only that way.
        let limited = self.permissions.own_teams_only(domain::Area::Queries, domain::Level::Read);
        TenantScope::new(self.tenant.id, Actor::User(self.user.id.as_uuid())).own_teams_only(limited)
    }
}

/// Whether a request may change data without the CSRF header: only safe methods may.
pub fn require_csrf_header(req: &HttpRequest) -> Result<(), ApiError> {
    if req.method().is_safe() || req.headers().contains_key(CSRF_HEADER) {
        Ok(())
    } else {
        Err(ApiError::CsrfHeaderMissing(CSRF_HEADER))
    }
}

/// Authenticates a request that carries an API token. No CSRF header is needed: a browser
/// never adds this header by itself, so a forged cross-site request cannot carry it.
fn authenticate_token(
    state: Option<web::Data<AppState>>,
    secret: String,
) -> LocalBoxFuture<'static, Result<Principal, ApiError>> {
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
        if !secret.starts_with(API_TOKEN_PREFIX) {
            return authenticate_entra_token(&state, &secret).await;
        }
        let found = state
            .store
            .api_token_principal(&token_hash(&secret), Timestamp::now())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        if found.user.status != UserStatus::Active {
            return Err(ApiError::Unauthenticated);
        }
        let permissions = EffectivePermissions::from_grants(found.grants).limited_to(&found.token.scopes);
        Ok(Principal {
            user: found.user,
            tenant: found.tenant,
            permissions,
            credential: Credential::ApiToken(found.token.id),
        })
    })
}

/// Authenticates an Entra access token: the `tid` it claims picks the tenant, whose
/// configuration then checks it; the person is found (or linked, or created) and their
/// memberships follow their groups and roles, as at a browser sign-in.
async fn authenticate_entra_token(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let directory_id = bearer::claimed_directory(token).map_err(refused)?;
    let unknown = || ApiError::InvalidToken("unknown directory");
    let tenant = state.store.tenant_by_entra_directory(&directory_id).await?.ok_or_else(unknown)?;
    let system = TenantScope::system(tenant.id);
    let settings = crate::secrets::entra_settings(state, &system).await?.ok_or_else(unknown)?;
    let person = state.entra.validate_access_token(token, &settings).await.map_err(refused)?;
    let user = crate::auth::entra::sign_in_person(state.store.as_ref(), &system, &person).await?;
    Principal::of_user(state, tenant, user, Credential::EntraToken).await
}

fn refused(error: EntraError) -> ApiError {
    match error {
        EntraError::Unavailable => ApiError::IdentityProviderUnavailable,
        EntraError::Refused(reason) => ApiError::InvalidToken(reason),
    }
}

/// Authenticates the request from its API token or, failing that, its session cookie;
/// `activity` says whether it counts as the user's use of the session (keeping it from idling
/// out).
fn authenticate(req: &HttpRequest, activity: Activity) -> LocalBoxFuture<'static, Result<Principal, ApiError>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let Some(secret) = bearer_secret(req.headers()) {
        return authenticate_token(state, secret);
    }
    let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    let csrf = require_csrf_header(req);
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
        let token = token.filter(|t| !t.is_empty()).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(&token);
        let found =
            state.store.session_principal(&hash, Timestamp::now(), state.settings.session_idle_secs, activity).await?;
        let Some(found) = found else {
            // Only now, on the way to a 401, ask why: an ended session says so.
            let reason = state.store.session_end_reason(&hash).await?;
            return Err(reason.map_or(ApiError::Unauthenticated, ApiError::SessionEnded));
        };
        // Authenticated first, so a stale page learns it must sign in rather than being told
        // about a header; then the CSRF defence for cookie-authenticated writes.
        csrf?;
        if found.user.status != UserStatus::Active {
            return Err(ApiError::Unauthenticated);
        }
        let permissions = EffectivePermissions::from_grants(found.grants);
        let credential = Credential::Session { token_hash: hash, id: found.session.id };
        Ok(Principal { user: found.user, tenant: found.tenant, permissions, credential })
    })
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        authenticate(req, Activity::Active)
    }
}

/// A principal whose request does not count as use of the session: a live-update stream
/// reconnecting on its own must not keep an idle officer signed in.
#[derive(Debug, Clone)]
pub struct PassivePrincipal(pub Principal);

impl FromRequest for PassivePrincipal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = authenticate(req, Activity::Passive);
        Box::pin(async move { principal.await.map(PassivePrincipal) })
    }
}
