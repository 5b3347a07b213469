//! Calendars as administrators define them: a name, working hours per weekday, whose bank
//! holidays apply, and closures. Four are built in and cannot be changed: around the clock, and
//! Monday to Friday 09:00 to 17:00 less each nation's bank holidays.

use super::{BankHolidays, Calendar, Closure, DAY_MINUTES, Division, Shift};
use crate::validation::{FieldError, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// At most this many shifts in a day and closures in a calendar.
pub const MAX_SHIFTS: usize = 4;
pub const MAX_CLOSURES: usize = 200;

/// A closure with the reason people see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureEntry {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub reason: String,
}

/// What is stored for a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDefinition {
    pub name: String,
    /// Monday first: each day's shifts as minutes since local midnight, in order.
    pub week: [Vec<(u16, u16)>; 7],
    /// Whose bank holidays are days off; none for a calendar that works through them.
    pub division: Option<Division>,
    pub closures: Vec<ClosureEntry>,
}

impl CalendarDefinition {
    /// Checks a definition as given (names the fields at fault: `week[2][1]`, `closures[0].to`).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required", "Enter a name for the calendar"));
        } else if name.chars().count() > 100 {
            errors.push(FieldError::new("name", "too_long", "Name must be 100 characters or fewer"));
        }
        for (day, shifts) in self.week.iter().enumerate() {
            if shifts.len() > MAX_SHIFTS {
                errors.push(FieldError::new(format!("week[{day}]"), "too_many", "Give at most 4 shifts a day"));
                continue;
            }
            for (index, &(start, end)) in shifts.iter().enumerate() {
                let field = format!("week[{day}][{index}]");
                if Shift::new(start, end).is_none() {
                    errors.push(FieldError::new(
                        field,
                        "invalid_shift",
                        "A shift must end after it starts, by midnight",
                    ));
                } else if index > 0 && shifts[index - 1].1 > start {
                    errors.push(FieldError::new(field, "overlapping", "Shifts must be in order and not overlap"));
                }
            }
        }
        if self.closures.len() > MAX_CLOSURES {
            errors.push(FieldError::new("closures", "too_many", "Give at most 200 closures"));
        }
        for (index, closure) in self.closures.iter().enumerate() {
            if closure.to <= closure.from {
                let field = format!("closures[{index}].to");
                errors.push(FieldError::new(field, "before_start", "A closure must end after it starts"));
            }
            if closure.reason.chars().count() > 200 {
                let field = format!("closures[{index}].reason");
                errors.push(FieldError::new(field, "too_long", "Reason must be 200 characters or fewer"));
            }
        }
        errors.into_result()
    }

    /// The calendar to compute with, using these bank holidays.
    pub fn calendar(&self, holidays: &BankHolidays) -> Calendar {
        let week = self.week.clone().map(|day| day.into_iter().filter_map(|(s, e)| Shift::new(s, e)).collect());
        let days_off = self.division.map(|d| holidays.dates(d)).unwrap_or_default();
        let closures = self.closures.iter().map(|c| Closure { from: c.from, to: c.to }).collect();
        // A stored definition was checked when saved; should one not be, it computes without
        // its closures rather than failing every query that uses it.
        Calendar::new(week.clone(), days_off.clone(), closures).unwrap_or(Calendar {
            week,
            holidays: days_off,
            closures: vec![],
        })
    }
}

/// A calendar: built in (its id one of [`BUILT_IN`], version 1, never changed) or kept by the
/// tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCalendar {
    pub id: crate::CalendarId,
    pub definition: CalendarDefinition,
    pub version: i64,
    pub built_in: bool,
}

impl NamedCalendar {
    /// The built-in calendars, as [`NamedCalendar`]s.
    pub fn built_in() -> Vec<NamedCalendar> {
        built_in()
            .into_iter()
            .map(|(id, definition)| NamedCalendar {
                id: crate::CalendarId::from_uuid(id),
                definition,
                version: 1,
                built_in: true,
            })
            .collect()
    }
}

/// The built-in calendars: fixed ids, so policies can name them in every tenant.
pub fn built_in() -> Vec<(Uuid, CalendarDefinition)> {
    let office = |name: &str, division| {
        let day = vec![(9 * 60, 17 * 60)];
        CalendarDefinition {
            name: name.to_owned(),
            week: [day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]],
            division: Some(division),
            closures: vec![],
        }
    };
    let always = CalendarDefinition {
        name: "24 hours, every day".to_owned(),
        week: std::array::from_fn(|_| vec![(0, DAY_MINUTES)]),
        division: None,
        closures: vec![],
    };
    vec![
        (BUILT_IN[0], always),
        (BUILT_IN[1], office("Office hours, England and Wales", Division::EnglandAndWales)),
        (BUILT_IN[2], office("Office hours, Scotland", Division::Scotland)),
        (BUILT_IN[3], office("Office hours, Northern Ireland", Division::NorthernIreland)),
    ]
}

/// The built-in calendars' ids, in the order of [`built_in`].
pub const BUILT_IN: [Uuid; 4] = [
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001),
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0002),
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0003),
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0004),
];
