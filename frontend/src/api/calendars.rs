//! Business calendars and bank holidays.

use super::{at, http, segment};
use api_types::{BankHolidaySummary, CalendarList, DuePreview, DuePreviewRequest, Problem};

/// `GET /calendars`: the built-in calendars, then the organisation's.
pub async fn list() -> Result<CalendarList, Problem> {
    http::get(&at("calendars")).await
}

/// `POST /calendars/{id}/due`: when a target started at a time would fall due.
pub async fn due(id: impl ToString, request: &DuePreviewRequest) -> Result<DuePreview, Problem> {
    http::post(&at(&format!("calendars/{}/due", segment(id))), request).await
}

/// `GET /bank-holidays`: the bank holidays in force, division by division.
pub async fn bank_holidays() -> Result<BankHolidaySummary, Problem> {
    http::get(&at("bank-holidays")).await
}
