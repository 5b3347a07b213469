//! `/admin/jobs`: the work the servers do on a timetable for the organisation (alerts for
//! queries due soon or overdue; later mail, document scans and reports): what waits, what is
//! running, and what has failed, with its last error and a retry.

use crate::tasks::spawn;
use api_types::{Job, JobList, JobState, PermissionArea, PermissionLevel, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, Select, SuccessBanner, describe};
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Caption, Column, Table, column};
use crate::time;

const JOB_COLUMNS: &[Column] =
    &[column("Job"), column("State"), column("Runs at"), Column::numeric("Attempts"), column("Last error"), ACTIONS];

/// The filter's options: (value sent as `state`, text).
fn state_options() -> Vec<(String, String)> {
    [("", "All jobs"), ("failed", "Failed"), ("pending", "Pending"), ("running", "Running"), ("done", "Done")]
        .into_iter()
        .map(|(value, text)| (value.to_owned(), text.to_owned()))
        .collect()
}

/// A GOV.UK tag in words (colour is never the only signal).
fn state_tag(state: JobState) -> impl IntoView {
    let (class, text) = match state {
        JobState::Pending => ("govuk-tag govuk-tag--grey", "Pending"),
        JobState::Running => ("govuk-tag govuk-tag--blue", "Running"),
        JobState::Done => ("govuk-tag govuk-tag--green", "Done"),
        JobState::Failed => ("govuk-tag govuk-tag--red", "Failed"),
    };
    view! { <strong class=class>{text}</strong> }
}

#[component]
pub fn Jobs() -> impl IntoView {
    let session = Session::expect();
    let errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| dom::set_title("Scheduled jobs", errors.with(|e| !e.is_empty())));
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let jobs = RwSignal::new(None::<Result<JobList, Problem>>);
    let chosen = RwSignal::new(String::new());
    let flash = RwSignal::new(None::<String>);
    let reload = move || {
        let state = chosen.get_untracked();
        spawn(async move {
            let result = api::jobs::list(Some(state.as_str()).filter(|s| !s.is_empty())).await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            jobs.set(Some(result));
        })
    };
    reload();
    let show = move |ev: SubmitEvent| {
        ev.prevent_default();
        flash.set(None);
        reload();
    };
    let retry = move |job: Job| {
        spawn(async move {
            match api::jobs::retry(job.id).await {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    flash.set(Some(format!("The {} job will run again shortly", job.kind)));
                    dom::focus_soon(BANNER_ID);
                    reload();
                }
                Err(problem) => {
                    session.show_failure(errors, &problem);
                }
            }
        });
    };
    let can_retry = level >= PermissionLevel::Full;
    let list = move || match jobs.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="govuk-body" id="no-jobs">"There are no jobs to show."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list.items.into_iter().map(|job| view! { <JobRow job can_retry retry/> }).collect_view();
            view! {
                <Table id="jobs" caption="Jobs, most recently changed first" caption_size=Caption::Medium
                    columns=JOB_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-full">
                <ErrorSummary errors=Signal::from(errors)/>
                <h1 class="govuk-heading-l">"Scheduled jobs"</h1>
                <p class="govuk-body">"Work the service does on a timetable, such as alerts for queries due soon or overdue. A job that fails is tried again after a pause; one that runs out of attempts waits here for you to retry it."</p>
                <form novalidate=true on:submit=show class="app-inline-form govuk-!-margin-bottom-4" aria-label="Which jobs">
                    <Select id="job-state" label="Show" value=chosen options=Signal::derive(state_options)
                        errors=Signal::from(errors) label_class="govuk-label--s"/>
                    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                        "Show jobs"
                    </button>
                </form>
                {list}
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn JobRow(job: Job, can_retry: bool, retry: impl Fn(Job) + Copy + Send + Sync + 'static) -> impl IntoView {
    let (runs, runs_iso) = time::date_time(&job.run_at);
    let attempts = format!("{} of {}", job.attempts, job.max_attempts);
    let action = (can_retry && job.state == JobState::Failed).then(|| {
        let target = job.clone();
        let kind = job.kind.clone();
        view! {
            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                data-module="govuk-button" on:click=move |_| retry(target.clone())>
                "Retry"<span class="govuk-visually-hidden">" the "{kind}" job"</span>
            </button>
        }
    });
    view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header"><code>{job.kind.clone()}</code></th>
            <td class="govuk-table__cell">{state_tag(job.state)}</td>
            <td class="govuk-table__cell"><time datetime=runs_iso>{runs}</time></td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{attempts}</td>
            <td class="govuk-table__cell app-wrap-anywhere">{job.last_error.clone().unwrap_or_default()}</td>
            <td class="govuk-table__cell">{action}</td>
        </tr>
    }
}
