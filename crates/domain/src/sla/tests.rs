use super::*;
use crate::{
    CalendarId, QueryTypeId, SlaPolicyId, Timestamp,
    calendar::{BankHolidays, Calendar, Division, Shift},
    query::{Channel, Priority},
};
use proptest::prelude::*;

fn at(text: &str) -> Timestamp {
    Timestamp::from_datetime(chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339").to_utc())
}

fn office() -> Calendar {
    Calendar::office(Shift::hm((9, 0), (17, 0)).expect("a shift"), &BankHolidays::shipped(), Division::EnglandAndWales)
}

fn policy(definition: PolicyDefinition, position: i32) -> SlaPolicy {
    SlaPolicy { id: SlaPolicyId::new(), definition, position, version: 1 }
}

fn example(n: usize) -> SlaPolicy {
    let (id, definition) = examples().swap_remove(n);
    SlaPolicy { id, definition, position: i32::try_from(n).expect("small"), version: 1 }
}

fn eight_office_hours() -> SlaPolicy {
    let target = TargetSpec { calendar_id: CalendarId::new(), unit: TargetUnit::BusinessHours, amount: 8 };
    policy(
        PolicyDefinition {
            name: "Eight hours".into(),
            conditions: Conditions::default(),
            first_response: None,
            resolution: Some(target),
            due_soon: DueSoon::Percent(75),
            on_breach: Escalation::default(),
        },
        0,
    )
}

fn facts(priority: Priority) -> QueryFacts {
    QueryFacts { type_lineage: vec![], channel: Channel::Email, priority, customer_has_contact_needs: Some(false) }
}

fn start(kind: ClockKind, policy: &SlaPolicy, calendar: &Calendar, received: &str) -> Clock {
    Clock::start(kind, policy, calendar, at(received)).expect("a target of that kind").expect("reachable")
}

#[test]
fn severity_one_is_answered_within_30_minutes_around_the_clock() {
    // AFS-01 on Good Friday morning: the bank holiday makes no difference around the clock.
    let urgent = example(0);
    assert_eq!(select(&[example(1), urgent.clone()], &facts(Priority::Urgent)).map(|p| p.id), Some(urgent.id));
    let clock = start(ClockKind::FirstResponse, &urgent, &Calendar::always(), "2026-04-03T10:00:00Z");
    assert_eq!((clock.due_soon_at, clock.due_at), (at("2026-04-03T10:15:00Z"), at("2026-04-03T10:30:00Z")));
    assert_eq!(clock.state(at("2026-04-03T10:14:59Z")), ClockState::Running);
    assert_eq!(clock.state(at("2026-04-03T10:15:00Z")), ClockState::DueSoon);
    assert_eq!(clock.state(at("2026-04-03T10:30:00Z")), ClockState::Overdue);
    assert_eq!(clock.breached_at(at("2026-04-03T10:31:00Z")), Some(at("2026-04-03T10:30:00Z")));
}

#[test]
fn other_severities_are_worked_in_office_hours_less_bank_holidays() {
    // AFS-02: received on the Thursday before Easter at 16:30 BST; Good Friday and Easter Monday
    // are off in England, so one working day ends on Tuesday at 17:00 BST.
    let normal = example(1);
    assert_eq!(select(&[example(0), normal.clone()], &facts(Priority::Normal)).map(|p| p.id), Some(normal.id));
    let clock = start(ClockKind::FirstResponse, &normal, &office(), "2026-04-02T15:30:00Z");
    assert_eq!(clock.due_at, at("2026-04-07T16:00:00Z"));
}

#[test]
fn a_pause_gives_back_only_the_working_time_that_was_left() {
    // Received Monday 2 March 09:00 (GMT) with eight working hours: due 17:00 the same day,
    // due soon at 15:00 (75%). Waiting on the customer from 13:00 to Wednesday 10:00 leaves
    // four hours, so it is due on Wednesday at 14:00 and due soon at 12:00.
    let calendar = office();
    let mut clock = start(ClockKind::Resolution, &eight_office_hours(), &calendar, "2026-03-02T09:00:00Z");
    assert_eq!((clock.due_soon_at, clock.due_at), (at("2026-03-02T15:00:00Z"), at("2026-03-02T17:00:00Z")));
    clock.pause(at("2026-03-02T13:00:00Z"));
    assert_eq!(clock.state(at("2026-03-03T12:00:00Z")), ClockState::Paused, "not overdue while waiting");
    assert_eq!(clock.remaining(at("2026-03-03T12:00:00Z"), &calendar), chrono::Duration::hours(4));
    clock.resume(at("2026-03-04T10:00:00Z"), &calendar).expect("reachable");
    assert_eq!((clock.due_soon_at, clock.due_at), (at("2026-03-04T12:00:00Z"), at("2026-03-04T14:00:00Z")));
    clock.stop(at("2026-03-04T13:59:00Z"));
    assert_eq!(clock.state(at("2026-03-05T00:00:00Z")), ClockState::Met);
    assert_eq!(clock.breached_at(at("2026-03-05T00:00:00Z")), None);
}

#[test]
fn a_clock_paused_or_stopped_late_stays_breached_at_its_due_time() {
    let calendar = office();
    let mut late = start(ClockKind::Resolution, &eight_office_hours(), &calendar, "2026-03-02T09:00:00Z");
    late.pause(at("2026-03-03T10:00:00Z"));
    assert_eq!(late.state(at("2026-03-03T11:00:00Z")), ClockState::Overdue);
    late.resume(at("2026-03-04T10:00:00Z"), &calendar).expect("reachable");
    assert_eq!(late.due_at, at("2026-03-02T17:00:00Z"), "a due time already passed does not move");
    late.stop(at("2026-03-04T11:00:00Z"));
    assert_eq!(late.state(at("2026-03-04T12:00:00Z")), ClockState::Missed);
    assert_eq!(late.breached_at(at("2026-03-04T12:00:00Z")), Some(at("2026-03-02T17:00:00Z")));

    // Stopped while paused: it stops where it paused.
    let mut waiting = start(ClockKind::Resolution, &eight_office_hours(), &calendar, "2026-03-02T09:00:00Z");
    waiting.pause(at("2026-03-02T10:00:00Z"));
    waiting.stop(at("2026-03-09T10:00:00Z"));
    assert_eq!(
        (waiting.stopped_at, waiting.state(at("2026-03-10T00:00:00Z"))),
        (Some(at("2026-03-02T10:00:00Z")), ClockState::Met)
    );
}

#[test]
fn reopening_counts_on_from_what_was_left() {
    let calendar = office();
    let mut clock = start(ClockKind::Resolution, &eight_office_hours(), &calendar, "2026-03-02T09:00:00Z");
    clock.stop(at("2026-03-02T11:00:00Z"));
    clock.restart(at("2026-03-03T09:00:00Z"), &calendar).expect("reachable");
    assert_eq!((clock.stopped_at, clock.due_at), (None, at("2026-03-03T15:00:00Z")), "six hours were left");
}

#[test]
fn minutes_before_due_is_counted_in_working_time() {
    let mut eight = eight_office_hours();
    eight.definition.due_soon = DueSoon::MinutesBefore(120);
    // Received Friday 6 March 13:00: due Monday 13:00, due soon two working hours before:
    // Monday 11:00, not Monday 09:00 less the weekend.
    let clock = start(ClockKind::Resolution, &eight, &office(), "2026-03-06T13:00:00Z");
    assert_eq!((clock.due_soon_at, clock.due_at), (at("2026-03-09T11:00:00Z"), at("2026-03-09T13:00:00Z")));
}

#[test]
fn conditions_select_the_first_matching_policy_in_order() {
    let parent = QueryTypeId::new();
    let child = QueryTypeId::new();
    let for_type = |name: &str, ids: Vec<QueryTypeId>, position| {
        let mut p = eight_office_hours();
        p.definition.name = name.into();
        p.definition.conditions.query_type_ids = ids;
        p.position = position;
        p
    };
    let planning = for_type("Planning", vec![parent], 1);
    let catch_all = for_type("Everything", vec![], 2);
    let mut vulnerable = for_type("Contact needs", vec![], 0);
    vulnerable.definition.conditions.customer = Some(CustomerCondition::HasContactNeeds);
    let policies = [catch_all.clone(), planning.clone(), vulnerable.clone()];

    let mut sub_type = facts(Priority::Normal);
    sub_type.type_lineage = vec![child, parent];
    assert_eq!(select(&policies, &sub_type).map(|p| p.id), Some(planning.id), "a sub-type inherits");
    sub_type.customer_has_contact_needs = Some(true);
    assert_eq!(select(&policies, &sub_type).map(|p| p.id), Some(vulnerable.id), "earlier in the order");
    let mut anonymous = facts(Priority::Low);
    anonymous.customer_has_contact_needs = None;
    assert_eq!(select(&policies, &anonymous).map(|p| p.id), Some(catch_all.id));
    vulnerable.definition.conditions.customer = Some(CustomerCondition::Anonymous);
    assert!(vulnerable.definition.conditions.matches(&anonymous));
    assert_eq!(select(&[planning], &anonymous), None, "no policy, no clock");
}

#[test]
fn a_definition_names_each_field_at_fault() {
    let mut bad = eight_office_hours().definition;
    bad.name = "  ".into();
    bad.resolution = bad.resolution.map(|t| TargetSpec { amount: 0, ..t });
    bad.due_soon = DueSoon::Percent(100);
    let errors = bad.check().expect_err("refused");
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "resolution.amount", "due_soon.percent"]);
    let mut neither = eight_office_hours().definition;
    neither.resolution = None;
    assert_eq!(neither.check().expect_err("refused").0[0].field, "resolution");
    for (_, example) in examples() {
        example.check().expect("the shipped examples are valid");
    }
}

