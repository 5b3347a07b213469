//! `/admin/service-levels/new` and `/admin/service-levels/:id`: a service-level policy's
//! conditions, targets, due-soon point and escalation, with a preview of when a query received
//! at a chosen time would fall due under the policy as written (saved or not). Changes are
//! saved with `If-Match`; they apply to queries logged from then on.

use api_types::{
    DueSoon, DueSoonRule, Problem, QueryChannel, QueryPriority, SlaConditions, SlaCustomerCondition, SlaEscalation,
    SlaPolicy, SlaPolicyInput, SlaPreviewRequest, SlaTarget, SlaTargetUnit,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use crate::api;
use crate::dom;
use crate::forms::{
    ErrorSummary, FormErrors, RadioOption, Radios, Select, SubmitOrCancel, TextInput, focus_error_summary, write_errors,
};
use crate::pages::admin::can_administer;
use crate::pages::admin::service_levels::preview_lines;
use crate::pages::customer::load_failure;
use crate::pages::problem::NoAccess;
use crate::pages::queries::when::{When, WhenInputs};
use crate::pages::queries::words::{CHANNELS, channel_key, channel_name, priority_name};
use crate::session::Session;
use crate::tasks::spawn;
use crate::time::from_millis;

const FIELDS: [&str; 11] = [
    "name",
    "first_response",
    "first_response.calendar_id",
    "first_response.amount",
    "resolution",
    "resolution.calendar_id",
    "resolution.amount",
    "due_soon.percent",
    "due_soon.minutes_before",
    "on_breach.reassign_team_id",
    "received",
];
const PRIORITIES: [QueryPriority; 4] =
    [QueryPriority::Urgent, QueryPriority::High, QueryPriority::Normal, QueryPriority::Low];
const UNITS: [(SlaTargetUnit, &str, &str); 5] = [
    (SlaTargetUnit::BusinessMinutes, "business_minutes", "Working minutes"),
    (SlaTargetUnit::BusinessHours, "business_hours", "Working hours"),
    (SlaTargetUnit::WorkingDays, "working_days", "Working days"),
    (SlaTargetUnit::CalendarMinutes, "calendar_minutes", "Minutes on the clock"),
    (SlaTargetUnit::CalendarHours, "calendar_hours", "Hours on the clock"),
];

/// `/admin/service-levels/new` (no `:id`) or `/admin/service-levels/:id`.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let session = Session::expect();
    if !can_administer(session) {
        return view! { <NoAccess/> }.into_any();
    }
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let Some(id) = id else {
        return view! { <PolicyForm policy=None/> }.into_any();
    };
    let loaded = RwSignal::new(None::<Result<SlaPolicy, Problem>>);
    spawn(async move {
        let result = api::sla::get(&id).await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        loaded.set(Some(result));
    });
    (move || match loaded.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(policy)) => view! { <PolicyForm policy=Some(policy)/> }.into_any(),
    })
    .into_any()
}

/// One target's fields as typed: unit key ("" for none), calendar id and amount.
#[derive(Clone, Copy)]
struct TargetDraft {
    unit: RwSignal<String>,
    calendar: RwSignal<String>,
    amount: RwSignal<String>,
}

impl TargetDraft {
    fn of(target: Option<SlaTarget>) -> Self {
        let unit = target.and_then(|t| UNITS.iter().find(|(u, _, _)| *u == t.unit)).map(|(_, key, _)| *key);
        Self {
            unit: RwSignal::new(unit.unwrap_or_default().to_owned()),
            calendar: RwSignal::new(target.map(|t| t.calendar_id.to_string()).unwrap_or_default()),
            amount: RwSignal::new(target.map(|t| t.amount.to_string()).unwrap_or_default()),
        }
    }

    /// None when no unit is chosen; an unreadable amount or calendar goes to the server as 0
    /// or the nil id, which it refuses on the right field.
    fn read(self) -> Option<SlaTarget> {
        let unit = UNITS.iter().find(|(_, key, _)| *key == self.unit.get_untracked())?.0;
        Some(SlaTarget {
            calendar_id: self.calendar.get_untracked().parse().unwrap_or_default(),
            unit,
            amount: self.amount.get_untracked().trim().parse().unwrap_or(0),
        })
    }
}

/// Checkboxes for a list of choices under a legend.
#[component]
fn Choices<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    legend: &'static str,
    hint: &'static str,
    options: Vec<(T, String, String)>,
    chosen: RwSignal<Vec<T>>,
) -> impl IntoView {
    let boxes = options
        .into_iter()
        .map(|(value, key, label)| {
            let id = format!("{name}-{key}");
            view! {
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                        prop:checked=move || chosen.with(|c| c.contains(&value))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|v| *v != value);
                                if on {
                                    c.push(value);
                                }
                            });
                        }/>
                    <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    let hint_id = format!("{name}-hint");
    let described_by = hint_id.clone();
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                <div class="govuk-hint" id=hint_id>{hint}</div>
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">{boxes}</div>
            </fieldset>
        </div>
    }
}

