//! Business calendars and bank holidays (service levels count working time on a calendar).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
}

/// Which part of the UK's bank holidays a calendar takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum BankHolidayDivision {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

/// One stretch of working time, in UK local time ("09:00" to "17:00"; "24:00" ends at midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftTimes {
    #[cfg_attr(feature = "openapi", schema(example = "09:00"))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(example = "17:00"))]
    pub end: String,
}

/// A weekday's working hours; a day not listed is not worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    pub day: Weekday,
    /// In order, not overlapping, at most four.
    #[cfg_attr(feature = "openapi", schema(max_items = 4))]
    pub shifts: Vec<ShiftTimes>,
}

/// A time the office is closed besides bank holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosureTimes {
    pub from: DateTime<Utc>,
    /// After `from`.
    pub to: DateTime<Utc>,
    /// What people are told, up to 200 characters.
    #[serde(default)]
    pub reason: String,
}

/// What an administrator gives for a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarInput {
    /// 1 to 100 characters, unique in the organisation whatever the case.
    pub name: String,
    /// Each weekday at most once.
    #[cfg_attr(feature = "openapi", schema(max_items = 7))]
    pub week: Vec<DayHours>,
    /// Whose bank holidays are days off; absent for a calendar that works through them.
    #[serde(default)]
    pub bank_holidays: Option<BankHolidayDivision>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub closures: Vec<ClosureTimes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCalendar {
    pub id: Uuid,
    pub name: String,
    /// Built-in calendars (around the clock, and office hours in each nation) cannot be changed.
    pub built_in: bool,
    /// Every weekday, Monday first (no shifts: not worked).
    pub week: Vec<DayHours>,
    pub bank_holidays: Option<BankHolidayDivision>,
    pub closures: Vec<ClosureTimes>,
    /// Sent as the `ETag`; send it back in `If-Match` to change the calendar.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarList {
    /// The built-in calendars first, then the organisation's by name.
    pub items: Vec<BusinessCalendar>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetUnit {
    /// Working minutes on the calendar.
    BusinessMinutes,
    /// Minutes on the clock.
    CalendarMinutes,
    /// By the close of the n-th working day after the day it starts.
    WorkingDays,
}

/// "A query received at `start` would be due at …"
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuePreviewRequest {
    pub start: DateTime<Utc>,
    pub unit: TargetUnit,
    /// 1 to 100,000.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    #[serde(deserialize_with = "crate::numbers::whole_u32")]
    pub amount: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuePreview {
    /// Absent when the calendar has no working time within three years.
    pub due: Option<DateTime<Utc>>,
}

/// A division's bank holidays, in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DivisionSummary {
    pub division: BankHolidayDivision,
    pub count: u32,
    pub first: Option<NaiveDate>,
    /// Due times beyond this date cannot know that year's bank holidays: upload a newer file.
    pub last: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BankHolidaySource {
    /// The copy that ships with Casedesk.
    Shipped,
    /// A file an administrator uploaded.
    Uploaded,
}

/// The bank holidays in force. Replace them with `PUT /bank-holidays` and GOV.UK's
/// `https://www.gov.uk/bank-holidays.json` as the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankHolidaySummary {
    pub source: BankHolidaySource,
    /// 0 for the shipped copy; send it in `If-Match` with an upload.
    pub version: i64,
    pub uploaded_at: Option<DateTime<Utc>>,
    pub divisions: Vec<DivisionSummary>,
}

/// One bank holiday in GOV.UK's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankHolidayEvent {
    pub title: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub bunting: bool,
}

/// One division of GOV.UK's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankHolidayDivisionEvents {
    pub division: String,
    pub events: Vec<BankHolidayEvent>,
}

/// GOV.UK's `bank-holidays.json` as it is published: each division with its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankHolidayFile {
    #[serde(rename = "england-and-wales")]
    pub england_and_wales: BankHolidayDivisionEvents,
    pub scotland: BankHolidayDivisionEvents,
    #[serde(rename = "northern-ireland")]
    pub northern_ireland: BankHolidayDivisionEvents,
}
