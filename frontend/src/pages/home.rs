//! The home page is the officer's work: their open queries (oldest first, the most urgent until
//! service levels give due times), what is unassigned in their teams, the workload of the teams
//! they lead, their latest notifications and the records they opened last. What they may do
//! sits lower down, folded away.

use crate::tasks::spawn;
use api_types::{Notification, PermissionArea, PermissionLevel, Query, RecentRecord, SubjectKind, TeamWorkload};
use leptos::prelude::*;

use crate::api::{self, Params};
use crate::dom;
use crate::forms::describe;
use crate::pages::admin::permission_labels::{area_label, level_label};
use crate::pages::notifications::headline;
use crate::pages::team_workload::TeamWorkloadTable;
use crate::session::Session;
use crate::table::{Caption, Column, Table, column};
use crate::time;

/// How many of each list the home page shows (each links to the whole list).
const SHOWN: u32 = 10;

/// A list that is loading, loaded, or could not be loaded (said in words).
type Loaded<T> = RwSignal<Option<Result<T, String>>>;

const PERMISSIONS_COLUMNS: &[Column] = &[column("Area"), column("Level")];
const WORK_LIST_COLUMNS: &[Column] = &[column("Reference"), column("Subject"), column("Customer"), column("Received")];

#[component]
pub fn Home() -> impl IntoView {
    Effect::new(|_| dom::set_title("Home", false));
    let session = Session::expect();
    let Some(me) = session.me_untracked() else {
        return ().into_any();
    };
    let works_queries = me.level(PermissionArea::Queries) >= PermissionLevel::Read;
    let mine: Loaded<Vec<Query>> = RwSignal::new(None);
    let unassigned: Loaded<Vec<(api_types::Team, Vec<Query>)>> = RwSignal::new(None);
    let notifications: Loaded<Vec<Notification>> = RwSignal::new(None);
    let workloads: Loaded<Vec<(api_types::Team, TeamWorkload)>> = RwSignal::new(None);
    let my_id = me.user.id;
    if works_queries {
        spawn(async move {
            let params = Params::limit(SHOWN).with("assignee", "me").with("open", true).with("sort", "received_at");
            mine.set(Some(api::queries::list(&params).await.map(|page| page.items).map_err(|p| describe(&p))));
        });
        spawn(async move {
            let teams = match api::teams::list().await {
                Ok(list) => list.items.into_iter().filter(|t| t.member_ids.contains(&my_id)).collect::<Vec<_>>(),
                Err(problem) => return unassigned.set(Some(Err(describe(&problem)))),
            };
            let led: Vec<api_types::Team> = teams.iter().filter(|t| t.leader_ids.contains(&my_id)).cloned().collect();
            spawn(async move {
                let mut found = Vec::new();
                for team in led {
                    match api::teams::workload(team.id).await {
                        Ok(workload) => found.push((team, workload)),
                        Err(problem) => return workloads.set(Some(Err(describe(&problem)))),
                    }
                }
                workloads.set(Some(Ok(found)));
            });
            let mut found = Vec::new();
            for team in teams {
                let params = Params::limit(SHOWN)
                    .with("assignee", "none")
                    .with("team_id", team.id)
                    .with("open", true)
                    .with("sort", "received_at");
                match api::queries::list(&params).await {
                    Ok(page) => found.push((team, page.items)),
                    Err(problem) => return unassigned.set(Some(Err(describe(&problem)))),
                }
            }
            unassigned.set(Some(Ok(found)));
        });
    }
    spawn(async move {
        let found = api::notifications::list(&Params::limit(5)).await;
        notifications.set(Some(found.map(|page| page.items).map_err(|p| describe(&p))));
    });
    let recent: Loaded<Vec<RecentRecord>> = RwSignal::new(None);
    spawn(async move {
        let found = api::views::recently_viewed().await;
        recent.set(Some(found.map(|list| list.items).map_err(|p| describe(&p))));
    });

    let permissions = me
        .permissions
        .iter()
        .map(|p| {
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{area_label(p.area)}</th>
                    <td class="govuk-table__cell">{level_label(p.level)}</td>
                </tr>
            }
        })
        .collect_view();
    let unassigned_lists = move || {
        unassigned.get().map(|loaded| match loaded {
            Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
            Ok(teams) if teams.is_empty() => view! { <p class="govuk-body">"You are not in a team."</p> }.into_any(),
            Ok(teams) => teams
                .into_iter()
                .map(|(team, queries)| {
                    let all = format!("/queries?assignee=none&team_id={}&open=true", team.id);
                    let id = format!("unassigned-{}", team.id);
                    view! {
                        <WorkList id caption=format!("Unassigned in {}", team.name) queries
                            empty="Nothing is waiting." all_href=all all_text="All unassigned in this team"/>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <span class="govuk-caption-l app-wrap-anywhere">{me.tenant.name.clone()}</span>
        <h1 class="govuk-heading-l">"Home"</h1>
        <p class="govuk-body app-wrap-anywhere" id="signed-in-as">
            "Signed in as " <strong>{me.user.display_name.clone()}</strong>
            " of tenant " <strong>{me.tenant.name.clone()}</strong>
        </p>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                {works_queries.then(|| view! {
                    {move || mine.get().map(|loaded| match loaded {
                        Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
                        Ok(queries) => view! {
                            <WorkList id="my-work".to_owned() caption="Your open queries".to_owned() queries
                                empty="You have no open queries." all_href="/queries?assignee=me&open=true".to_owned()
                                all_text="All your open queries"/>
                        }.into_any(),
                    })}
                    {unassigned_lists}
                    {move || workloads.get().map(|loaded| match loaded {
                        Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
                        Ok(teams) => teams
                            .into_iter()
                            .map(|(team, workload)| view! { <TeamWorkloadTable team workload/> })
                            .collect_view()
                            .into_any(),
                    })}
                })}
            </div>
            <div class="govuk-grid-column-one-third">
                <h2 class="govuk-heading-m">"Latest notifications"</h2>
                {move || notifications.get().map(|loaded| match loaded {
                    Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="govuk-body">"You have no notifications."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="govuk-list" id="home-notifications">
                            {items.into_iter().map(|n| {
                                let (at, iso) = time::date_time(&n.created_at);
                                view! {
                                    <li>
                                        {n.read_at.is_none().then(|| view! { <strong class="govuk-tag govuk-tag--blue govuk-!-margin-right-1">"Unread"</strong> })}
                                        <span class="app-wrap-anywhere">{headline(&n)}</span>
                                        <br/><time class="govuk-body-s" datetime=iso>{at}</time>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
                <p class="govuk-body"><a class="govuk-link" href="/notifications">"All notifications"</a></p>
                <h2 class="govuk-heading-m">"Recently viewed"</h2>
                {move || recent.get().map(|loaded| match loaded {
                    Err(message) => view! { <p class="govuk-body govuk-error-message">{message}</p> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="govuk-body">"Queries and customers you open will be listed here."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="govuk-list" id="recently-viewed">
                            {items.into_iter().map(|record| {
                                let kind = match record.kind {
                                    SubjectKind::Query => "Query",
                                    SubjectKind::Customer => "Customer",
                                    SubjectKind::Team => "Team",
                                };
                                view! {
                                    <li>
                                        <a class="govuk-link app-wrap-anywhere" href=record.link>{record.title}</a>
                                        <br/><span class="govuk-body-s govuk-hint">{kind}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
                <details class="govuk-details">
                    <summary class="govuk-details__summary">
                        <span class="govuk-details__summary-text">"What you can do"</span>
                    </summary>
                    <div class="govuk-details__text">
                        <Table id="permissions" caption="Your permissions" caption_size=Caption::Small columns=PERMISSIONS_COLUMNS>
                            {permissions}
                        </Table>
                    </div>
                </details>
                <p class="govuk-body">
                    <a class="govuk-link" href="/account/api-tokens">"Your API tokens"</a>
                    " let a script or Power BI use Casedesk as you, within limits you set."
                </p>
            </div>
        </div>
    }
    .into_any()
}

/// A short table of queries (reference, subject, customer, received) with a link to the list.
#[component]
fn WorkList(
    id: String,
    caption: String,
    queries: Vec<Query>,
    empty: &'static str,
    all_href: String,
    all_text: &'static str,
) -> impl IntoView {
    if queries.is_empty() {
        return view! {
            <h2 class="govuk-heading-m">{caption}</h2>
            <p class="govuk-body" id=id>{empty}</p>
        }
        .into_any();
    }
    let rows = queries
        .into_iter()
        .map(|q| {
            let (received, iso) = time::date_time(&q.received_at);
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header app-nowrap">
                        <a class="govuk-link" href=format!("/queries/{}", q.id) data-row-link="">{q.reference.clone()}</a>
                    </th>
                    <td class="govuk-table__cell app-wrap-anywhere">{q.subject.clone()}</td>
                    <td class="govuk-table__cell">{q.customer_name.clone().unwrap_or_default()}</td>
                    <td class="govuk-table__cell"><time datetime=iso>{received}</time></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Table id=id caption caption_size=Caption::Medium columns=WORK_LIST_COLUMNS class="app-queue-table">
            {rows}
        </Table>
        <p class="govuk-body"><a class="govuk-link" href=all_href>{all_text}</a></p>
    }
    .into_any()
}
