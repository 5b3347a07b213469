//! The query's own fields on "Log a query": channel, when it was received, priority, subject
//! and description. The customer part is in `customer_choice`.

use api_types::{CreateQueryRequest, Query, QueryChannel, QueryPriority, UpdateQueryRequest};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use crate::forms::{ErrorMessage, FormErrors, FormGroup, RadioOption, Radios, TextArea, TextInput};
use crate::pages::queries::words::{CHANNELS, PRIORITIES, channel_name, priority_name};
use crate::time::{self, LondonTime};

/// The API's field names for these inputs, in page order.
pub const FIELDS: [&str; 5] = ["channel", "received_at", "priority", "subject", "description"];

const RECEIVED: &str = "received_at";
/// The longest subject the API takes.
const SUBJECT_MAX_CHARS: usize = 200;

/// A new query's type and who works it (all optional).
#[derive(Clone, Copy, Debug, Default)]
pub struct Routing {
    pub type_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// What the query part of the form holds.
#[derive(Clone, Copy, Debug)]
pub struct QueryFields {
    pub channel: RwSignal<Option<QueryChannel>>,
    day: RwSignal<String>,
    month: RwSignal<String>,
    year: RwSignal<String>,
    time: RwSignal<String>,
    pub priority: RwSignal<Option<QueryPriority>>,
    subject: RwSignal<String>,
    description: RwSignal<String>,
    /// When a query being corrected was received: kept as it is unless the officer changes the
    /// minute shown (the form has no seconds, which would otherwise be lost on every save).
    original_received: Option<DateTime<Utc>>,
}

impl QueryFields {
    /// An empty form received now (London time): most queries are logged as they arrive, and a
    /// letter's date is easy to type over.
    pub fn now() -> Self {
        let now = LondonTime::now();
        Self {
            channel: RwSignal::new(None),
            day: RwSignal::new(now.day.to_string()),
            month: RwSignal::new(now.month.to_string()),
            year: RwSignal::new(now.year.to_string()),
            time: RwSignal::new(format!("{:02}:{:02}", now.hour, now.minute)),
            priority: RwSignal::new(Some(QueryPriority::Normal)),
            subject: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            original_received: None,
        }
    }

    /// The form filled in with a query as it is, to correct it.
    pub fn from_query(query: &Query) -> Self {
        let received = LondonTime::at(time::millis_of(&query.received_at));
        Self {
            channel: RwSignal::new(Some(query.channel)),
            day: RwSignal::new(received.day.to_string()),
            month: RwSignal::new(received.month.to_string()),
            year: RwSignal::new(received.year.to_string()),
            time: RwSignal::new(format!("{:02}:{:02}", received.hour, received.minute)),
            priority: RwSignal::new(Some(query.priority)),
            subject: RwSignal::new(query.subject.clone()),
            description: RwSignal::new(query.description.clone()),
            original_received: Some(query.received_at),
        }
    }

    /// The corrected query, for a form that passed [`Self::check`].
    pub fn to_update(self, customer_id: Option<Uuid>, type_id: Option<Uuid>) -> Option<UpdateQueryRequest> {
        let created = self.to_request(customer_id)?;
        let typed = created.received_at?;
        let unchanged = self.original_received.filter(|original| {
            let millis = time::millis_of(original);
            millis - millis.rem_euclid(60_000) == time::millis_of(&typed)
        });
        Some(UpdateQueryRequest {
            customer_id,
            channel: created.channel,
            priority: created.priority,
            subject: created.subject,
            description: created.description,
            received_at: unchanged.unwrap_or(typed),
            type_id,
        })
    }

    /// When it was received, or why that cannot be read. The server rejects times in the
    /// future; the date itself is checked here so a typo gets a precise message.
    fn received_at(self) -> Result<LondonTime, &'static str> {
        let number = |signal: RwSignal<String>| signal.get_untracked().trim().parse::<u32>().ok();
        let (day, month, year) = (number(self.day), number(self.month), number(self.year));
        let Some(date) =
            day.zip(month).zip(year).and_then(|((d, m), y)| LondonTime::new(i32::try_from(y).ok()?, m, d, 0, 0))
        else {
            return Err("Date received must be a real date, like 27 3 2026");
        };
        let time = self.time.get_untracked();
        let (hour, minute) = time.trim().split_once([':', '.']).unwrap_or((time.trim(), ""));
        let hour = hour.trim().parse::<u32>().ok();
        let minute = minute.trim().parse::<u32>().ok();
        hour.zip(minute)
            .and_then(|(h, m)| LondonTime::new(date.year, date.month, date.day, h, m))
            .ok_or("Time received must be a real time in 24-hour format, like 09:30 or 14:05")
    }

