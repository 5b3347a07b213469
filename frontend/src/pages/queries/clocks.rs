//! A query's service levels beside the record: each clock's state in words (GOV.UK tag colours,
//! never colour alone), when it is due and the working time left. Read again after every change
//! the page makes and once a minute, so "due soon" and "overdue" appear without a reload.

use crate::tasks::spawn;
use api_types::{ClockKind, ClockState, QueryClock, QueryClockList};
use leptos::prelude::*;
use std::time::Duration;

use crate::api;
use crate::time;

/// How often an open query page reads its clocks again (for the working time left).
const REREAD: Duration = Duration::from_secs(60);
/// How often the page looks at the clock on the wall, to show "due soon" and "overdue" the
/// moment they arrive (no request: the due times are already here).
const LOOK: Duration = Duration::from_secs(5);

/// A counting clock's state at `now_millis`, moved on from what the server said when read.
fn state_at(clock: &QueryClock, now_millis: i64) -> ClockState {
    match clock.state {
        ClockState::Running | ClockState::DueSoon if now_millis >= time::millis_of(&clock.due_at) => {
            ClockState::Overdue
        }
        ClockState::Running if now_millis >= time::millis_of(&clock.due_soon_at) => ClockState::DueSoon,
        state => state,
    }
}

/// The tag a clock's state shows.
pub fn clock_tag(state: ClockState) -> (&'static str, &'static str) {
    match state {
        ClockState::Running => ("govuk-tag govuk-tag--blue", "On track"),
        ClockState::DueSoon => ("govuk-tag govuk-tag--yellow", "Due soon"),
        ClockState::Overdue => ("govuk-tag govuk-tag--red", "Overdue"),
        ClockState::Paused => ("govuk-tag govuk-tag--grey", "Paused"),
        ClockState::Met => ("govuk-tag govuk-tag--green", "Met"),
        ClockState::Missed => ("govuk-tag govuk-tag--orange", "Missed"),
    }
}

/// "2 hours 5 minutes", "45 minutes", "25 hours 1 minute": working time in hours, never
/// days, since a working day is not 24 hours (nor the same on every calendar).
fn working_time(minutes: i64) -> String {
    let plural = |n: i64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    let parts: Vec<String> = [(minutes / 60, "hour"), (minutes % 60, "minute")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| plural(n, unit))
        .collect();
    if parts.is_empty() { "no time".to_owned() } else { parts.join(" ") }
}

fn what(clock: &QueryClock) -> &'static str {
    match clock.kind {
        ClockKind::FirstResponse => "First response",
        ClockKind::Resolution => "Resolution",
    }
}

/// What the clock says, in a sentence.
fn sentence(clock: &QueryClock) -> String {
    let (due, _) = time::date_time(&clock.due_at);
    let at = |moment: &Option<chrono::DateTime<chrono::Utc>>| moment.as_ref().map(|m| time::date_time(m).0);
    match clock.state {
        ClockState::Running | ClockState::DueSoon => {
            format!("Due {due}: {} of working time left.", working_time(clock.remaining_minutes))
        }
        ClockState::Overdue => format!("Was due {due}."),
        ClockState::Paused => format!(
            "Waiting on the customer since {}: {} of working time left when it resumes.",
            at(&clock.paused_at).unwrap_or_default(),
            working_time(clock.remaining_minutes)
        ),
        ClockState::Met => format!("Done {}, in time (due {due}).", at(&clock.stopped_at).unwrap_or_default()),
        ClockState::Missed => format!("Done {}, after it was due {due}.", at(&clock.stopped_at).unwrap_or_default()),
    }
}

#[component]
pub fn ServiceLevels(query_id: uuid::Uuid, refresh: Signal<u32>) -> impl IntoView {
    let clocks = RwSignal::new(None::<QueryClockList>);
    let load = move || {
        spawn(async move {
            if let Ok(found) = api::queries::clocks(query_id).await {
                clocks.set(Some(found));
            }
        })
    };
    Effect::new(move |_| {
        refresh.track();
        load();
    });
    if let Ok(handle) = set_interval_with_handle(load, REREAD) {
        on_cleanup(move || handle.clear());
    }
    let now = RwSignal::new(time::now_millis());
    if let Ok(handle) = set_interval_with_handle(move || now.set(time::now_millis()), LOOK) {
        on_cleanup(move || handle.clear());
    }
    move || {
        let now = now.get();
        clocks.get().filter(|list| !list.items.is_empty()).map(|list| {
            let policy = list.items[0].policy_name.clone().unwrap_or_else(|| "A removed policy".to_owned());
            let rows = list
                .items
                .into_iter()
                .map(|mut clock| {
                    clock.state = state_at(&clock, now);
                    let (class, text) = clock_tag(clock.state);
                    let id = format!("clock-{}", if clock.kind == ClockKind::FirstResponse { "first-response" } else { "resolution" });
                    view! {
                        <div class="govuk-summary-list__row" id=id>
                            <dt class="govuk-summary-list__key">{what(&clock)}</dt>
                            <dd class="govuk-summary-list__value">
                                <strong class=class>{text}</strong>
                                <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{sentence(&clock)}</p>
                            </dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <h2 class="govuk-heading-m" id="service-levels">"Service level"</h2>
                <p class="govuk-body-s">{policy}</p>
                <dl class="govuk-summary-list govuk-summary-list--no-border" aria-labelledby="service-levels">{rows}</dl>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::working_time;

    #[test]
    fn working_time_reads_in_the_two_largest_units() {
        assert_eq!(working_time(0), "no time");
        assert_eq!(working_time(1), "1 minute");
        assert_eq!(working_time(125), "2 hours 5 minutes");
        assert_eq!(working_time(1440 + 61), "25 hours 1 minute");
    }
}