#[test]
fn alerts_come_due_soon_then_overdue_and_overdue_alone_after_downtime() {
    use alert::{AlertKind, alert_due, first_look, next_look};
    let urgent = example(0);
    let mut clock = start(ClockKind::FirstResponse, &urgent, &Calendar::always(), "2026-04-03T10:00:00Z");
    assert_eq!(first_look(&clock), Some(at("2026-04-03T10:15:00Z")));
    assert_eq!(alert_due(&clock, at("2026-04-03T10:14:59Z")), None);
    assert_eq!(alert_due(&clock, at("2026-04-03T10:15:00Z")), Some(AlertKind::DueSoon));
    assert_eq!(next_look(&clock, AlertKind::DueSoon), Some(at("2026-04-03T10:30:00Z")));
    // A sweep that first looks after the due time (the service was down) sends "overdue" only.
    assert_eq!(alert_due(&clock, at("2026-04-03T10:30:00Z")), Some(AlertKind::Overdue));
    assert_eq!(next_look(&clock, AlertKind::Overdue), None);
    // A paused or stopped clock calls for nothing and is not looked at.
    clock.pause(at("2026-04-03T10:20:00Z"));
    assert_eq!((alert_due(&clock, at("2026-04-03T11:00:00Z")), first_look(&clock)), (None, None));
    clock.stop(at("2026-04-03T10:25:00Z"));
    assert_eq!((alert_due(&clock, at("2026-04-03T11:00:00Z")), first_look(&clock)), (None, None));
    assert_eq!(AlertKind::parse("overdue"), Some(AlertKind::Overdue));
    // Said in UK time: 10:30 UTC on 3 April is 11:30 British Summer Time.
    assert_eq!(alert::message(AlertKind::Overdue, &clock), "First response was due by 11:30am on 3 April 2026.");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// However long a pause, the working time left before it is the working time left after.
    #[test]
    fn a_pause_keeps_the_working_time_left(
        received in 0i64..60 * 24 * 120,
        paused_after in 0i64..60 * 24 * 10,
        pause_for in 0i64..60 * 24 * 20,
        hours in 1u32..40,
    ) {
        let calendar = office();
        let mut policy = eight_office_hours();
        policy.definition.resolution = policy.definition.resolution.map(|t| TargetSpec { amount: hours, ..t });
        let received = at("2026-01-01T00:00:00Z").plus_seconds(received * 60);
        let mut clock = Clock::start(ClockKind::Resolution, &policy, &calendar, received).expect("set").expect("reachable");
        let paused = received.plus_seconds(paused_after * 60);
        clock.pause(paused);
        let left = clock.remaining(paused, &calendar);
        let resumed = paused.plus_seconds(pause_for * 60);
        clock.resume(resumed, &calendar).expect("reachable");
        prop_assert_eq!(clock.remaining(resumed, &calendar), left);
        prop_assert!(clock.due_at >= resumed || left == chrono::Duration::zero());
        if left > chrono::Duration::zero() {
            prop_assert!(calendar.is_working(clock.due_at.as_datetime() - chrono::Duration::seconds(1)));
        }
    }
}
