//! The bank holidays calendars take off: the copy that ships with Casedesk until an
//! administrator uploads GOV.UK's current `bank-holidays.json` (a settings change: full
//! administration, with `If-Match`).

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationFull, AdministrationRead},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{calendar_wire::division_out, conditional::if_match, respond::Tagged},
    state::AppState,
};
use actix_web::{HttpRequest, get, put, web};
use api_types::{BankHolidayFile, BankHolidaySource, BankHolidaySummary, DivisionSummary};
use domain::calendar::{BankHolidays, Division};

type Problem = api_types::Problem;

fn summary(holidays: &BankHolidays, uploaded: Option<(i64, domain::Timestamp)>) -> BankHolidaySummary {
    let divisions = Division::ALL
        .into_iter()
        .map(|division| {
            let events = holidays.events(division);
            DivisionSummary {
                division: division_out(division),
                count: u32::try_from(events.len()).unwrap_or(u32::MAX),
                first: events.first().map(|e| e.date),
                last: events.last().map(|e| e.date),
            }
        })
        .collect();
    BankHolidaySummary {
        source: if uploaded.is_some() { BankHolidaySource::Uploaded } else { BankHolidaySource::Shipped },
        version: uploaded.map_or(0, |(version, _)| version),
        uploaded_at: uploaded.map(|(_, at)| at.as_datetime()),
        divisions,
    }
}

/// The bank holidays in force, division by division.
#[utoipa::path(tag = "calendars", security(("session" = [])), responses(
    (status = OK, body = BankHolidaySummary, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/bank-holidays")]
pub async fn get_bank_holidays(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<Tagged<BankHolidaySummary>> {
    let stored = state.store.bank_holiday_file(&auth.scope()).await?;
    let out = match stored {
        Some((content, version, at)) => {
            let holidays = BankHolidays::parse(&content).unwrap_or_else(|_| BankHolidays::shipped());
            summary(&holidays, Some((version, at)))
        }
        None => summary(&BankHolidays::shipped(), None),
    };
    Ok(Tagged::new(out.version, out))
}

/// Replaces the bank holidays with GOV.UK's file (the body, as published at
/// `https://www.gov.uk/bank-holidays.json`). Needs `If-Match` (`"0"` over the shipped copy).
#[utoipa::path(tag = "calendars", security(("session" = [])), request_body = BankHolidayFile,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = BankHolidaySummary, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/bank-holidays")]
pub async fn replace_bank_holidays(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    body: ValidJson<BankHolidayFile>,
) -> ApiResult<Tagged<BankHolidaySummary>> {
    let expected = if_match(&req)?;
    let content = serde_json::to_string(&body.0).map_err(ApiError::internal)?;
    // The body's shape was checked on the way in (every division is required), so this only
    // fails if the two readings of the format ever disagree.
    let holidays = BankHolidays::parse(&content).map_err(ApiError::internal)?;
    let expected = (expected > 0).then_some(expected);
    let version = state.store.set_bank_holiday_file(&auth.scope(), holidays.to_json(), expected).await?;
    let out = summary(&holidays, Some((version, domain::Timestamp::now())));
    Ok(Tagged::new(version, out))
}
