//! A query's status: the form to change it (with `If-Match`, so two officers cannot silently
//! overwrite each other) and the history of every status it has been in.

use crate::tasks::spawn;
use api_types::ProblemCode;
use api_types::{ChangeStatusRequest, Query, StatusHistory};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::forms::{ErrorMessage, FormErrors, FormGroup, focus_error_summary};
use crate::pages::queries::words::{StatusBadge, Statuses};
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};
use crate::time;

const FIELD: &str = "status_id";
const CHANGED_ELSEWHERE: &str = "This query was changed by someone else; reload the page to see the latest.";

const STATUS_HISTORY_COLUMNS: &[Column] = &[column("When (newest first)"), column("Status"), column("Previous status")];

/// "Change status": a select of the tenant's statuses. `on_changed` gets the query as saved;
/// `errors` belong to the page, whose error summary sits at its top as GOV.UK asks.
#[component]
pub fn ChangeStatus(
    query: Query,
    statuses: Statuses,
    errors: RwSignal<FormErrors>,
    on_changed: Callback<Query>,
) -> impl IntoView {
    let session = Session::expect();
    let chosen = RwSignal::new(query.status.id.to_string());
    let pending = RwSignal::new(false);
    let (id, version, current) = (query.id, query.version, query.status.id);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(status_id) = Uuid::parse_str(&chosen.get_untracked()) else { return };
        if status_id == current {
            errors.set(FormErrors::field(FIELD, "Select a status different from the current one"));
            focus_error_summary();
            return;
        }
        pending.set(true);
        spawn(async move {
            match api::queries::change_status(id, version, &ChangeStatusRequest { status_id }).await {
                Ok(saved) => {
                    errors.set(FormErrors::default());
                    on_changed.run(saved);
                }
                Err(problem) => {
                    session.notice(&problem);
                    let shown = if problem.code == ProblemCode::PreconditionFailed || problem.status == 412 {
                        FormErrors { fields: Vec::new(), general: Some(CHANGED_ELSEWHERE.to_owned()) }
                    } else {
                        FormErrors::from_problem(&problem, &[FIELD])
                    };
                    errors.set(shown);
                    focus_error_summary();
                }
            }
            pending.set(false);
        });
    };

    let error = Memo::new(move |_| errors.with(|e| e.message(FIELD)));
    let options = move || {
        statuses
            .0
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|status| {
                let value = status.id.to_string();
                let selected = status.id == current;
                view! { <option value=value selected=selected>{status.name}</option> }
            })
            .collect_view()
    };
    view! {
        <form method="post" novalidate=true on:submit=submit class="govuk-!-margin-bottom-6">
            <FormGroup error=error>
                <h2 class="govuk-label-wrapper">
                    <label class="govuk-label govuk-label--m" for=FIELD>"Change status"</label>
                </h2>
                {move || error.get().map(|message| view! { <ErrorMessage id=format!("{FIELD}-error") message/> })}
                <select class="govuk-select" id=FIELD name=FIELD
                    aria-describedby=move || error.with(Option::is_some).then(|| format!("{FIELD}-error"))
                    prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options}
                </select>
            </FormGroup>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                aria-disabled=move || pending.get().then_some("true")>"Save status"</button>
        </form>
    }
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
