//! `/admin/calendars`: the business calendars service levels count working time on, the bank
//! holidays in force, and a preview: "a query received at … would be due at …".

use api_types::{
    BankHolidayDivision, BankHolidaySource, BankHolidaySummary, BusinessCalendar, DayHours, DuePreviewRequest,
    PermissionArea, PermissionLevel, TargetUnit,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::dom;
use crate::forms::{ErrorSummary, FormErrors, RadioOption, Radios, Select, TextInput, describe, focus_error_summary};
use crate::pages::problem::NoAccess;
use crate::pages::queries::when::{When, WhenInputs};
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};
use crate::tasks::spawn;
use crate::time::{LondonTime, from_millis, millis_of};

const CALENDAR_COLUMNS: &[Column] = &[column("Calendar"), column("Working hours"), column("Bank holidays")];
const HOLIDAY_COLUMNS: &[Column] = &[column("Nation"), Column::numeric("Bank holidays"), column("Known until")];
const FIELDS: [&str; 3] = ["calendar", "start", "amount"];

pub fn division_name(division: BankHolidayDivision) -> &'static str {
    match division {
        BankHolidayDivision::EnglandAndWales => "England and Wales",
        BankHolidayDivision::Scotland => "Scotland",
        BankHolidayDivision::NorthernIreland => "Northern Ireland",
    }
}

/// "Monday to Friday 09:00 to 17:00" where the weekdays share hours, otherwise day by day.
fn hours_text(week: &[DayHours]) -> String {
    let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let hours = |day: &DayHours| {
        day.shifts.iter().map(|s| format!("{} to {}", s.start, s.end)).collect::<Vec<_>>().join(" and ")
    };
    let worked: Vec<(usize, String)> =
        week.iter().enumerate().filter(|(_, d)| !d.shifts.is_empty()).map(|(i, d)| (i, hours(d))).collect();
    match worked.as_slice() {
        [] => "Never".to_owned(),
        all if all.len() == 7 && all.iter().all(|(_, h)| *h == "00:00 to 24:00") => {
            "Every minute of every day".to_owned()
        }
        [(first, h), ..]
            if worked.iter().all(|(_, other)| other == h)
                && worked.iter().enumerate().all(|(n, (i, _))| *i == first + n) =>
        {
            let last = worked.last().map_or(*first, |(i, _)| *i);
            format!("{} to {} {h}", names[*first], names[last])
        }
        _ => worked.iter().map(|(i, h)| format!("{} {h}", names[*i])).collect::<Vec<_>>().join("; "),
    }
}

