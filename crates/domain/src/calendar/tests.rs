use super::*;
use proptest::prelude::*;

/// A UK local wall-clock time as the UTC instant it names (unambiguous times only).
fn uk(date: &str, time: &str) -> DateTime<Utc> {
    let local = chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").expect("a time");
    London.from_local_datetime(&local).single().expect("unambiguous").with_timezone(&Utc)
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("RFC 3339").with_timezone(&Utc)
}

fn nine_to_five(division: Division) -> Calendar {
    Calendar::office(Shift::hm((9, 0), (17, 0)).expect("a shift"), &BankHolidays::shipped(), division)
}

fn hours(n: i64) -> Duration {
    Duration::hours(n)
}

#[test]
fn the_shipped_bank_holidays_cover_every_division_to_2028() {
    let shipped = BankHolidays::parse(SHIPPED_FOR_TEST).expect("the shipped file parses");
    for division in Division::ALL {
        assert!(shipped.last_date(division) >= NaiveDate::from_ymd_opt(2028, 12, 25), "{division:?}");
    }
    let scotland = shipped.dates(Division::Scotland);
    assert!(scotland.contains(&NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date")), "2 January in Scotland");
    assert!(!shipped.dates(Division::EnglandAndWales).contains(&NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date")));
    let ni = shipped.dates(Division::NorthernIreland);
    assert!(ni.contains(&NaiveDate::from_ymd_opt(2026, 3, 17).expect("a date")), "St Patrick's Day");
    // 12 July 2026 is a Sunday: only the Monday substitute is a day off.
    assert!(ni.contains(&NaiveDate::from_ymd_opt(2026, 7, 13).expect("a date")));
    assert!(!ni.contains(&NaiveDate::from_ymd_opt(2026, 7, 12).expect("a date")));
    assert_eq!(BankHolidays::parse(&shipped.to_json()), Ok(shipped), "round trip");
}

const SHIPPED_FOR_TEST: &str = include_str!("bank-holidays.json");

#[test]
fn a_file_without_a_division_or_not_json_is_refused() {
    let two = r#"{"england-and-wales": {"division": "england-and-wales", "events": []},
                  "scotland": {"division": "scotland", "events": []}}"#;
    assert_eq!(BankHolidays::parse(two), Err(BankHolidaysError::MissingDivision("northern-ireland")));
    assert!(matches!(BankHolidays::parse("<html>"), Err(BankHolidaysError::Malformed(_))));
}

/// One hand-worked case: its name, the calendar, when the clock starts, the target, the due time.
type Case<'a> = (&'a str, &'a Calendar, DateTime<Utc>, Target, DateTime<Utc>);

/// Worked out by hand from the calendar and the bank-holiday lists (times in UK local time).
#[test]
fn due_times_agree_with_the_hand_worked_table() {
    let england = nine_to_five(Division::EnglandAndWales);
    let scotland = nine_to_five(Division::Scotland);
    let cases: [Case; 9] = [
        // Thursday 16:30 before Good Friday, 8 working hours: 30 minutes on Thursday; Good
        // Friday and (in England) Easter Monday off; 7h30 from 09:00 on the next working day.
        (
            "Easter, England",
            &england,
            uk("2026-04-02", "16:30"),
            Target::BusinessMinutes(480),
            uk("2026-04-07", "16:30"),
        ),
        (
            "Easter, Scotland",
            &scotland,
            uk("2026-04-02", "16:30"),
            Target::BusinessMinutes(480),
            uk("2026-04-06", "16:30"),
        ),
        // One working day: the close of the first working day after the Thursday.
        (
            "Easter, 1 day, England",
            &england,
            uk("2026-04-02", "16:30"),
            Target::WorkingDays(1),
            uk("2026-04-07", "17:00"),
        ),
        (
            "Easter, 1 day, Scotland",
            &scotland,
            uk("2026-04-02", "16:30"),
            Target::WorkingDays(1),
            uk("2026-04-06", "17:00"),
        ),
        // New Year: Scotland also has 2 January off.
        (
            "New Year, England",
            &england,
            uk("2025-12-31", "16:00"),
            Target::BusinessMinutes(120),
            uk("2026-01-02", "10:00"),
        ),
        (
            "New Year, Scotland",
            &scotland,
            uk("2025-12-31", "16:00"),
            Target::BusinessMinutes(120),
            uk("2026-01-05", "10:00"),
        ),
        // Across the spring change: 2 hours on Friday (GMT), 2 on Monday (BST).
        ("spring DST", &england, uk("2026-03-27", "15:00"), Target::BusinessMinutes(240), utc("2026-03-30T10:00:00Z")),
        // Across the autumn change: Friday 16:00 BST + 3 hours = Monday 11:00 GMT.
        ("autumn DST", &england, uk("2026-10-23", "16:00"), Target::BusinessMinutes(180), utc("2026-10-26T11:00:00Z")),
        // Received on a Saturday: the clock starts on Monday at 09:00.
        ("weekend", &england, uk("2026-06-13", "10:00"), Target::BusinessMinutes(30), uk("2026-06-15", "09:30")),
    ];
    for (name, calendar, start, target, due) in cases {
        assert_eq!(calendar.due(start, target), Some(due), "{name}");
    }
}

#[test]
fn a_24x7_calendar_counts_every_minute_through_both_clock_changes() {
    let always = Calendar::always();
    // 00:45 GMT on the spring Sunday + 30 minutes = 01:15 UTC (02:15 BST): no hour lost or added.
    let spring = utc("2026-03-29T00:45:00Z");
    assert_eq!(always.due(spring, Target::BusinessMinutes(30)), Some(utc("2026-03-29T01:15:00Z")));
    assert_eq!(always.due(spring, Target::CalendarMinutes(30)), Some(utc("2026-03-29T01:15:00Z")));
    // 00:30 BST on the autumn Sunday + 2 hours passes 01:00-02:00 twice on the wall: 01:30 UTC.
    let autumn = utc("2026-10-24T23:30:00Z");
    assert_eq!(always.due(autumn, Target::BusinessMinutes(120)), Some(utc("2026-10-25T01:30:00Z")));
    assert_eq!(always.between(utc("2026-10-24T23:00:00Z"), utc("2026-10-25T23:00:00Z")), hours(24));
    // The local day itself is 25 hours long.
    assert_eq!(always.between(uk("2026-10-25", "00:00"), uk("2026-10-26", "00:00")), hours(25));
    assert_eq!(always.between(uk("2026-03-29", "00:00"), uk("2026-03-30", "00:00")), hours(23));
}

#[test]
fn a_closure_is_not_working_time() {
    let holidays = BankHolidays::shipped();
    let shift = Shift::hm((9, 0), (17, 0)).expect("a shift");
    let base = Calendar::office(shift, &holidays, Division::EnglandAndWales);
    let christmas_eve = Closure { from: uk("2025-12-24", "12:00"), to: uk("2025-12-24", "17:00") };
    let closed = Calendar::new(base.week.clone(), base.holidays.clone(), vec![christmas_eve]).expect("valid");
    // 11:00 + 2 working hours: one before noon, then Christmas, Boxing Day, the weekend.
    let start = uk("2025-12-24", "11:00");
    assert_eq!(closed.due(start, Target::BusinessMinutes(120)), Some(uk("2025-12-29", "10:00")));
    assert_eq!(base.due(start, Target::BusinessMinutes(120)), Some(uk("2025-12-24", "13:00")));
    // The working day ends at the closure.
    assert_eq!(closed.due(uk("2025-12-23", "10:00"), Target::WorkingDays(1)), Some(uk("2025-12-24", "12:00")));
    assert!(!closed.is_working(uk("2025-12-24", "15:00")));
    assert!(closed.is_working(uk("2025-12-24", "11:59")));
}

#[test]
fn invalid_calendars_are_refused() {
    let shift = |a, b| Shift::hm((a, 0), (b, 0)).expect("a shift");
    let mut week: [Vec<Shift>; 7] = Default::default();
    week[2] = vec![shift(9, 13), shift(12, 17)];
    assert_eq!(Calendar::new(week, BTreeSet::new(), vec![]), Err(CalendarError::OverlappingShifts(Weekday::Wed)));
    let backwards = Closure { from: uk("2026-01-02", "12:00"), to: uk("2026-01-02", "11:00") };
    assert_eq!(
        Calendar::new(Default::default(), BTreeSet::new(), vec![backwards]),
        Err(CalendarError::BackwardsClosure)
    );
    assert_eq!(Shift::hm((17, 0), (9, 0)), None);
    assert_eq!(Shift::new(0, DAY_MINUTES + 1), None);
}

#[test]
fn a_calendar_without_working_time_gives_no_due_time() {
    let never = Calendar::new(Default::default(), BTreeSet::new(), vec![]).expect("valid");
    assert_eq!(never.due(utc("2026-01-05T09:00:00Z"), Target::BusinessMinutes(1)), None);
    assert_eq!(never.due(utc("2026-01-05T09:00:00Z"), Target::WorkingDays(1)), None);
    assert_eq!(never.due(utc("2026-01-05T09:00:00Z"), Target::CalendarMinutes(1)), Some(utc("2026-01-05T09:01:00Z")));
}

/// Instants from 2025 to 2027, at minute precision.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0_i64..3 * 365 * 24 * 60).prop_map(|minutes| utc("2025-01-01T00:00:00Z") + Duration::minutes(minutes))
}

/// A few working calendars: the office in each nation, split shifts with a Saturday morning,
/// and around the clock.
fn any_calendar() -> impl Strategy<Value = Calendar> {
    let holidays = BankHolidays::shipped();
    let split = {
        let shift = |a: (u16, u16), b: (u16, u16)| Shift::hm(a, b).expect("a shift");
        let weekday = vec![shift((8, 30), (12, 30)), shift((13, 15), (17, 45))];
        let week = [
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            vec![shift((8, 30), (16, 0))],
            vec![shift((9, 0), (12, 0))],
            vec![],
        ];
        Calendar::new(week, holidays.dates(Division::Scotland), vec![]).expect("valid")
    };
    prop_oneof![
        Just(nine_to_five(Division::EnglandAndWales)),
        Just(nine_to_five(Division::Scotland)),
        Just(nine_to_five(Division::NorthernIreland)),
        Just(split),
        Just(Calendar::always()),
    ]
}

/// Whether `at` is inside a working interval or at its end (where adding time may land).
fn inside_or_closing(calendar: &Calendar, at: DateTime<Utc>) -> bool {
    calendar.is_working(at) || calendar.is_working(at - Duration::minutes(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn adding_business_time_never_lands_outside_working_hours(
        calendar in any_calendar(), start in any_instant(), minutes in 1_i64..20_000,
    ) {
        let due = calendar.add(start, Duration::minutes(minutes)).expect("a due time");
        prop_assert!(inside_or_closing(&calendar, due), "{due} from {start} + {minutes} min");
        prop_assert_eq!(calendar.between(start, due), Duration::minutes(minutes));
    }

    #[test]
    fn subtracting_is_the_inverse_of_adding(
        calendar in any_calendar(), start in any_instant(), minutes in 1_i64..20_000,
    ) {
        let due = calendar.add(start, Duration::minutes(minutes)).expect("a due time");
        let back = calendar.subtract(due, Duration::minutes(minutes)).expect("a start");
        // Outside working hours the clock waits for the next working minute.
        prop_assert_eq!(Some(back), calendar.next_working(start));
    }

    #[test]
    fn adding_in_two_steps_is_adding_once(
        calendar in any_calendar(), start in any_instant(), a in 1_i64..5_000, b in 1_i64..5_000,
    ) {
        let once = calendar.add(start, Duration::minutes(a + b));
        let twice = calendar.add(start, Duration::minutes(a)).and_then(|mid| calendar.add(mid, Duration::minutes(b)));
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn working_days_end_at_a_close_of_work(calendar in any_calendar(), start in any_instant(), days in 1_u32..30) {
        let due = calendar.due(start, Target::WorkingDays(days)).expect("a due time");
        prop_assert!(due > start);
        prop_assert!(calendar.is_working(due - Duration::minutes(1)));
        prop_assert!(!calendar.is_working(due) || calendar == Calendar::always());
    }
}

#[test]
fn the_built_in_calendars_compute_as_their_names_say() {
    let holidays = BankHolidays::shipped();
    let built_in = built_in();
    assert_eq!(built_in.iter().map(|(id, _)| *id).collect::<Vec<_>>(), BUILT_IN);
    for (_, definition) in &built_in {
        assert_eq!(definition.check(), Ok(()), "{}", definition.name);
    }
    assert_eq!(built_in[0].1.calendar(&holidays), Calendar::always());
    assert_eq!(built_in[1].1.calendar(&holidays), nine_to_five(Division::EnglandAndWales));
    assert_eq!(built_in[2].1.calendar(&holidays), nine_to_five(Division::Scotland));
    assert_eq!(built_in[3].1.calendar(&holidays), nine_to_five(Division::NorthernIreland));
}

#[test]
fn a_definition_names_every_field_at_fault() {
    let mut week: [Vec<(u16, u16)>; 7] = Default::default();
    week[0] = vec![(9 * 60, 13 * 60), (12 * 60, 17 * 60)];
    week[1] = vec![(17 * 60, 9 * 60)];
    week[2] = vec![(0, 10), (20, 30), (40, 50), (60, 70), (80, 90)];
    let closure = |reason: &str| ClosureEntry {
        from: uk("2026-12-24", "12:00"),
        to: uk("2026-12-24", "11:00"),
        reason: reason.to_owned(),
    };
    let definition =
        CalendarDefinition { name: " ".into(), week, division: None, closures: vec![closure(&"x".repeat(201))] };
    let errors = definition.check().expect_err("invalid");
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "week[0][1]", "week[1][0]", "week[2]", "closures[0].to", "closures[0].reason"]);
}
