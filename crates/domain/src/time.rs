//! Timestamps at the precision both databases store: microseconds, UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A UTC instant truncated to microseconds, so that what is written reads back identically
/// from PostgreSQL (`timestamptz`) and SQLite (integer microseconds). ETags and keyset cursors
/// depend on that round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    pub fn now() -> Self {
        Self::from_micros(Utc::now().timestamp_micros())
    }

    pub fn from_micros(micros: i64) -> Self {
        Self(DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MIN_UTC))
    }

    /// Truncates any sub-microsecond part.
    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self::from_micros(at.timestamp_micros())
    }

    pub fn as_micros(&self) -> i64 {
        self.0.timestamp_micros()
    }

    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Whole seconds from `earlier` to this instant, rounded up (negative if `earlier` is later).
    pub fn seconds_since(&self, earlier: Timestamp) -> i64 {
        (self.as_micros() - earlier.as_micros() + 999_999).div_euclid(1_000_000)
    }

    pub fn plus_seconds(&self, seconds: i64) -> Self {
        Self::from_micros(self.as_micros().saturating_add(seconds.saturating_mul(1_000_000)))
    }

    /// The start of this instant's day as people in the UK count it (Europe/London, so
    /// 00:00 BST is 23:00 UTC the evening before in summer).
    pub fn start_of_uk_day(&self) -> Self {
        use chrono::{LocalResult, TimeZone};
        let local = self.0.with_timezone(&chrono_tz::Europe::London).date_naive();
        let midnight = local.and_hms_opt(0, 0, 0).unwrap_or_default();
        match chrono_tz::Europe::London.from_local_datetime(&midnight) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Self::from_datetime(at.with_timezone(&Utc)),
            // UK clocks never skip midnight; fall back to UTC midnight if tz data ever says so.
            LocalResult::None => Self::from_datetime(midnight.and_utc()),
        }
    }
}

impl Timestamp {
    /// This instant's date in the UK, as `2026-12-04`.
    pub fn uk_date(&self) -> String {
        self.0.with_timezone(&chrono_tz::Europe::London).date_naive().to_string()
    }

    /// The next instant after this one when UK clocks show `hour`:00 (a daily job's time).
    pub fn next_uk_hour(&self, hour: u32) -> Self {
        use chrono::{Days, LocalResult, TimeZone};
        let today = self.0.with_timezone(&chrono_tz::Europe::London).date_naive();
        for day in [today, today + Days::new(1), today + Days::new(2)] {
            let local = day.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
            let at = match chrono_tz::Europe::London.from_local_datetime(&local) {
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
                // The hour the clocks skip in spring: an hour later is the same wall time.
                LocalResult::None => local.and_utc(),
            };
            if at > self.0 {
                return Self::from_datetime(at);
            }
        }
        self.plus_seconds(24 * 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_has_no_sub_microsecond_part() {
        let now = Timestamp::now();
        assert_eq!(now.as_datetime().timestamp_subsec_nanos() % 1_000, 0);
        assert_eq!(Timestamp::from_micros(now.as_micros()), now);
    }

    #[test]
    fn daily_times_are_uk_wall_clock_times() {
        let at = |text: &str| Timestamp::from_datetime(text.parse().expect("valid"));
        // 07:00 BST is 06:00 UTC; once past it, the next is tomorrow's.
        assert_eq!(at("2026-07-01T05:00:00Z").next_uk_hour(7), at("2026-07-01T06:00:00Z"));
        assert_eq!(at("2026-07-01T06:00:00Z").next_uk_hour(7), at("2026-07-02T06:00:00Z"));
        assert_eq!(at("2026-12-04T08:00:00Z").next_uk_hour(7), at("2026-12-05T07:00:00Z"));
        // Across the October change: 07:00 GMT on the Sunday.
        assert_eq!(at("2026-10-24T07:00:00Z").next_uk_hour(7), at("2026-10-25T07:00:00Z"));
        assert_eq!(at("2026-06-30T23:30:00Z").uk_date(), "2026-07-01");
    }

    #[test]
    fn uk_days_start_at_london_midnight() {
        let summer = Timestamp::from_datetime("2026-07-01T10:00:00Z".parse().expect("valid"));
        assert_eq!(summer.start_of_uk_day().as_datetime().to_rfc3339(), "2026-06-30T23:00:00+00:00");
        let just_after_bst_midnight = Timestamp::from_datetime("2026-06-30T23:30:00Z".parse().expect("valid"));
        assert_eq!(just_after_bst_midnight.start_of_uk_day(), summer.start_of_uk_day());
        let winter = Timestamp::from_datetime("2026-12-01T10:00:00Z".parse().expect("valid"));
        assert_eq!(winter.start_of_uk_day().as_datetime().to_rfc3339(), "2026-12-01T00:00:00+00:00");
    }

    #[test]
    fn from_datetime_truncates() {
        let at = DateTime::from_timestamp(1_700_000_000, 123_456_789).expect("valid");
        assert_eq!(Timestamp::from_datetime(at).as_micros(), 1_700_000_000_123_456);
    }
}
