//! Times as people at a UK public body read and type them: Europe/London, whatever the
//! browser's own time zone (an officer's laptop may be set to UTC).
//!
//! The browser's `Intl` knows the London rules (GMT/BST); everything else is plain arithmetic
//! here, so the rules live in one place and a date typed as "31/2/2026" is caught before any
//! request.

use chrono::{DateTime, Utc};
use wasm_bindgen::JsValue;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A wall-clock time in London.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LondonTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LondonTime {
    /// The London wall clock at an instant (milliseconds since the Unix epoch).
    pub fn at(millis: i64) -> Self {
        let date = js_sys::Date::new(&JsValue::from_f64(millis as f64));
        let options = js_sys::Object::new();
        for (key, value) in [
            ("timeZone", "Europe/London"),
            ("year", "numeric"),
            ("month", "2-digit"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ] {
            // Setting a property on a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        // en-GB gives "01/12/2026, 14:05"; only the order of the numbers matters here.
        let text: String = date.to_locale_string("en-GB", &options).into();
        let numbers: Vec<i64> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match numbers.as_slice() {
            [day, month, year, hour, minute, ..] => Self {
                year: i32::try_from(*year).unwrap_or(1970),
                month: u32::try_from(*month).unwrap_or(1),
                day: u32::try_from(*day).unwrap_or(1),
                hour: u32::try_from(*hour).unwrap_or(0),
                minute: u32::try_from(*minute).unwrap_or(0),
            },
            // Intl always answers in that shape; fall back to UTC rather than fail a page.
            _ => Self::utc(millis),
        }
    }

    pub fn now() -> Self {
        Self::at(now_millis())
    }

    /// The UTC wall clock at an instant: only a fallback.
    fn utc(millis: i64) -> Self {
        let days = millis.div_euclid(86_400_000);
        let minutes = millis.rem_euclid(86_400_000) / 60_000;
        let (year, month, day) = civil_from_days(days);
        Self { year, month, day, hour: (minutes / 60) as u32, minute: (minutes % 60) as u32 }
    }

    /// A London wall-clock time typed by someone, if it is a real date and time.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<Self> {
        let valid = (1900..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60;
        valid.then_some(Self { year, month, day, hour, minute })
    }

    /// The instant this London time names (milliseconds since the epoch). In the hour the
    /// clocks go back, the earlier (BST) reading wins; a time skipped when they go forward
    /// is read as GMT.
    pub fn to_millis(self) -> i64 {
        let as_if_utc = self.naive_millis();
        // London is never more than an hour from UTC, so one correction step is exact except
        // in the changeover hours, where either reading is defensible.
        let offset = Self::at(as_if_utc).naive_millis() - as_if_utc;
        let guess = as_if_utc - offset;
        let offset_at_guess = Self::at(guess).naive_millis() - guess;
        as_if_utc - offset_at_guess
    }

    /// Milliseconds since the epoch if these fields were UTC.
    fn naive_millis(self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        (days * 1440 + i64::from(self.hour) * 60 + i64::from(self.minute)) * 60_000
    }

    /// "1 December 2026".
    pub fn date_text(self) -> String {
        let month = MONTHS.get(self.month as usize - 1).copied().unwrap_or_default();
        format!("{} {month} {}", self.day, self.year)
    }

    /// "2:05pm", "midday" or "midnight", as GOV.UK writes times.
    pub fn time_text(self) -> String {
        match (self.hour, self.minute) {
            (0, 0) => "midnight".to_owned(),
            (12, 0) => "midday".to_owned(),
            (hour, minute) => {
                let suffix = if hour < 12 { "am" } else { "pm" };
                let hour = if hour % 12 == 0 { 12 } else { hour % 12 };
                format!("{hour}:{minute:02}{suffix}")
            }
        }
    }
}

/// The current time, in milliseconds since the epoch.
pub fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

pub fn millis_of(at: &DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(millis: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(millis)
}

/// "1 December 2026" for an instant, read in London, and the ISO instant for `<time datetime>`.
pub fn date(at: &DateTime<Utc>) -> (String, String) {
    (LondonTime::at(millis_of(at)).date_text(), iso_instant(at))
}

/// "1 December 2026 at 2:05pm" for an instant, read in London, and the ISO instant.
pub fn date_time(at: &DateTime<Utc>) -> (String, String) {
    let london = LondonTime::at(millis_of(at));
    (format!("{} at {}", london.date_text(), london.time_text()), iso_instant(at))
}

fn iso_instant(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A `YYYY-MM-DD` date, if it is a real one.
fn parse_iso_date(iso_date: &str) -> Option<LondonTime> {
    let mut parts = iso_date.trim().splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    LondonTime::new(i32::try_from(year).ok()?, month, day, 0, 0)
}

/// "1 December 2026" for `2026-12-01`.
pub fn iso_date_text(iso_date: &str) -> Option<String> {
    parse_iso_date(iso_date).map(LondonTime::date_text)
}

/// The instant a London day (`2026-12-01`) starts, `days_later` days on, as RFC 3339; `None`
/// unless the text is a real date. The API reads a bare date as midnight UTC, which in summer
/// would be an hour off what an officer in London means.
pub fn london_day_start(iso_date: &str, days_later: i64) -> Option<String> {
    let date = parse_iso_date(iso_date)?;
    let (year, month, day) = civil_from_days(days_from_civil(date.year, date.month, date.day) + days_later);
    let start = LondonTime { year, month, day, hour: 0, minute: 0 }.to_millis();
    from_millis(start).map(|at| iso_instant(&at))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}
