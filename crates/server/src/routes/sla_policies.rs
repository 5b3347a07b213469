//! Service-level policies (issue 15): administrators set which queries each covers and how
//! long it allows for a first response and for resolution, order them (the first that matches
//! applies), and preview when a query received at a given time would fall due.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationRead, AdministrationWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        respond::{Created, Tagged},
        sla_wire::{definition_of, policy_out},
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use api_types::{
    ClockPreview, SlaPolicy, SlaPolicyInput, SlaPolicyList, SlaPolicyOrder, SlaPreview, SlaPreviewRequest, SlaRetime,
};
use domain::{
    SlaPolicyId, Timestamp,
    sla::{self, Clock, ClockKind},
};

type Problem = api_types::Problem;

/// The organisation's policies, in the order they are tried.
#[utoipa::path(tag = "service levels", security(("session" = [])), responses(
    (status = OK, body = SlaPolicyList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/sla-policies")]
pub async fn list_sla_policies(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<SlaPolicyList>> {
    let policies = state.store.list_sla_policies(&auth.scope()).await?;
    Ok(web::Json(SlaPolicyList { items: policies.iter().map(policy_out).collect() }))
}

/// Adds a policy, tried after the others. It times queries logged from now on.
#[utoipa::path(tag = "service levels", security(("session" = [])), request_body = SlaPolicyInput, responses(
    (status = CREATED, body = SlaPolicy, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/sla-policies")]
pub async fn create_sla_policy(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<SlaPolicyInput>,
) -> ApiResult<Created<SlaPolicy>> {
    let policy = state.store.create_sla_policy(&auth.scope(), definition_of(&body.0)?).await?;
    Ok(Created::new(format!("/api/v1/sla-policies/{}", policy.id), policy.version, policy_out(&policy)))
}

/// Sets the order policies are tried in: those named first, in the order given, then the rest
/// as they were (so `{"ids": [x]}` moves one policy to the top).
#[utoipa::path(tag = "service levels", security(("session" = [])), request_body = SlaPolicyOrder, responses(
    (status = OK, body = SlaPolicyList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[put("/sla-policies/order")]
pub async fn order_sla_policies(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<SlaPolicyOrder>,
) -> ApiResult<web::Json<SlaPolicyList>> {
    let ids: Vec<SlaPolicyId> = body.0.ids.into_iter().map(SlaPolicyId::from_uuid).collect();
    if ids.is_empty() || ids.len() > 200 {
        let field = domain::FieldError::new("ids", "out_of_range", "Name from 1 to 200 policies");
        return Err(ApiError::Validation(vec![field]));
    }
    let ordered = state.store.order_sla_policies(&auth.scope(), &ids).await.map_err(|error| match error {
        storage::StorageError::UnknownReference { .. } => ApiError::Validation(vec![domain::FieldError::new(
            "ids",
            "unknown_reference",
            "Name each of the organisation's policies at most once",
        )]),
        other => other.into(),
    })?;
    Ok(web::Json(SlaPolicyList { items: ordered.iter().map(policy_out).collect() }))
}

/// When a query received at `received_at` would become due soon and fall due under a policy
/// as given (saved or not), with the organisation's calendars and bank holidays.
#[utoipa::path(tag = "service levels", security(("session" = [])), request_body = SlaPreviewRequest, responses(
    (status = OK, body = SlaPreview),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/sla-policies/preview")]
pub async fn preview_sla_policy(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    body: ValidJson<SlaPreviewRequest>,
) -> ApiResult<web::Json<SlaPreview>> {
    let scope = auth.scope();
    let policy =
        sla::SlaPolicy { id: SlaPolicyId::new(), definition: definition_of(&body.0.policy)?, position: 0, version: 0 };
    let received = Timestamp::from_datetime(body.0.received_at);
    let ids: Vec<_> =
        ClockKind::ALL.into_iter().filter_map(|kind| policy.definition.target(kind)).map(|t| t.calendar_id).collect();
    let calendars = state.store.calendars_in_force(&scope, &ids).await?;
    let mut preview = SlaPreview { first_response: None, resolution: None };
    for (kind, field) in [
        (ClockKind::FirstResponse, "policy.first_response.calendar_id"),
        (ClockKind::Resolution, "policy.resolution.calendar_id"),
    ] {
        let Some(target) = policy.definition.target(kind) else { continue };
        let Some(calendar) = calendars.get(&target.calendar_id) else {
            let unknown =
                domain::FieldError::new(field, "unknown_reference", "Choose one of the organisation's calendars");
            return Err(ApiError::Validation(vec![unknown]));
        };
        let clock = Clock::start(kind, &policy, calendar, received).and_then(Result::ok).map(|clock| ClockPreview {
            due_soon_at: clock.due_soon_at.as_datetime(),
            due_at: clock.due_at.as_datetime(),
        });
        match kind {
            ClockKind::FirstResponse => preview.first_response = clock,
            ClockKind::Resolution => preview.resolution = clock,
        }
    }
    Ok(web::Json(preview))
}

/// One policy.
#[utoipa::path(tag = "service levels", security(("session" = [])), params(("id" = Uuid, Path, description = "The policy's id")), responses(
    (status = OK, body = SlaPolicy, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/sla-policies/{id}")]
pub async fn get_sla_policy(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<SlaPolicyId>,
) -> ApiResult<Tagged<SlaPolicy>> {
    let policy = state.store.get_sla_policy(&auth.scope(), id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    Ok(Tagged::new(policy.version, policy_out(&policy)))
}

/// Replaces a policy. Needs `If-Match`. Queries it already times keep their due times until
/// an administrator re-times them.
#[utoipa::path(tag = "service levels", security(("session" = [])), request_body = SlaPolicyInput,
    params(("id" = Uuid, Path, description = "The policy's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = SlaPolicy, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/sla-policies/{id}")]
pub async fn replace_sla_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<SlaPolicyId>,
    body: ValidJson<SlaPolicyInput>,
) -> ApiResult<Tagged<SlaPolicy>> {
    let expected = if_match(&req)?;
    let definition = definition_of(&body.0)?;
    let policy = state.store.update_sla_policy(&auth.scope(), id.into_inner(), expected, definition).await?;
    Ok(Tagged::new(policy.version, policy_out(&policy)))
}

/// Asks for the open queries timed by earlier versions of this policy to be timed again under
/// the policy as it is now (and, where another policy now applies, under that one), each from
/// its own history. Runs as a scheduled job (Administration, Scheduled jobs); asking again for
/// the same version adds nothing. Changing a policy never re-times queries by itself.
#[utoipa::path(tag = "service levels", security(("session" = [])), params(("id" = Uuid, Path, description = "The policy's id")), responses(
    (status = ACCEPTED, body = SlaRetime),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[post("/sla-policies/{id}/retime")]
pub async fn retime_sla_policy(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<SlaPolicyId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (policy, queued) = state.store.request_retime(&auth.scope(), id).await?;
    Ok(HttpResponse::Accepted().json(SlaRetime { policy_id: id.as_uuid(), version: policy.version, queued }))
}
