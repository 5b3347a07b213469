//! Business calendars: when an office works, in UK local time (Europe/London, so 09:00 is
//! 09:00 GMT in winter and 09:00 BST in summer), less bank holidays and closures. Service-level
//! clocks count business time on one; a 24x7 calendar counts every minute.
//!
//! Every computation turns the calendar into working intervals of UTC instants, day by local
//! day, so a DST change is just a 23- or 25-hour local day and nothing special. Intervals are
//! half-open: `[start, end)`.

mod bank_holidays;
mod definition;

pub use bank_holidays::{BankHoliday, BankHolidays, BankHolidaysError, Division};
pub use definition::{BUILT_IN, CalendarDefinition, ClosureEntry, MAX_CLOSURES, MAX_SHIFTS, NamedCalendar, built_in};

use chrono::{DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use std::collections::BTreeSet;

/// How far ahead (or back) a computation looks for working time before giving up: a calendar
/// without any would otherwise be walked for ever.
const SEARCH_DAYS: u64 = 3 * 366;

/// Minutes in a day; a shift may end at 24:00.
pub const DAY_MINUTES: u16 = 24 * 60;

/// One stretch of working time within a local day, in minutes since local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shift {
    pub start: u16,
    pub end: u16,
}

impl Shift {
    /// `start` before `end`, both within the day (end up to 24:00).
    pub fn new(start: u16, end: u16) -> Option<Self> {
        (start < end && end <= DAY_MINUTES).then_some(Self { start, end })
    }

    /// From hours and minutes, e.g. `Shift::hm((9, 0), (17, 0))`.
    pub fn hm((from_h, from_m): (u16, u16), (to_h, to_m): (u16, u16)) -> Option<Self> {
        Self::new(from_h * 60 + from_m, to_h * 60 + to_m)
    }
}

/// A time the office is closed beyond its bank holidays (e.g. 24 December from noon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Closure {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// How long a service level allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Working minutes on the calendar.
    BusinessMinutes(u32),
    /// Minutes on the clock, whatever the calendar says.
    CalendarMinutes(u32),
    /// By the close of the n-th working day after the day it starts (day 1 is the first
    /// working day after that day), as "reply within 20 working days" is meant.
    WorkingDays(u32),
}

/// When an office works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Monday first; each day's shifts in order and not overlapping. No shifts: a day off.
    week: [Vec<Shift>; 7],
    holidays: BTreeSet<NaiveDate>,
    closures: Vec<Closure>,
}

/// Why a calendar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the shifts of {0} overlap or are out of order")]
    OverlappingShifts(Weekday),
    #[error("a closure ends before it starts")]
    BackwardsClosure,
}

impl Calendar {
    /// Every minute of every day.
    pub fn always() -> Self {
        let all_day = vec![Shift { start: 0, end: DAY_MINUTES }];
        Self { week: std::array::from_fn(|_| all_day.clone()), holidays: BTreeSet::new(), closures: Vec::new() }
    }

    /// Working hours per weekday (Monday first), bank holidays and closures.
    pub fn new(
        week: [Vec<Shift>; 7],
        holidays: BTreeSet<NaiveDate>,
        closures: Vec<Closure>,
    ) -> Result<Self, CalendarError> {
        for (index, shifts) in week.iter().enumerate() {
            if shifts.windows(2).any(|pair| pair[0].end > pair[1].start) {
                let day = Weekday::try_from(index as u8).unwrap_or(Weekday::Mon);
                return Err(CalendarError::OverlappingShifts(day));
            }
        }
        if closures.iter().any(|c| c.to < c.from) {
            return Err(CalendarError::BackwardsClosure);
        }
        let mut closures = closures;
        closures.sort();
        Ok(Self { week, holidays, closures })
    }

    /// Monday to Friday, the same hours each day, less the division's bank holidays: the usual
    /// office ("Mon-Fri 09:00-17:00 UK time excluding bank holidays").
    pub fn office(shift: Shift, holidays: &BankHolidays, division: Division) -> Self {
        let weekday = vec![shift];
        let week = [weekday.clone(), weekday.clone(), weekday.clone(), weekday.clone(), weekday, vec![], vec![]];
        Self { week, holidays: holidays.dates(division), closures: Vec::new() }
    }

    /// The working intervals of one local day, closures taken out.
    fn day(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.holidays.contains(&date) {
            return Vec::new();
        }
        let shifts = &self.week[date.weekday().num_days_from_monday() as usize];
        let mut out = Vec::new();
        for shift in shifts {
            let (start, end) = (instant(date, shift.start, Edge::Start), instant(date, shift.end, Edge::End));
            if start < end {
                out.extend(less_closures(start, end, &self.closures));
            }
        }
        out
    }

