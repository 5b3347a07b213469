//! Business calendars (issue 15): when the organisation works, for service-level clocks. The
//! built-in ones (around the clock; Monday to Friday 09:00-17:00 in each nation) come first and
//! cannot be changed; administrators add their own, and see when a target would fall due.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationRead, AdministrationWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        bank_holidays::holidays_in_force,
        calendar_wire::{calendar_out, definition_of},
        conditional::if_match,
        respond::{Created, Tagged},
    },
    state::AppState,
};
use actix_web::{HttpRequest, get, post, put, web};
use api_types::{BusinessCalendar, CalendarInput, CalendarList, DuePreview, DuePreviewRequest, TargetUnit};
use domain::{
    CalendarId,
    calendar::{NamedCalendar, Target},
};
use storage::TenantScope;

type Problem = api_types::Problem;

/// A built-in calendar or one of the tenant's.
async fn find(state: &AppState, scope: &TenantScope, id: CalendarId) -> ApiResult<NamedCalendar> {
    if let Some(built_in) = NamedCalendar::built_in().into_iter().find(|c| c.id == id) {
        return Ok(built_in);
    }
    state.store.get_calendar(scope, id).await?.ok_or(ApiError::NotFound)
}

/// Every calendar: the built-in ones, then the organisation's by name.
#[utoipa::path(tag = "calendars", security(("session" = [])), responses(
    (status = OK, body = CalendarList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/calendars")]
pub async fn list_calendars(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<CalendarList>> {
    let mut calendars = NamedCalendar::built_in();
    calendars.extend(state.store.list_calendars(&auth.scope()).await?);
    Ok(web::Json(CalendarList { items: calendars.iter().map(calendar_out).collect() }))
}

/// Adds a calendar. Shifts are UK local time; a day not listed is not worked.
#[utoipa::path(tag = "calendars", security(("session" = [])), request_body = CalendarInput, responses(
    (status = CREATED, body = BusinessCalendar, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/calendars")]
pub async fn create_calendar(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<CalendarInput>,
) -> ApiResult<Created<BusinessCalendar>> {
    let calendar = state.store.create_calendar(&auth.scope(), definition_of(&body.0)?).await?;
    Ok(Created::new(format!("/api/v1/calendars/{}", calendar.id), calendar.version, calendar_out(&calendar)))
}

/// One calendar.
#[utoipa::path(tag = "calendars", security(("session" = [])), params(("id" = Uuid, Path, description = "The calendar's id")), responses(
    (status = OK, body = BusinessCalendar, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/calendars/{id}")]
pub async fn get_calendar(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<CalendarId>,
) -> ApiResult<Tagged<BusinessCalendar>> {
    let calendar = find(&state, &auth.scope(), id.into_inner()).await?;
    Ok(Tagged::new(calendar.version, calendar_out(&calendar)))
}

/// Replaces a calendar. Needs `If-Match`. Built-in calendars cannot be changed (409).
#[utoipa::path(tag = "calendars", security(("session" = [])), request_body = CalendarInput,
    params(("id" = Uuid, Path, description = "The calendar's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = BusinessCalendar, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/calendars/{id}")]
pub async fn replace_calendar(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<CalendarId>,
    body: ValidJson<CalendarInput>,
) -> ApiResult<Tagged<BusinessCalendar>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    if NamedCalendar::built_in().iter().any(|c| c.id == id) {
        let detail = "Built-in calendars cannot be changed; add a calendar of your own".to_owned();
        return Err(ApiError::Conflict { detail, field: None });
    }
    let definition = definition_of(&body.0)?;
    let calendar = state.store.update_calendar(&auth.scope(), id, expected, definition).await?;
    Ok(Tagged::new(calendar.version, calendar_out(&calendar)))
}

/// When a target started at `start` would fall due on this calendar, with the bank holidays in
/// force. The preview administrators use before they choose a calendar for a service level.
#[utoipa::path(tag = "calendars", security(("session" = [])), request_body = DuePreviewRequest,
    params(("id" = Uuid, Path, description = "The calendar's id")),
    responses(
        (status = OK, body = DuePreview),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/calendars/{id}/due")]
pub async fn preview_due(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<CalendarId>,
    body: ValidJson<DuePreviewRequest>,
) -> ApiResult<web::Json<DuePreview>> {
    let request = body.0;
    if !(1..=100_000).contains(&request.amount) {
        let field = domain::FieldError::new("amount", "out_of_range", "Enter an amount from 1 to 100,000");
        return Err(ApiError::Validation(vec![field]));
    }
    let scope = auth.scope();
    let calendar = find(&state, &scope, id.into_inner()).await?;
    let holidays = holidays_in_force(&state, &scope).await?;
    let target = match request.unit {
        TargetUnit::BusinessMinutes => Target::BusinessMinutes(request.amount),
        TargetUnit::CalendarMinutes => Target::CalendarMinutes(request.amount),
        TargetUnit::WorkingDays => Target::WorkingDays(request.amount),
    };
    Ok(web::Json(DuePreview { due: calendar.definition.calendar(&holidays).due(request.start, target) }))
}
