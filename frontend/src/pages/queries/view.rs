//! `/queries/:id`: one query, its status (with the form to change it), who works it (with the
//! form to assign it), notes and contacts (with their forms), its timeline and status history,
//! and links to change, delete, share it or see its field-level history.

use crate::tasks::spawn;
use api_types::{Customer, PermissionArea, PermissionLevel, Problem, Query, StatusHistory};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::directory::Directory;
use crate::dom;
use crate::forms::{BANNER_ID, ErrorSummary, FormErrors, SuccessBanner};
use crate::pages::customer::load_failure;
use crate::pages::documents::{DocumentOwner, DocumentsPanel};
use crate::pages::problem::NoAccess;
use crate::pages::queries::assign::AssignForm;
use crate::pages::queries::clocks::ServiceLevels;
use crate::pages::queries::composer::Composer;
use crate::pages::queries::restriction::Restriction;
use crate::pages::queries::status::{ChangeStatus, HistoryTable};
use crate::pages::queries::timeline::QueryTimeline;
use crate::pages::queries::types::QueryTypes;
use crate::pages::queries::words::{StatusBadge, Statuses, channel_name, priority_name};
use crate::session::Session;
use crate::time;

#[component]
pub fn QueryDetails() -> impl IntoView {
    let session = Session::expect();
    let me = session.me_untracked();
    let level = me.as_ref().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Queries));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let documents_level = me.as_ref().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Documents));
    let can_see_customers = me.as_ref().is_some_and(|me| me.level(PermissionArea::Customers) >= PermissionLevel::Read);
    let flash = RwSignal::new(session.take_flash());
    let id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());

    let loaded = RwSignal::new(None::<Result<Query, Problem>>);
    let customer = RwSignal::new(None::<Customer>);
    let history = RwSignal::new(None::<StatusHistory>);
    let statuses = Statuses::load(session);
    let directory = Directory::load(session);
    let types = QueryTypes::load(session);
    let refresh = RwSignal::new(0_u32);
    {
        let id = id.clone();
        spawn(async move {
            let result = api::queries::get(&id).await;
            if let Err(problem) = &result {
                session.notice(problem);
            }
            let customer_id = result.as_ref().ok().and_then(|q| q.customer_id);
            let opened = result.as_ref().ok().map(|q| q.id);
            loaded.set(Some(result));
            if let Some(id) = opened {
                // For Home's "Recently viewed"; the page does not depend on it.
                spawn(async move { api::views::visited_query(id).await.unwrap_or_default() });
            }
            if let (Some(id), true) = (customer_id, can_see_customers)
                && let Ok(found) = api::customers::get(id).await
            {
                customer.set(Some(found));
            }
        });
    }
    // Loads (again, after a change) the status history.
    let reload_history = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn(async move {
                if let Ok(found) = api::queries::status_history(&id).await {
                    history.set(Some(found));
                }
            });
        }
    };
    reload_history();

    // A team-limited level covers only the queries of the user's teams (and their own).
    let may = move |needed: PermissionLevel, query: &Query| {
        me.as_ref().is_some_and(|me| me.may_act_on_query(needed, query.team_id, query.assignee_id))
    };
    let errors = RwSignal::new(FormErrors::default());
    let on_changed = {
        let reload_history = reload_history.clone();
        Callback::new(move |query: Query| {
            flash.set(Some(format!("Status changed to {}", query.status.name)));
            dom::focus_soon(BANNER_ID);
            loaded.set(Some(Ok(query)));
            reload_history();
            refresh.update(|n| *n += 1);
        })
    };
    let on_assigned = Callback::new(move |query: Query| {
        let message = match (query.assignee_id, query.team_id) {
            (None, None) => "Query unassigned".to_owned(),
            (Some(officer), _) => format!("Query assigned to {}", directory.user_name(officer)),
            (None, Some(team)) => format!("Query assigned to the team {}", directory.team_name(team)),
        };
        flash.set(Some(message));
        dom::focus_soon(BANNER_ID);
        loaded.set(Some(Ok(query)));
    });
    let on_restricted = Callback::new(move |query: Query| {
        flash.set(Some("Who can see this query has been saved".to_owned()));
        dom::focus_soon(BANNER_ID);
        loaded.set(Some(Ok(query)));
    });
    // The composer announces its own saves and keeps focus: only the timeline reloads.
    let on_note = Callback::new(move |()| refresh.update(|n| *n += 1));

    let page = move || match loaded.get() {
        None => {
            dom::set_title("Query", false);
            view! { <p class="govuk-body">"Loading…"</p> }.into_any()
        }
        Some(Err(problem)) => load_failure(problem),
        Some(Ok(query)) => {
            let title = format!("{}: {}", query.reference, query.subject);
            Effect::new(move |_| dom::set_title(&title, errors.with(|e| !e.is_empty())));
            if flash.with_untracked(Option::is_some) {
                dom::focus_soon(BANNER_ID);
            }
            let can_change = may(PermissionLevel::ReadWrite, &query);
            view! {
                {move || flash.get().map(|message| view! { <SuccessBanner message/> })}
                <ErrorSummary errors=errors.into()/>
                <h1 class="govuk-heading-l app-wrap-anywhere">
                    <span class="govuk-caption-l">{query.reference.clone()}</span>
                    " "{query.subject.clone()}
                </h1>
                <KeyDetails query=query.clone() customer=customer.into() can_see_customers directory types/>
                <div class="govuk-grid-row">
                    <div class="govuk-grid-column-two-thirds">
                        <h2 class="govuk-heading-m">"Description"</h2>
                        {if query.description.is_empty() {
                            view! { <p class="govuk-body govuk-hint">"No description"</p> }.into_any()
                        } else {
                            view! { <p class="govuk-body app-wrap-anywhere app-pre-line">{query.description.clone()}</p> }.into_any()
                        }}
                        {(documents_level >= PermissionLevel::Read).then(|| view! {
                            <DocumentsPanel owner=DocumentOwner::Query(query.id)
                                can_upload={documents_level >= PermissionLevel::ReadWrite}
                                can_delete={documents_level >= PermissionLevel::Full} on_change=on_note/>
                        })}
                        {can_change.then(|| view! { <Composer query_id=query.id errors on_saved=on_note/> })}
                        <QueryTimeline query_id=query.id statuses refresh=refresh.into()/>
                        <HistoryTable history=history.into() statuses/>
                        <p class="govuk-body"><a class="govuk-link" href="/queries">"Back to queries"</a></p>
                    </div>
                    // Service levels and actions sit beside the record, so working a case never
                    // means scrolling past it; the email thread will join them here.
                    <aside class="govuk-grid-column-one-third app-side-column" aria-label="Actions">
                        <ServiceLevels query_id=query.id refresh=refresh.into()/>
                        <Actions id=query.id can_change can_delete=may(PermissionLevel::Full, &query)/>
                        {can_change.then(|| view! {
                            <ChangeStatus query=query.clone() statuses errors on_changed/>
                            <AssignForm query=query.clone() directory errors on_saved=on_assigned/>
                        })}
                        <Restriction query=query.clone() can_restrict=may(PermissionLevel::Full, &query) errors on_saved=on_restricted/>
                    </aside>
                </div>
            }
            .into_any()
        }
    };
    page.into_any()
}