#[component]
pub fn Calendars() -> impl IntoView {
    Effect::new(|_| dom::set_title("Calendars", false));
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let calendars = RwSignal::new(None::<Result<Vec<BusinessCalendar>, String>>);
    let holidays = RwSignal::new(None::<Result<BankHolidaySummary, String>>);
    spawn(async move {
        calendars.set(Some(api::calendars::list().await.map(|l| l.items).map_err(|p| describe(&p))));
        holidays.set(Some(api::calendars::bank_holidays().await.map_err(|p| describe(&p))));
    });
    let calendar_table = move || {
        calendars.get().map(|loaded| match loaded {
            Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
            Ok(items) => {
                let rows = items
                    .into_iter()
                    .map(|c| {
                        let holidays = c.bank_holidays.map_or("Worked through", division_name);
                        view! {
                            <tr class="govuk-table__row">
                                <th scope="row" class="govuk-table__header app-wrap-anywhere">
                                    {c.name.clone()}
                                    {c.built_in.then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Built in"</strong> })}
                                </th>
                                <td class="govuk-table__cell">{hours_text(&c.week)}</td>
                                <td class="govuk-table__cell">{holidays}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! { <Table id="calendars" caption="Calendars" columns=CALENDAR_COLUMNS>{rows}</Table> }.into_any()
            }
        })
    };
    let holiday_table = move || {
        holidays.get().map(|loaded| match loaded {
            Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
            Ok(summary) => {
                let source = match summary.source {
                    BankHolidaySource::Shipped => "The bank holidays that come with Casedesk.".to_owned(),
                    BankHolidaySource::Uploaded => "Your organisation’s copy of GOV.UK’s bank holidays.".to_owned(),
                };
                let rows = summary
                    .divisions
                    .into_iter()
                    .map(|d| {
                        let until = d.last.map(|date| date.format("%-d %B %Y").to_string()).unwrap_or_default();
                        view! {
                            <tr class="govuk-table__row">
                                <th scope="row" class="govuk-table__header">{division_name(d.division)}</th>
                                <td class="govuk-table__cell govuk-table__cell--numeric">{d.count.to_string()}</td>
                                <td class="govuk-table__cell">{until}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <Table id="bank-holidays" caption="Bank holidays" caption_size=Caption::Medium columns=HOLIDAY_COLUMNS>{rows}</Table>
                    <p class="govuk-body">{source}</p>
                }
                .into_any()
            }
        })
    };
    view! {
        <h1 class="govuk-heading-l">"Calendars"</h1>
        <p class="govuk-body">"Service levels count working time on a calendar: its working hours in UK time, less bank holidays and closures."</p>
        {calendar_table}
        {holiday_table}
        {move || calendars.get().and_then(Result::ok).map(|items| view! { <DuePreviewForm calendars=items/> })}
    }
    .into_any()
}

/// "A query received at … would be due at …", on any calendar.
#[component]
fn DuePreviewForm(calendars: Vec<BusinessCalendar>) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let chosen = RwSignal::new(calendars.first().map(|c| c.id.to_string()).unwrap_or_default());
    let options = Signal::stored(calendars.iter().map(|c| (c.id.to_string(), c.name.clone())).collect::<Vec<_>>());
    let when = When::now();
    let unit = RwSignal::new(Some(TargetUnit::BusinessMinutes));
    let amount = RwSignal::new(String::from("480"));
    let answer = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut fields = Vec::new();
        let start = when.read().map_err(|message| fields.push(("start", message.to_owned())));
        let amount =
            amount.get_untracked().trim().replace(',', "").parse::<u32>().ok().filter(|n| (1..=100_000).contains(n));
        if amount.is_none() {
            fields.push(("amount", "Enter a whole number from 1 to 100,000".to_owned()));
        }
        let id = Uuid::parse_str(&chosen.get_untracked()).ok();
        if id.is_none() {
            fields.push(("calendar", "Choose a calendar".to_owned()));
        }
        let (Ok(start), Some(amount), Some(id), Some(unit)) = (start, amount, id, unit.get_untracked()) else {
            errors.set(FormErrors::fields(fields));
            focus_error_summary();
            return;
        };
        let Some(start) = from_millis(start.to_millis()) else { return };
        errors.set(FormErrors::default());
        let request = DuePreviewRequest { start, unit, amount };
        spawn(async move {
            match api::calendars::due(id, &request).await {
                Ok(preview) => answer.set(Some(match preview.due {
                    Some(due) => {
                        let at = LondonTime::at(millis_of(&due));
                        format!("It would be due on {} at {}.", at.date_text(), at.time_text())
                    }
                    None => "This calendar has no working time in the next three years.".to_owned(),
                })),
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &FIELDS));
                    focus_error_summary();
                }
            }
        });
    };
    let option = |value, label: &str| RadioOption { value, label: label.to_owned(), hint: None };
    let units = vec![
        option(TargetUnit::BusinessMinutes, "Working minutes"),
        option(TargetUnit::CalendarMinutes, "Minutes on the clock"),
        option(TargetUnit::WorkingDays, "Working days"),
    ];
    let errors_signal = Signal::from(errors);
    view! {
        <h2 class="govuk-heading-m">"When would it be due?"</h2>
        <ErrorSummary errors=errors_signal/>
        <form method="post" novalidate=true on:submit=submit class="govuk-!-width-two-thirds">
            <Select id="calendar" label="Calendar" value=chosen options errors=errors_signal label_class="govuk-label--s"/>
            <WhenInputs id="start" legend="Received" hint="For example, 2 4 2026 at 16:30" when errors=errors_signal/>
            <Radios name="unit" legend="Allowed time in" options=units value=unit errors=errors_signal inline=true/>
            <TextInput id="amount" label="How many" value=amount errors=errors_signal class="govuk-input--width-5"/>
            <button type="submit" class="govuk-button" data-module="govuk-button">"Work out the due time"</button>
        </form>
        <div aria-live="polite">
            {move || answer.get().map(|text| view! {
                <div class="govuk-inset-text" id="due-preview">{text}</div>
            })}
        </div>
    }
}
