//! The organisation's Entra ID configuration and its group and app-role mappings (SEC-10).
//! Reading needs `administration: read`; changing needs `administration: full`, and a mapping
//! may only confer a group whose permissions the administrator holds themselves.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationFull, AdministrationRead},
    },
    json::ValidJson,
    problem::ApiResult,
    routes::shared::{conditional::if_match, respond::Tagged},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use api_types::{EntraClaim, EntraMappingList, EntraSettingsRequest, GroupRef, NewEntraMapping};
use domain::{
    EntraMappingId, FieldError, GroupId, ValidationErrors,
    entra::{ClaimKind, EntraMapping, EntraObjectId, EntraSettings, EntraSettingsChange},
    group::Group,
};

type Problem = api_types::Problem;

fn settings_out(settings: Option<EntraSettings>) -> Tagged<api_types::EntraSettings> {
    let version = settings.as_ref().map_or(0, |s| s.version);
    let body = match settings {
        Some(s) => api_types::EntraSettings {
            configured: true,
            directory_id: s.directory_id.as_str().to_owned(),
            client_id: s.client_id.as_str().to_owned(),
            client_secret_set: !s.client_secret.is_empty(),
            redirect_url: s.redirect_url,
            api_audience: s.api_audience,
            version,
        },
        None => api_types::EntraSettings {
            configured: false,
            directory_id: String::new(),
            client_id: String::new(),
            client_secret_set: false,
            redirect_url: String::new(),
            api_audience: String::new(),
            version,
        },
    };
    Tagged::new(version, body)
}

/// The organisation's Entra ID configuration (never the client secret).
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = api_types::EntraSettings, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/settings/entra")]
pub async fn get_entra_settings(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<Tagged<api_types::EntraSettings>> {
    Ok(settings_out(state.store.entra_settings(&auth.scope()).await?))
}

/// Sets up or changes Entra ID sign-in. Needs `If-Match` (`"0"` before the first save); the
/// client secret is required the first time and kept when left out afterwards.
#[utoipa::path(tag = "users", security(("session" = [])), request_body = EntraSettingsRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::EntraSettings, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json",
            description = "Another organisation here uses this Entra directory"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/settings/entra")]
pub async fn replace_entra_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    body: ValidJson<EntraSettingsRequest>,
) -> ApiResult<Tagged<api_types::EntraSettings>> {
    let expected = if_match(&req)?;
    let body = body.0;
    let mut errors = ValidationErrors::default();
    let directory_id = errors.check(EntraObjectId::parse("directory_id", &body.directory_id));
    let client_id = errors.check(EntraObjectId::parse("client_id", &body.client_id));
    EntraSettingsChange::check_urls(&body.redirect_url, &body.api_audience, &mut errors);
    let secret = EntraSettingsChange::client_secret("client_secret", body.client_secret);
    let secret_sent = !matches!(secret, Ok(None));
    let secret = errors.check(secret).flatten();
    let scope = auth.scope();
    // Without a secret the stored one is kept, so it is missing only when none is stored yet (a
    // first save sent over settings saved meanwhile is a version conflict, answered below).
    if !secret_sent && expected == 0 && state.store.entra_settings(&scope).await?.is_none() {
        errors.push(FieldError::new("client_secret", "required", "Enter the client secret from the app registration"));
    }
    errors.into_result()?;
    let (Some(directory_id), Some(client_id)) = (directory_id, client_id) else {
        unreachable!("errors were returned above")
    };
    // Stored sealed under the tenant's key, never as given.
    let secret = match secret {
        Some(plain) => Some(crate::secrets::seal(&state, &scope, crate::secrets::ENTRA_CLIENT_SECRET, &plain).await?),
        None => None,
    };
    let change = EntraSettingsChange {
        directory_id,
        client_id,
        client_secret: secret,
        redirect_url: body.redirect_url,
        api_audience: body.api_audience,
    };
    let settings = state.store.update_entra_settings(&scope, expected, change).await?;
    Ok(settings_out(Some(settings)))
}

fn mapping_out(mapping: &EntraMapping, groups: &[Group]) -> api_types::EntraMapping {
    let name = groups.iter().find(|g| g.id == mapping.group_id).map(|g| g.details.name.clone()).unwrap_or_default();
    api_types::EntraMapping {
        id: mapping.id.as_uuid(),
        claim: match mapping.claim {
            ClaimKind::Group => EntraClaim::Group,
            ClaimKind::Role => EntraClaim::Role,
        },
        value: mapping.value.clone(),
        group: GroupRef { id: mapping.group_id.as_uuid(), name },
    }
}

/// Which Entra groups and app roles make people members of which groups.
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = EntraMappingList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/settings/entra/mappings")]
pub async fn list_entra_mappings(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<EntraMappingList>> {
    let scope = auth.scope();
    let groups = state.store.list_groups(&scope).await?;
    let mappings = state.store.entra_mappings(&scope).await?;
    Ok(web::Json(EntraMappingList { items: mappings.iter().map(|m| mapping_out(m, &groups)).collect() }))
}

/// Maps an Entra group (object id) or app role to a group. It takes effect at each person's
/// next sign-in.
#[utoipa::path(tag = "users", security(("session" = [])), request_body = NewEntraMapping, responses(
    (status = CREATED, body = api_types::EntraMapping),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json", description = "Already mapped"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/settings/entra/mappings")]
pub async fn create_entra_mapping(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    body: ValidJson<NewEntraMapping>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let claim = match body.claim {
        EntraClaim::Group => ClaimKind::Group,
        EntraClaim::Role => ClaimKind::Role,
    };
    let mut errors = ValidationErrors::default();
    let value = errors.check(claim.parse_value("value", &body.value));
    let scope = auth.scope();
    let groups = state.store.list_groups(&scope).await?;
    let group_id = GroupId::from_uuid(body.group_id);
    // Mapping is granting: the same rule as putting someone in the group.
    domain::group::check_membership_within_own(
        &groups,
        &auth.principal.permissions,
        group_id,
        "group_id".into(),
        &mut errors,
    );
    errors.into_result()?;
    let value = value.unwrap_or_default();
    let mapping = state.store.add_entra_mapping(&scope, claim, value, group_id).await?;
    Ok(HttpResponse::Created().json(mapping_out(&mapping, &groups)))
}

/// Removes a mapping; memberships it gave end at each person's next sign-in.
#[utoipa::path(tag = "users", security(("session" = [])), params(("id" = Uuid, Path, description = "The mapping's id")),
    responses(
        (status = NO_CONTENT, description = "Removed"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/settings/entra/mappings/{id}")]
pub async fn delete_entra_mapping(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    id: web::Path<EntraMappingId>,
) -> ApiResult<HttpResponse> {
    state.store.remove_entra_mapping(&auth.scope(), id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
