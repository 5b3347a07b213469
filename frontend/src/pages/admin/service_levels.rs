//! `/admin/service-levels`: the organisation's service-level policies in the order they are
//! tried (the first whose conditions a query meets applies), links to add or change one, a way to
//! move one up or re-time its open queries, and a
//! preview: "a query received at … would be due at …" under a chosen policy.

use api_types::{
    PermissionArea, PermissionLevel, SlaCustomerCondition, SlaPolicy, SlaPolicyInput, SlaPolicyOrder,
    SlaPreviewRequest, SlaTarget, SlaTargetUnit,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, Select, SuccessBanner, describe, focus_error_summary};
use crate::pages::problem::NoAccess;
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::when::{When, WhenInputs};
use crate::pages::queries::words::{channel_name, priority_name};
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};
use crate::tasks::spawn;
use crate::time::{LondonTime, from_millis, millis_of};

const POLICY_COLUMNS: &[Column] = &[
    Column::numeric("Order"),
    column("Policy"),
    column("Covers"),
    column("First response"),
    column("Resolution"),
    ACTIONS,
];
const FIELDS: [&str; 2] = ["policy", "received"];

/// "30 minutes on the clock", "20 working days", "8 working hours".
fn target_text(target: Option<&SlaTarget>) -> String {
    let Some(target) = target else { return "No target".to_owned() };
    let n = target.amount;
    let plural = |one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    match target.unit {
        SlaTargetUnit::BusinessMinutes => plural("working minute", "working minutes"),
        SlaTargetUnit::BusinessHours => plural("working hour", "working hours"),
        SlaTargetUnit::WorkingDays => plural("working day", "working days"),
        SlaTargetUnit::CalendarMinutes => plural("minute on the clock", "minutes on the clock"),
        SlaTargetUnit::CalendarHours => plural("hour on the clock", "hours on the clock"),
    }
}

/// Which queries a policy covers, in words.
fn covers_text(policy: &SlaPolicy, types: QueryTypes) -> String {
    let c = &policy.conditions;
    let mut parts = Vec::new();
    if !c.priorities.is_empty() {
        let names: Vec<&str> = c.priorities.iter().map(|p| priority_name(*p)).collect();
        parts.push(format!("priority {}", names.join(" or ")));
    }
    if !c.channels.is_empty() {
        let names: Vec<&str> = c.channels.iter().map(|ch| channel_name(*ch)).collect();
        parts.push(format!("received by {}", names.join(" or ")));
    }
    if !c.query_type_ids.is_empty() {
        let names: Vec<String> = c.query_type_ids.iter().map(|t| types.label(*t)).collect();
        parts.push(format!("of type {}", names.join(" or ")));
    }
    match c.customer {
        Some(SlaCustomerCondition::HasContactNeeds) => parts.push("customers with contact needs".to_owned()),
        Some(SlaCustomerCondition::Anonymous) => parts.push("anonymous contacts".to_owned()),
        None => {}
    }
    if parts.is_empty() { "Every query".to_owned() } else { format!("Queries: {}", parts.join("; ")) }
}

/// "On breach: handed to Experts; Managers told", or nothing when a breach only alerts.
fn escalation_text(policy: &SlaPolicy, teams: &[api_types::Team]) -> Option<String> {
    let name = |id: uuid::Uuid| teams.iter().find(|t| t.id == id).map_or("a team".to_owned(), |t| t.name.clone());
    let mut parts = Vec::new();
    if let Some(team) = policy.on_breach.reassign_team_id {
        parts.push(format!("handed to {}", name(team)));
    }
    if let Some(team) = policy.on_breach.notify_team_id {
        parts.push(format!("{} told", name(team)));
    }
    (!parts.is_empty()).then(|| format!("On breach: {}", parts.join("; ")))
}

fn input_of(policy: &SlaPolicy) -> SlaPolicyInput {
    SlaPolicyInput {
        name: policy.name.clone(),
        conditions: policy.conditions.clone(),
        first_response: policy.first_response,
        resolution: policy.resolution,
        due_soon: policy.due_soon,
        on_breach: policy.on_breach,
    }
}