/// A target's unit, calendar and amount. Field ids are the API's (`first_response.amount`).
#[component]
fn TargetFields(
    legend: &'static str,
    ids: [&'static str; 3],
    draft: TargetDraft,
    calendars: Signal<Vec<(String, String)>>,
    errors: Signal<FormErrors>,
) -> impl IntoView {
    let units = Signal::stored(
        std::iter::once((String::new(), "No target".to_owned()))
            .chain(UNITS.iter().map(|(_, key, text)| ((*key).to_owned(), (*text).to_owned())))
            .collect::<Vec<_>>(),
    );
    view! {
        <fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
            <Select id=ids[0] label="Counted in" value=draft.unit options=units errors label_class="govuk-label--s"/>
            <TextInput id=ids[2] label="How many" value=draft.amount errors input_type="number" class="govuk-input--width-5"/>
            <Select id=ids[1] label="On the calendar" value=draft.calendar options=calendars errors label_class="govuk-label--s"/>
        </fieldset>
    }
}

#[component]
fn PolicyForm(policy: Option<SlaPolicy>) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let title = if policy.is_some() { "Change service-level policy" } else { "Add a service-level policy" };
    Effect::new(move |_| dom::set_title(title, errors.with(|e| !e.is_empty())));
    let base = policy.clone();
    let name = RwSignal::new(base.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let conditions = base.as_ref().map(|p| p.conditions.clone()).unwrap_or_default();
    let priorities = RwSignal::new(conditions.priorities.clone());
    let channels = RwSignal::new(conditions.channels.clone());
    let customer = RwSignal::new(Some(match conditions.customer {
        None => 0u8,
        Some(SlaCustomerCondition::HasContactNeeds) => 1,
        Some(SlaCustomerCondition::Anonymous) => 2,
    }));
    let first_response = TargetDraft::of(base.as_ref().and_then(|p| p.first_response));
    let resolution = TargetDraft::of(base.as_ref().and_then(|p| p.resolution));
    let due_soon = base.as_ref().map_or(DueSoon { rule: DueSoonRule::Percent, value: 75 }, |p| p.due_soon);
    let due_rule = RwSignal::new(Some(due_soon.rule));
    let due_value = RwSignal::new(due_soon.value.to_string());
    let on_breach = base.as_ref().map(|p| p.on_breach).unwrap_or_default();
    let reassign = RwSignal::new(on_breach.reassign_team_id.map(|t| t.to_string()).unwrap_or_default());
    let notify = RwSignal::new(on_breach.notify_team_id.map(|t| t.to_string()).unwrap_or_default());

    let calendars = RwSignal::new(vec![(String::new(), "Choose a calendar".to_owned())]);
    let teams = RwSignal::new(vec![(String::new(), "No team".to_owned())]);
    spawn(async move {
        if let Ok(list) = api::calendars::list().await {
            calendars.update(|c| c.extend(list.items.into_iter().map(|cal| (cal.id.to_string(), cal.name))));
        }
        if let Ok(list) = api::teams::list().await {
            teams.update(|t| t.extend(list.items.into_iter().map(|team| (team.id.to_string(), team.name))));
        }
    });

    let input = move || SlaPolicyInput {
        name: name.get_untracked().trim().to_owned(),
        conditions: SlaConditions {
            query_type_ids: conditions.query_type_ids.clone(),
            channels: channels.get_untracked(),
            priorities: priorities.get_untracked(),
            customer: match customer.get_untracked() {
                Some(1) => Some(SlaCustomerCondition::HasContactNeeds),
                Some(2) => Some(SlaCustomerCondition::Anonymous),
                _ => None,
            },
        },
        first_response: first_response.read(),
        resolution: resolution.read(),
        due_soon: DueSoon {
            rule: due_rule.get_untracked().unwrap_or(DueSoonRule::Percent),
            value: due_value.get_untracked().trim().parse().unwrap_or(0),
        },
        on_breach: SlaEscalation {
            reassign_team_id: reassign.get_untracked().parse().ok(),
            notify_team_id: notify.get_untracked().parse().ok(),
        },
    };
    let input = StoredValue::new(input);

    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let existing = policy.as_ref().map(|p| (p.id, p.version));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let input = input.with_value(|read| read());
        if input.name.is_empty() {
            errors.set(FormErrors::field("name", "Enter a name for the policy"));
            focus_error_summary();
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn(async move {
            let result = match existing {
                Some((id, version)) => api::sla::update(id, version, &input).await,
                None => api::sla::create(&input).await,
            };
            match result {
                Ok(saved) => {
                    let verb = if existing.is_some() { "changed" } else { "added" };
                    session.flash.set(Some(format!("The policy {} has been {verb}", saved.name)));
                    navigate("/admin/service-levels", NavigateOptions::default());
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(write_errors(&problem, &FIELDS, "policy"));
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };

    // The preview works out due times for the policy as written, saved or not.
    let when = When::now();
    let answer = RwSignal::new(None::<Vec<String>>);
    let preview = move |_| {
        let received = match when.read() {
            Ok(received) => received,
            Err(message) => {
                errors.set(FormErrors::field("received", message));
                focus_error_summary();
                return;
            }
        };
        let Some(received_at) = from_millis(received.to_millis()) else { return };
        let request = SlaPreviewRequest { policy: input.with_value(|read| read()), received_at };
        spawn(async move {
            match api::sla::preview(&request).await {
                Ok(preview) => {
                    errors.set(FormErrors::default());
                    answer.set(Some(preview_lines(&preview)));
                }
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &FIELDS));
                    focus_error_summary();
                }
            }
        });
    };

    let errors = Signal::from(errors);
    let customer_options = vec![
        RadioOption { value: 0u8, label: "Any customer".to_owned(), hint: None },
        RadioOption { value: 1, label: "Customers with contact needs".to_owned(), hint: None },
        RadioOption { value: 2, label: "Anonymous contacts".to_owned(), hint: None },
    ];
    let rule_options = vec![
        RadioOption { value: DueSoonRule::Percent, label: "A percentage of the time allowed".to_owned(), hint: None },
        RadioOption {
            value: DueSoonRule::MinutesBefore,
            label: "Working minutes before it is due".to_owned(),
            hint: None,
        },
    ];
    let priority_options =
        PRIORITIES.iter().map(|p| (*p, format!("{p:?}").to_lowercase(), priority_name(*p).to_owned())).collect();
    let channel_options = CHANNELS
        .iter()
        .map(|c| (*c, channel_key(*c).to_owned(), channel_name(*c).to_owned()))
        .collect::<Vec<(QueryChannel, _, _)>>();
    let calendar_options = Signal::from(calendars);
    let team_options = Signal::from(teams);
    let due_value_id = move || match due_rule.get() {
        Some(DueSoonRule::MinutesBefore) => "due_soon.minutes_before",
        _ => "due_soon.percent",
    };
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1 class="govuk-heading-l">{title}</h1>
                <p class="govuk-body">"A policy applies to queries logged after it is saved. Queries it already times keep their due times until you re-time them."</p>
                <form method="post" novalidate=true on:submit=submit>
                    <TextInput id="name" label="Policy name" value=name errors/>
                    <h2 class="govuk-heading-m">"Which queries it covers"</h2>
                    <Choices name="priority" legend="Priority" hint="None ticked: any priority." options=priority_options chosen=priorities/>
                    <Choices name="channel" legend="Channel" hint="None ticked: any channel." options=channel_options chosen=channels/>
                    <Radios name="customer" legend="Customer" options=customer_options value=customer errors/>
                    <TargetFields legend="First response" ids=["first_response", "first_response.calendar_id", "first_response.amount"]
                        draft=first_response calendars=calendar_options errors/>
                    <TargetFields legend="Resolution" ids=["resolution", "resolution.calendar_id", "resolution.amount"]
                        draft=resolution calendars=calendar_options errors/>
                    <Radios name="due_soon.rule" legend="Due soon from" options=rule_options value=due_rule errors/>
                    {move || {
                        let id = due_value_id();
                        view! { <TextInput id label="Percentage or minutes" value=due_value errors input_type="number" class="govuk-input--width-5"/> }
                    }}
                    <h2 class="govuk-heading-m">"When it is breached"</h2>
                    <Select id="on_breach.reassign_team_id" label="Hand the query to" value=reassign options=team_options errors
                        hint="Its officer is released, and the team's members are told." label_class="govuk-label--s"/>
                    <Select id="on_breach.notify_team_id" label="Tell this team" value=notify options=team_options errors label_class="govuk-label--s"/>
                    <h2 class="govuk-heading-m">"Preview"</h2>
                    <WhenInputs id="received" legend="A query received" hint="For example, 2 4 2026 at 16:30" when errors/>
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" on:click=preview>
                        "Work out the due times"
                    </button>
                    <div aria-live="polite">
                        {move || answer.get().map(|lines| view! {
                            <div class="govuk-inset-text" id="policy-preview">
                                {lines.into_iter().map(|line| view! { <p class="govuk-body">{line}</p> }).collect_view()}
                            </div>
                        })}
                    </div>
                    <SubmitOrCancel label="Save policy" pending cancel="/admin/service-levels".to_owned()/>
                </form>
            </div>
        </div>
    }
}