/// The query's key facts in a band under its heading (MoJ's case-management "key details").
#[component]
fn KeyDetails(
    query: Query,
    customer: Signal<Option<Customer>>,
    can_see_customers: bool,
    directory: Directory,
    types: QueryTypes,
) -> impl IntoView {
    let (assignee, team, type_id) = (query.assignee_id, query.team_id, query.type_id);
    let assigned = move || assignee.map_or_else(|| "No one".to_owned(), |id| directory.user_name(id));
    let team_name = move || team.map_or_else(|| "No team".to_owned(), |id| directory.team_name(id));
    let type_name = move || type_id.map_or_else(|| "Not set".to_owned(), |id| types.label(id));
    let (received, received_iso) = time::date_time(&query.received_at);
    let (logged, logged_iso) = time::date_time(&query.created_at);
    let customer_value = match query.customer_id {
        None => view! { "Anonymous" }.into_any(),
        Some(id) if can_see_customers => {
            let name = move || {
                customer
                    .with(|c| c.as_ref().map(|c| c.display_name.clone()))
                    .unwrap_or_else(|| "View customer".to_owned())
            };
            view! { <a class="govuk-link" href=format!("/customers/{id}") id="query-customer">{name}</a> }.into_any()
        }
        Some(_) => view! { "A named customer" }.into_any(),
    };
    let row = |key: &'static str, value: AnyView| {
        view! {
            <div class="app-key-details__item">
                <dt class="app-key-details__key">{key}</dt>
                <dd class="app-key-details__value app-wrap-anywhere">{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="app-key-details" id="query-summary">
            {row("Status", view! { <StatusBadge status=query.status.clone()/> }.into_any())}
            {row("Customer", customer_value)}
            {row("Assigned to", assigned.into_any())}
            {row("Team", team_name.into_any())}
            {row("Received", view! { <time datetime=received_iso>{received}</time> }.into_any())}
            {row("Priority", priority_name(query.priority).into_any())}
            {row("Channel", channel_name(query.channel).into_any())}
            {row("Type", type_name.into_any())}
            {row("Logged", view! { <time datetime=logged_iso>{logged}</time> }.into_any())}
        </dl>
    }
}

/// Links to the query's other pages, for those who may use them.
#[component]
fn Actions(id: uuid::Uuid, can_change: bool, can_delete: bool) -> impl IntoView {
    let link = move |path: &'static str, text: &'static str| {
        view! { <li><a class="govuk-link" href=format!("/queries/{id}/{path}")>{text}</a></li> }
    };
    view! {
        <h2 class="govuk-heading-m">"Actions"</h2>
        <ul class="govuk-list" id="query-actions" aria-label="Query actions">
            {can_change.then(|| link("edit", "Change details"))}
            {link("share", "Share with a colleague")}
            {link("history", "History of changes")}
            {can_delete.then(|| link("delete", "Delete query"))}
        </ul>
    }
}
