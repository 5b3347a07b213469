//! Calendars between the wire ("09:00", weekday names, GOV.UK's division names) and the
//! domain (minutes since local midnight, Monday first).

use crate::problem::ApiError;
use api_types::{BankHolidayDivision, BusinessCalendar, CalendarInput, ClosureTimes, DayHours, ShiftTimes, Weekday};
use domain::{
    FieldError,
    calendar::{CalendarDefinition, ClosureEntry, DAY_MINUTES, Division, NamedCalendar},
};

pub fn division_out(division: Division) -> BankHolidayDivision {
    match division {
        Division::EnglandAndWales => BankHolidayDivision::EnglandAndWales,
        Division::Scotland => BankHolidayDivision::Scotland,
        Division::NorthernIreland => BankHolidayDivision::NorthernIreland,
    }
}

fn division_in(division: BankHolidayDivision) -> Division {
    match division {
        BankHolidayDivision::EnglandAndWales => Division::EnglandAndWales,
        BankHolidayDivision::Scotland => Division::Scotland,
        BankHolidayDivision::NorthernIreland => Division::NorthernIreland,
    }
}

/// "HH:MM" as minutes since midnight; "24:00" only where a shift may end.
fn minutes(text: &str, may_be_midnight: bool) -> Option<u16> {
    if may_be_midnight && text == "24:00" {
        return Some(DAY_MINUTES);
    }
    let (hours, mins) = text.split_once(':')?;
    if hours.len() != 2 || mins.len() != 2 {
        return None;
    }
    let (hours, mins) = (hours.parse::<u16>().ok()?, mins.parse::<u16>().ok()?);
    (hours < 24 && mins < 60).then_some(hours * 60 + mins)
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn calendar_out(calendar: &NamedCalendar) -> BusinessCalendar {
    let definition = &calendar.definition;
    let week = Weekday::ALL
        .into_iter()
        .zip(&definition.week)
        .map(|(day, shifts)| DayHours {
            day,
            shifts: shifts.iter().map(|&(start, end)| ShiftTimes { start: clock(start), end: clock(end) }).collect(),
        })
        .collect();
    BusinessCalendar {
        id: calendar.id.as_uuid(),
        name: definition.name.clone(),
        built_in: calendar.built_in,
        week,
        bank_holidays: definition.division.map(division_out),
        closures: definition
            .closures
            .iter()
            .map(|c| ClosureTimes { from: c.from, to: c.to, reason: c.reason.clone() })
            .collect(),
        version: calendar.version,
    }
}

/// A checked definition from an administrator's input; every field at fault is named.
pub fn definition_of(input: &CalendarInput) -> Result<CalendarDefinition, ApiError> {
    let mut errors = Vec::new();
    let mut week: [Vec<(u16, u16)>; 7] = Default::default();
    let mut seen = [false; 7];
    for (index, day) in input.week.iter().enumerate() {
        let slot = Weekday::ALL.iter().position(|d| *d == day.day).unwrap_or_default();
        if std::mem::replace(&mut seen[slot], true) {
            errors.push(FieldError::new(format!("week[{index}].day"), "repeated", "Give each weekday once"));
            continue;
        }
        for (n, shift) in day.shifts.iter().enumerate() {
            let (start, end) = (minutes(shift.start.trim(), false), minutes(shift.end.trim(), true));
            let bad = |part: &str| {
                FieldError::new(format!("week[{index}].shifts[{n}].{part}"), "invalid_time", "Enter a time like 09:00")
            };
            match (start, end) {
                (Some(start), Some(end)) => week[slot].push((start, end)),
                (None, _) => errors.push(bad("start")),
                (_, None) => errors.push(bad("end")),
            }
        }
    }
    let definition = CalendarDefinition {
        name: input.name.trim().to_owned(),
        week,
        division: input.bank_holidays.map(division_in),
        closures: input
            .closures
            .iter()
            .map(|c| ClosureEntry { from: c.from, to: c.to, reason: c.reason.trim().to_owned() })
            .collect(),
    };
    if let Err(found) = definition.check() {
        // The domain names weekday slots (`week[2][1]`); the wire names the input's entries.
        errors.extend(found.0.into_iter().map(|mut e| {
            e.field = wire_field(&e.field, input);
            e
        }));
    }
    if errors.is_empty() { Ok(definition) } else { Err(ApiError::Validation(errors)) }
}

/// `week[slot][n]` (Monday-first slots) as the input's `week[i].shifts[n]`.
fn wire_field(field: &str, input: &CalendarInput) -> String {
    let Some(rest) = field.strip_prefix("week[") else { return field.to_owned() };
    let Some((slot, tail)) = rest.split_once(']') else { return field.to_owned() };
    let Ok(slot) = slot.parse::<usize>() else { return field.to_owned() };
    let Some(index) = input.week.iter().position(|d| Some(&d.day) == Weekday::ALL.get(slot)) else {
        return field.to_owned();
    };
    match tail.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(n) => format!("week[{index}].shifts[{n}]"),
        None => format!("week[{index}].shifts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_strictly() {
        assert_eq!(minutes("09:00", false), Some(540));
        assert_eq!(minutes("23:59", false), Some(1439));
        assert_eq!(minutes("24:00", true), Some(1440));
        for bad in ["24:00", "9:00", "09:60", "ab:cd", "0900", "09:00:00", ""] {
            assert_eq!(minutes(bad, false), None, "{bad}");
        }
        assert_eq!(clock(1440), "24:00");
    }
}