#[component]
pub fn ServiceLevels() -> impl IntoView {
    Effect::new(|_| dom::set_title("Service levels", false));
    let session = Session::expect();
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let types = QueryTypes::load(session);
    // Team names, for what a breach escalates to.
    let teams = RwSignal::new(Vec::<api_types::Team>::new());
    spawn(async move {
        if let Ok(list) = api::teams::list().await {
            teams.set(list.items);
        }
    });
    let policies = RwSignal::new(None::<Result<Vec<SlaPolicy>, String>>);
    let flash = RwSignal::new(session.take_flash());
    let errors = RwSignal::new(FormErrors::default());
    spawn(async move {
        let result = api::sla::list().await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        policies.set(Some(result.map(|list| list.items).map_err(|p| describe(&p))));
    });
    let move_up = move |policy: SlaPolicy| {
        let Some(Ok(current)) = policies.get_untracked() else { return };
        let mut ids: Vec<uuid::Uuid> = current.iter().map(|p| p.id).collect();
        let Some(at) = ids.iter().position(|id| *id == policy.id).filter(|at| *at > 0) else { return };
        ids.swap(at, at - 1);
        spawn(async move {
            match api::sla::order(&SlaPolicyOrder { ids }).await {
                Ok(list) => {
                    errors.set(FormErrors::default());
                    flash.set(Some(format!("{} is now tried earlier", policy.name)));
                    policies.set(Some(Ok(list.items)));
                    dom::focus_soon(BANNER_ID);
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let retime = move |policy: SlaPolicy| {
        spawn(async move {
            match api::sla::retime(policy.id).await {
                Ok(asked) => {
                    errors.set(FormErrors::default());
                    flash.set(Some(if asked.queued {
                        format!("Open queries under {} will be timed again (see Scheduled jobs)", policy.name)
                    } else {
                        format!("Re-timing under this version of {} was already asked for", policy.name)
                    }));
                    dom::focus_soon(BANNER_ID);
                }
                Err(problem) => session.show_failure(errors, &problem),
            }
        });
    };
    let can_order = level >= PermissionLevel::ReadWrite;
    let table = move || match policies.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
        Some(Ok(list)) => {
            let rows =
                list.iter()
                    .enumerate()
                    .map(|(n, policy)| {
                        let target = policy.clone();
                        let (again, again_name) = (policy.clone(), policy.name.clone());
                        let name = policy.name.clone();
                        let up = (can_order && n > 0).then(|| view! {
                        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                            data-module="govuk-button" on:click=move |_| move_up(target.clone())>
                            "Move up"<span class="govuk-visually-hidden">" "{name}</span>
                        </button>
                    });
                        let change = can_order.then(|| {
                            let (id, name) = (policy.id, policy.name.clone());
                            view! {
                                <a class="govuk-link" href=format!("/admin/service-levels/{id}")>
                                    "Change"<span class="govuk-visually-hidden">" "{name}</span>
                                </a>
                            }
                        });
                        let retime_button = can_order.then(|| view! {
                        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                            data-module="govuk-button" on:click=move |_| retime(again.clone())>
                            "Re-time open queries"<span class="govuk-visually-hidden">" under "{again_name}</span>
                        </button>
                    });
                        view! {
                            <tr class="govuk-table__row">
                                <td class="govuk-table__cell govuk-table__cell--numeric">{n + 1}</td>
                                <th scope="row" class="govuk-table__header app-wrap-anywhere">{policy.name.clone()}</th>
                                <td class="govuk-table__cell">
                                    {covers_text(policy, types)}
                                    {teams.with(|t| escalation_text(policy, t)).map(|text| view! { <br/><span class="govuk-hint govuk-!-margin-bottom-0">{text}</span> })}
                                </td>
                                <td class="govuk-table__cell">{target_text(policy.first_response.as_ref())}</td>
                                <td class="govuk-table__cell">{target_text(policy.resolution.as_ref())}</td>
                                <td class="govuk-table__cell"><div class="govuk-button-group govuk-!-margin-bottom-0">{change}{up}{retime_button}</div></td>
                            </tr>
                        }
                    })
                    .collect_view();
            view! {
                <Table id="policies" caption="Policies, in the order they are tried" caption_size=Caption::Medium
                    columns=POLICY_COLUMNS>
                    {rows}
                </Table>
                <PreviewForm policies=list/>
            }
            .into_any()
        }
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-full">
                <ErrorSummary errors=Signal::from(errors)/>
                <h1 class="govuk-heading-l">"Service levels"</h1>
                {(level >= PermissionLevel::ReadWrite).then(|| view! {
                    <a class="govuk-button" data-module="govuk-button" href="/admin/service-levels/new">"Add a policy"</a>
                })}
                <p class="govuk-body">"When a query is logged, the first policy whose conditions it meets sets how long it has for a first response and for resolution, counted from when it was received on the policy's calendar. Time waiting on the customer does not count. Changing a policy does not change the due times of queries already logged until you re-time its open queries."</p>
                {table}
            </div>
        </div>
    }
    .into_any()
}

/// What a preview answers, in sentences: each clock's due time and due-soon time, UK time.
pub fn preview_lines(preview: &api_types::SlaPreview) -> Vec<String> {
    let say = |what: &str, clock: &Option<api_types::ClockPreview>| match clock {
        Some(clock) => {
            let due = LondonTime::at(millis_of(&clock.due_at));
            let soon = LondonTime::at(millis_of(&clock.due_soon_at));
            format!(
                "{what} would be due on {} at {} (due soon from {} at {}).",
                due.date_text(),
                due.time_text(),
                soon.date_text(),
                soon.time_text()
            )
        }
        None => format!("{what}: no target."),
    };
    vec![say("A first response", &preview.first_response), say("Resolution", &preview.resolution)]
}

#[component]
fn PreviewForm(policies: Vec<SlaPolicy>) -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    let chosen = RwSignal::new(policies.first().map(|p| p.id.to_string()).unwrap_or_default());
    let options = Signal::stored(policies.iter().map(|p| (p.id.to_string(), p.name.clone())).collect::<Vec<_>>());
    let when = When::now();
    let answer = RwSignal::new(None::<Vec<String>>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut fields = Vec::new();
        let received = when.read().map_err(|message| fields.push(("received", message.to_owned())));
        let policy = policies.iter().find(|p| p.id.to_string() == chosen.get_untracked());
        if policy.is_none() {
            fields.push(("policy", "Choose a policy".to_owned()));
        }
        let (Ok(received), Some(policy)) = (received, policy) else {
            errors.set(FormErrors::fields(fields));
            focus_error_summary();
            return;
        };
        let Some(received_at) = from_millis(received.to_millis()) else { return };
        errors.set(FormErrors::default());
        let request = SlaPreviewRequest { policy: input_of(policy), received_at };
        spawn(async move {
            match api::sla::preview(&request).await {
                Ok(preview) => answer.set(Some(preview_lines(&preview))),
                Err(problem) => {
                    session.notice(&problem);
                    errors.set(FormErrors::from_problem(&problem, &FIELDS));
                    focus_error_summary();
                }
            }
        });
    };
    let errors_signal = Signal::from(errors);
    view! {
        <h2 class="govuk-heading-m">"When would a query be due?"</h2>
        <ErrorSummary errors=errors_signal/>
        <form method="post" novalidate=true on:submit=submit class="govuk-!-width-two-thirds">
            <Select id="policy" label="Policy" value=chosen options errors=errors_signal label_class="govuk-label--s"/>
            <WhenInputs id="received" legend="Received" hint="For example, 2 4 2026 at 16:30" when errors=errors_signal/>
            <button type="submit" class="govuk-button" data-module="govuk-button">"Work out the due times"</button>
        </form>
        <div aria-live="polite">
            {move || answer.get().map(|lines| view! {
                <div class="govuk-inset-text" id="sla-preview">
                    {lines.into_iter().map(|line| view! { <p class="govuk-body">{line}</p> }).collect_view()}
                </div>
            })}
        </div>
    }
}
