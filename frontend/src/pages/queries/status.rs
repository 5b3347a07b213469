//! A query's status: the form to change it (only the moves its workflow allows, with `If-Match`
//! so two officers cannot silently overwrite each other) and the history of every status it
//! has been in.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{
    ChangeStatusRequest, MoveWorkflowRequest, Query, QueryTransitions, StatusHistory, TransitionRequirement,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::{ErrorMessage, FormErrors, FormGroup, TextArea, focus_error_summary};
use crate::pages::queries::words::{StatusBadge, Statuses};
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};
use crate::time;

const FIELD: &str = "status_id";
const SUMMARY: &str = "resolution_summary";
const REASON: &str = "reason";
const CHANGED_ELSEWHERE: &str = "This query was changed by someone else; reload the page to see the latest.";

const STATUS_HISTORY_COLUMNS: &[Column] =
    &[column("When (newest first)"), column("Status"), column("Previous status"), column("Summary or reason")];

/// "Change status": only the moves the query's workflow allows this user from where it is,
/// each asking for what the workflow says (a resolution summary to resolve, a reason to
/// reopen). `on_changed` gets the query as saved; `errors` belong to the page, whose error
/// summary sits at its top as GOV.UK asks.
#[component]
pub fn ChangeStatus(
    query: Query,
    statuses: Statuses,
    errors: RwSignal<FormErrors>,
    on_changed: Callback<Query>,
) -> impl IntoView {
    let session = Session::expect();
    let moves = RwSignal::new(None::<QueryTransitions>);
    let chosen = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let (id, version) = (query.id, query.version);
    spawn(async move {
        match api::workflows::transitions(id).await {
            Ok(found) => moves.set(Some(found)),
            Err(problem) => session.notice(&problem),
        }
    });
    // What the chosen move asks for.
    let needs = Memo::new(move |_| {
        let to = Uuid::parse_str(&chosen.get()).ok();
        moves.with(|m| {
            m.as_ref()
                .and_then(|m| m.transitions.iter().find(|t| Some(t.to_status_id) == to))
                .map(|t| t.requires.clone())
                .unwrap_or_default()
        })
    });
    let asks = move |requirement: TransitionRequirement| needs.with(|n| n.contains(&requirement));

    let failed = move |problem: api_types::Problem| {
        session.notice(&problem);
        let shown = if problem.code == ProblemCode::PreconditionFailed || problem.status == 412 {
            FormErrors { fields: Vec::new(), general: Some(CHANGED_ELSEWHERE.to_owned()) }
        } else {
            FormErrors::from_problem(&problem, &[FIELD, SUMMARY, REASON])
        };
        errors.set(shown);
        focus_error_summary();
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(status_id) = Uuid::parse_str(&chosen.get_untracked()) else {
            errors.set(FormErrors::field(FIELD, "Select the status to move the query to"));
            focus_error_summary();
            return;
        };
        let given = |text: RwSignal<String>, requirement| {
            asks(requirement).then(|| text.get_untracked().trim().to_owned()).filter(|t| !t.is_empty())
        };
        let request = ChangeStatusRequest {
            status_id,
            resolution_summary: given(summary, TransitionRequirement::ResolutionSummary),
            reason: given(reason, TransitionRequirement::Reason),
        };
        pending.set(true);
        spawn(async move {
            match api::queries::change_status(id, version, &request).await {
                Ok(saved) => {
                    errors.set(FormErrors::default());
                    on_changed.run(saved);
                }
                Err(problem) => failed(problem),
            }
            pending.set(false);
        });
    };
    let move_workflow = move |_| {
        spawn(async move {
            match api::workflows::move_query(id, version, &MoveWorkflowRequest { status_id: None }).await {
                Ok(saved) => on_changed.run(saved),
                Err(problem) => failed(problem),
            }
        });
    };

    let error = Memo::new(move |_| errors.with(|e| e.message(FIELD)));
    let options = move || {
        let allowed = moves.with(|m| m.as_ref().map(|m| m.transitions.clone()).unwrap_or_default());
        std::iter::once(view! { <option value="" selected=true>"Choose a status"</option> }.into_any())
            .chain(allowed.into_iter().map(|t| {
                let name = statuses.name(t.to_status_id);
                view! { <option value=t.to_status_id.to_string()>{name}</option> }.into_any()
            }))
            .collect_view()
    };
    let form = move || {
        let Some(found) = moves.get() else {
            return view! { <h2 class="govuk-heading-m">"Change status"</h2><p class="govuk-body">"Loading…"</p> }
                .into_any();
        };
        let another = found.applies_workflow_id != found.workflow_id;
        let newer = (another || found.current_version > found.workflow_version).then(|| {
            let now = if another {
                "its type now has a workflow of its own. ".to_owned()
            } else {
                format!("version {} is current. ", found.current_version)
            };
            view! {
                <div class="govuk-inset-text">
                    "This query follows version "{found.workflow_version}" of its workflow; "{now}
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                        data-module="govuk-button" on:click=move_workflow>"Move it to the current workflow"</button>
                </div>
            }
        });
        if found.transitions.is_empty() {
            return view! {
                <h2 class="govuk-heading-m">"Change status"</h2>
                {newer}
                <p class="govuk-body" id="no-status-moves">"Its workflow offers you no change of status from here."</p>
            }
            .into_any();
        }
        let no_errors: Signal<FormErrors> = errors.into();
        view! {
            {newer}
            <form method="post" novalidate=true on:submit=submit>
                <FormGroup error=error>
                    <h2 class="govuk-label-wrapper">
                        <label class="govuk-label govuk-label--m" for=FIELD>"Change status"</label>
                    </h2>
                    <div class="govuk-hint" id=format!("{FIELD}-hint")>"The moves its workflow allows from here"</div>
                    {move || error.get().map(|message| view! { <ErrorMessage id=format!("{FIELD}-error") message/> })}
                    <select class="govuk-select" id=FIELD name=FIELD
                        aria-describedby=move || {
                            if error.with(Option::is_some) { format!("{FIELD}-hint {FIELD}-error") } else { format!("{FIELD}-hint") }
                        }
                        prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {options}
                    </select>
                </FormGroup>
                {move || asks(TransitionRequirement::ResolutionSummary).then(|| view! {
                    <TextArea id=SUMMARY label="Resolution summary" value=summary errors=no_errors
                        hint="What was done to resolve the query; kept with its history"/>
                })}
                {move || asks(TransitionRequirement::Reason).then(|| view! {
                    <TextArea id=REASON label="Reason" value=reason errors=no_errors hint="Why the status is changing"/>
                })}
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    aria-disabled=move || pending.get().then_some("true")>"Save status"</button>
            </form>
        }
        .into_any()
    };
    view! { <div class="govuk-!-margin-bottom-6" id="change-status">{form}</div> }
}

/// Every status the query has been in, newest first, names resolved from the tenant's list.
#[component]
pub fn HistoryTable(history: Signal<Option<StatusHistory>>, statuses: Statuses) -> impl IntoView {
    let rows = move || {
        let mut items = history.get().map(|h| h.items).unwrap_or_default();
        items.reverse();
        items
            .into_iter()
            .map(|change| {
                let (at, iso) = time::date_time(&change.at);
                let to = statuses.find(change.to_status_id);
                let from = change.from_status_id.map(|id| statuses.name(id));
                view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell"><time datetime=iso>{at}</time></td>
                        <td class="govuk-table__cell">
                            {match to {
                                Some(status) => view! { <StatusBadge status/> }.into_any(),
                                None => "Unknown status".into_any(),
                            }}
                        </td>
                        <td class="govuk-table__cell">{from.unwrap_or_else(|| "None (logged)".to_owned())}</td>
                        <td class="govuk-table__cell app-wrap-anywhere app-pre-line">
                            {change.resolution_summary.or(change.reason).unwrap_or_default()}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Table id="status-history" caption="Status history" caption_size=Caption::Medium columns=STATUS_HISTORY_COLUMNS>
            {rows}
        </Table>
    }
}
