//! A date and time as one GOV.UK question (day, month, year and a 24-hour time), read as
//! London time, for when a contact happened. Defaults to now: most are recorded as they end.

use leptos::prelude::*;

use crate::forms::{ErrorMessage, FormErrors, FormGroup};
use crate::time::LondonTime;

#[derive(Clone, Copy, Debug)]
pub struct When {
    day: RwSignal<String>,
    month: RwSignal<String>,
    year: RwSignal<String>,
    time: RwSignal<String>,
    /// The time the form started with, to tell whether the officer changed it.
    initial: LondonTime,
}

impl When {
    pub fn now() -> Self {
        let now = LondonTime::now();
        Self {
            day: RwSignal::new(now.day.to_string()),
            month: RwSignal::new(now.month.to_string()),
            year: RwSignal::new(now.year.to_string()),
            time: RwSignal::new(format!("{:02}:{:02}", now.hour, now.minute)),
            initial: now,
        }
    }

    /// Whether the date and time are still the ones the form started with: then "now" is
    /// meant, to the second, and the server's clock says it best (the form has only minutes,
    /// which would put the contact before things that happened earlier in the same minute).
    pub fn untouched(self) -> bool {
        self.read().is_ok_and(|at| at == self.initial)
    }

    /// The London time typed, or a message saying what is wrong with it.
    pub fn read(self) -> Result<LondonTime, &'static str> {
        let number = |signal: RwSignal<String>| signal.get_untracked().trim().parse::<u32>().ok();
        let Some(date) = number(self.day)
            .zip(number(self.month))
            .zip(number(self.year))
            .and_then(|((d, m), y)| LondonTime::new(i32::try_from(y).ok()?, m, d, 0, 0))
        else {
            return Err("Date must be a real date, like 27 3 2026");
        };
        let time = self.time.get_untracked();
        let (hour, minute) = time.trim().split_once([':', '.']).unwrap_or((time.trim(), ""));
        hour.trim()
            .parse::<u32>()
            .ok()
            .zip(minute.trim().parse::<u32>().ok())
            .and_then(|(h, m)| LondonTime::new(date.year, date.month, date.day, h, m))
            .ok_or("Time must be a real time in 24-hour format, like 09:30 or 14:05")
    }
}

/// The inputs; `id` is the field name errors are filed under, and the day input's id.
#[component]
pub fn WhenInputs(
    id: &'static str,
    legend: &'static str,
    hint: &'static str,
    when: When,
    errors: Signal<FormErrors>,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message(id)));
    let described_by =
        move || if error.with(Option::is_some) { format!("{id}-hint {id}-error") } else { format!("{id}-hint") };
    let part = move |part_id: String,
                     label: &'static str,
                     value: RwSignal<String>,
                     width: &'static str,
                     mode: &'static str| {
        let class = move || {
            let error_class = if error.with(Option::is_some) { " govuk-input--error" } else { "" };
            format!("govuk-input govuk-date-input__input {width}{error_class}")
        };
        view! {
            <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                    <label class="govuk-label govuk-date-input__label" for=part_id.clone()>{label}</label>
                    <input class=class id=part_id.clone() name=part_id type="text" inputmode=mode autocomplete="off"
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                </div>
            </div>
        }
    };
    view! {
        <FormGroup error=error>
            <fieldset class="govuk-fieldset" role="group" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                <div class="govuk-hint" id=format!("{id}-hint")>{hint}</div>
                {move || error.get().map(|message| view! { <ErrorMessage id=format!("{id}-error") message/> })}
                <div class="govuk-date-input">
                    {part(id.to_owned(), "Day", when.day, "govuk-input--width-2", "numeric")}
                    {part(format!("{id}-month"), "Month", when.month, "govuk-input--width-2", "numeric")}
                    {part(format!("{id}-year"), "Year", when.year, "govuk-input--width-4", "numeric")}
                    // The time needs its colon, so not numeric.
                    {part(format!("{id}-time"), "Time", when.time, "govuk-input--width-4", "text")}
                </div>
            </fieldset>
        </FormGroup>
    }
}