    /// Problems a person can fix before anything is sent: all of them at once, in the words
    /// the server would use, so a form never needs a second round of errors.
    pub fn check(self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if self.channel.get_untracked().is_none() {
            problems.push(("channel", "Select how the query was received".to_owned()));
        }
        if let Err(message) = self.received_at() {
            problems.push((RECEIVED, message.to_owned()));
        }
        let subject = self.subject.with_untracked(|s| s.trim().chars().count());
        if subject == 0 {
            problems.push(("subject", "Enter a summary of the query".to_owned()));
        } else if subject > SUBJECT_MAX_CHARS {
            problems.push(("subject", format!("Summary must be {SUBJECT_MAX_CHARS} characters or fewer")));
        }
        problems
    }

    /// The request, for a form that passed [`Self::check`].
    pub fn to_request(self, customer_id: Option<Uuid>) -> Option<CreateQueryRequest> {
        self.to_request_with(customer_id, Routing::default())
    }

    /// The request with its type and who works it, for a form that passed [`Self::check`].
    pub fn to_request_with(self, customer_id: Option<Uuid>, routing: Routing) -> Option<CreateQueryRequest> {
        let received = self.received_at().ok()?;
        Some(CreateQueryRequest {
            customer_id,
            channel: self.channel.get_untracked()?,
            priority: self.priority.get_untracked().unwrap_or_default(),
            subject: self.subject.get_untracked().trim().to_owned(),
            description: self.description.get_untracked().trim().to_owned(),
            received_at: time::from_millis(received.to_millis()),
            type_id: routing.type_id,
            assignee_id: routing.assignee_id,
            team_id: routing.team_id,
        })
    }
}

/// Channel, date and time received, priority, subject and description.
#[component]
pub fn QueryInputs(fields: QueryFields, errors: Signal<FormErrors>) -> impl IntoView {
    let channels = CHANNELS
        .into_iter()
        .map(|c| RadioOption { value: c, label: channel_name(c).to_owned(), hint: None })
        .collect::<Vec<_>>();
    let priorities = PRIORITIES
        .into_iter()
        .map(|p| RadioOption { value: p, label: priority_name(p).to_owned(), hint: None })
        .collect::<Vec<_>>();
    view! {
        <Radios name="channel" legend="How was the query received?" options=channels value=fields.channel errors/>
        <ReceivedAt fields errors/>
        <Radios name="priority" legend="Priority" options=priorities value=fields.priority errors inline=true/>
        <TextInput id="subject" label="Subject" value=fields.subject errors
            hint="A one-line summary of the query, up to 200 characters"/>
        <TextArea id="description" label="Description (optional)" value=fields.description errors
            hint="What the customer asked or told us, in their words where possible"/>
    }
}

/// The GOV.UK date input (day, month, year) and a time, as one question.
#[component]
fn ReceivedAt(fields: QueryFields, errors: Signal<FormErrors>) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.message(RECEIVED)));
    let described_by =
        move || if error.with(Option::is_some) { "received_at-hint received_at-error" } else { "received_at-hint" };
    let input_class = move |width: &'static str| {
        move || {
            let error_class = if error.with(Option::is_some) { " govuk-input--error" } else { "" };
            format!("govuk-input govuk-date-input__input {width}{error_class}")
        }
    };
    view! {
        <FormGroup error=error>
            <fieldset class="govuk-fieldset" role="group" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"When was it received?"</legend>
                <div class="govuk-hint" id="received_at-hint">
                    "For a letter, the date it arrived. Today or earlier. For example, 27 3 2026 at 14:05"
                </div>
                {move || error.get().map(|message| view! { <ErrorMessage id="received_at-error".to_owned() message/> })}
                <div class="govuk-date-input">
                    <DatePart id="received_at" label="Day" value=fields.day class=input_class("govuk-input--width-2")/>
                    <DatePart id="received_at-month" label="Month" value=fields.month class=input_class("govuk-input--width-2")/>
                    <DatePart id="received_at-year" label="Year" value=fields.year class=input_class("govuk-input--width-4")/>
                    <DatePart id="received_at-time" label="Time" value=fields.time class=input_class("govuk-input--width-4")
                        inputmode="text"/>
                </div>
            </fieldset>
        </FormGroup>
    }
}

#[component]
fn DatePart<C>(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    class: C,
    /// Numbers only, except the time, which needs its colon.
    #[prop(default = "numeric")]
    inputmode: &'static str,
) -> impl IntoView
where
    C: Fn() -> String + Send + Sync + 'static,
{
    view! {
        <div class="govuk-date-input__item">
            <div class="govuk-form-group">
                <label class="govuk-label govuk-date-input__label" for=id>{label}</label>
                <input class=class id=id name=id type="text" inputmode=inputmode autocomplete="off"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        </div>
    }
}