    /// Working intervals from `from` on, clipped to start no earlier than it.
    fn forward(&self, from: DateTime<Utc>) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        // The day before too: a late shift on it may run past midnight UTC.
        let first = local_date(from) - Days::new(1);
        (0..SEARCH_DAYS)
            .filter_map(move |n| first.checked_add_days(Days::new(n)))
            .flat_map(move |date| self.day(date))
            .filter(move |(_, end)| *end > from)
            .map(move |(start, end)| (start.max(from), end))
    }

    /// Working intervals up to `to`, latest first, clipped to end no later than it.
    fn backward(&self, to: DateTime<Utc>) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let last = local_date(to) + Days::new(1);
        (0..SEARCH_DAYS)
            .filter_map(move |n| last.checked_sub_days(Days::new(n)))
            .flat_map(move |date| self.day(date).into_iter().rev())
            .filter(move |(start, _)| *start < to)
            .map(move |(start, end)| (start, end.min(to)))
    }

    /// The instant `duration` of working time after `from`; `from` itself if the duration is
    /// zero or less. `None` if the calendar has too little working time in the years ahead.
    pub fn add(&self, from: DateTime<Utc>, duration: Duration) -> Option<DateTime<Utc>> {
        if duration <= Duration::zero() {
            return Some(from);
        }
        let mut left = duration;
        for (start, end) in self.forward(from) {
            let here = end - start;
            if left <= here {
                return Some(start + left);
            }
            left -= here;
        }
        None
    }

    /// The instant `duration` of working time before `to` (the inverse of [`Calendar::add`]).
    pub fn subtract(&self, to: DateTime<Utc>, duration: Duration) -> Option<DateTime<Utc>> {
        if duration <= Duration::zero() {
            return Some(to);
        }
        let mut left = duration;
        for (start, end) in self.backward(to) {
            let here = end - start;
            if left <= here {
                return Some(end - left);
            }
            left -= here;
        }
        None
    }

    /// Working time in `[from, to)`; zero if `to` is not after `from`.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        let mut total = Duration::zero();
        for (start, end) in self.forward(from) {
            if start >= to {
                break;
            }
            total += end.min(to) - start;
        }
        total
    }

    /// `at` if it is working time, otherwise when working time next starts.
    pub fn next_working(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.forward(at).next().map(|(start, _)| start)
    }

    /// Whether `at` is working time.
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        self.next_working(at) == Some(at)
    }

    /// When a target started at `start` falls due.
    pub fn due(&self, start: DateTime<Utc>, target: Target) -> Option<DateTime<Utc>> {
        match target {
            Target::BusinessMinutes(minutes) => self.add(start, Duration::minutes(i64::from(minutes))),
            Target::CalendarMinutes(minutes) => Some(start + Duration::minutes(i64::from(minutes))),
            Target::WorkingDays(days) => self.close_of_working_day(local_date(start), days),
        }
    }

    /// The end of the last working interval of the `n`-th working day after `date`.
    fn close_of_working_day(&self, date: NaiveDate, n: u32) -> Option<DateTime<Utc>> {
        if n == 0 {
            return self.day(date).last().map(|(_, end)| *end);
        }
        let mut counted = 0;
        for offset in 1..SEARCH_DAYS {
            let day = date.checked_add_days(Days::new(offset))?;
            if let Some((_, end)) = self.day(day).last() {
                counted += 1;
                if counted == n {
                    return Some(*end);
                }
            }
        }
        None
    }
}

/// The local (UK) date of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// The instant a local wall-clock minute of `date` names. Minute 1440 is the next midnight. A
/// time the clocks skip (spring) is taken as the moment they skip to; a time they repeat
/// (autumn) as its first occurrence for a start and its second for an end, so a shift is never
/// shorter than the clock on the wall says.
fn instant(date: NaiveDate, minute: u16, edge: Edge) -> DateTime<Utc> {
    let (date, minute) = if minute >= DAY_MINUTES { (date + Days::new(1), 0) } else { (date, minute) };
    let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).unwrap_or_default();
    let local = date.and_time(time);
    match London.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => match edge {
            Edge::Start => first.with_timezone(&Utc),
            Edge::End => second.with_timezone(&Utc),
        },
        // In the spring gap: the first valid minute after it.
        LocalResult::None => (1..=120)
            .find_map(|m| London.from_local_datetime(&(local + Duration::minutes(m))).earliest())
            .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc)),
    }
}

/// `[start, end)` less every closure.
fn less_closures(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    closures: &[Closure],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut pieces = vec![(start, end)];
    for closure in closures.iter().filter(|c| c.from < end && c.to > start) {
        pieces = pieces
            .into_iter()
            .flat_map(|(s, e)| {
                let before = (s < closure.from).then(|| (s, e.min(closure.from)));
                let after = (e > closure.to).then(|| (s.max(closure.to), e));
                before.into_iter().chain(after)
            })
            .filter(|(s, e)| s < e)
            .collect();
    }
    pieces
}

#[cfg(test)]
mod tests;
