//! `/admin/teams`: every team with its members, a way to add one and to change each.

use crate::tasks::spawn;
use api_types::{Problem, TeamList, User};
use leptos::prelude::*;

use crate::api;
use crate::directory::all_users;
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::pages::admin::can_administer;
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Column, Table, column};

const TEAMS_COLUMNS: &[Column] = &[column("Team"), column("Members"), ACTIONS];

#[component]
pub fn Teams() -> impl IntoView {
    let session = Session::expect();
    dom::set_title("Teams", false);
    if !can_administer(session) {
        return view! { <NoAccess/> }.into_any();
    }
    let flash = session.take_flash();
    let teams = RwSignal::new(None::<Result<TeamList, Problem>>);
    let users = RwSignal::new(Vec::<User>::new());
    spawn(async move {
        let result = api::teams::list().await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        teams.set(Some(result));
        users.set(all_users(session).await);
    });
    let body = move || match teams.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="govuk-body">"There are no teams yet."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list
                .items
                .into_iter()
                .map(|team| {
                    let (members, leaders) = (team.member_ids.clone(), team.leader_ids.clone());
                    let names = move || {
                        let names: Vec<String> = users.with(|users| {
                            members
                                .iter()
                                .map(|id| {
                                    let name = users
                                        .iter()
                                        .find(|u| u.id == *id)
                                        .map_or_else(|| "Unknown user".to_owned(), |u| u.display_name.clone());
                                    if leaders.contains(id) { format!("{name} (team leader)") } else { name }
                                })
                                .collect()
                        });
                        if names.is_empty() { "No members".to_owned() } else { names.join(", ") }
                    };
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header app-wrap-anywhere">{team.name.clone()}</th>
                            <td class="govuk-table__cell app-wrap-anywhere">{names}</td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=format!("/admin/teams/{}", team.id)>
                                    "Change"<span class="govuk-visually-hidden">" "{team.name.clone()}</span>
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="teams" caption="Teams" columns=TEAMS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        {flash.map(|message| view! { <SuccessBanner message/> })}
        <h1 class="govuk-heading-l">"Teams"</h1>
        <a href="/admin/teams/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a team"</a>
        {body}
    }
    .into_any()
}
