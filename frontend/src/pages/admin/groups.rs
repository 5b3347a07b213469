//! `/admin/groups`: every group with what it grants and how many belong to it.

use crate::tasks::spawn;
use api_types::{GroupList, PermissionArea, PermissionLevel, Problem};
use leptos::prelude::*;

use crate::api;
use crate::dom;
use crate::forms::{SuccessBanner, describe};
use crate::pages::admin::permission_labels::summary;
use crate::pages::problem::NoAccess;
use crate::session::Session;
use crate::table::{ACTIONS, Column, Table, column};

const GROUPS_COLUMNS: &[Column] = &[column("Group"), column("Permissions"), column("Members"), ACTIONS];

#[component]
pub fn Groups() -> impl IntoView {
    let session = Session::expect();
    dom::set_title("Groups and permissions", false);
    let level = session.me_untracked().map_or(PermissionLevel::None, |me| me.level(PermissionArea::Administration));
    if level < PermissionLevel::Read {
        return view! { <NoAccess/> }.into_any();
    }
    let can_change = level >= PermissionLevel::Full;
    let flash = session.take_flash();
    let groups = RwSignal::new(None::<Result<GroupList, Problem>>);
    spawn(async move {
        let result = api::users::groups().await;
        if let Err(problem) = &result {
            session.notice(problem);
        }
        groups.set(Some(result));
    });
    let body = move || match groups.get() {
        None => view! { <p class="govuk-body">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="govuk-body govuk-error-message">{describe(&problem)}</p> }.into_any(),
        Some(Ok(list)) => {
            let rows = list
                .items
                .into_iter()
                .map(|group| {
                    let members = match group.member_ids.len() {
                        1 => "1 member".to_owned(),
                        n => format!("{n} members"),
                    };
                    let verb = if can_change { "Change" } else { "View" };
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header app-wrap-anywhere">
                                {group.name.clone()}
                                {group.builtin.then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Built in"</strong> })}
                            </th>
                            <td class="govuk-table__cell">{summary(&group.grants)}</td>
                            <td class="govuk-table__cell app-nowrap">{members}</td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=format!("/admin/groups/{}", group.id)>
                                    {verb}<span class="govuk-visually-hidden">" "{group.name.clone()}</span>
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Table id="groups" caption="Groups" columns=GROUPS_COLUMNS>
                    {rows}
                </Table>
            }
            .into_any()
        }
    };
    view! {
        {flash.map(|message| view! { <SuccessBanner message/> })}
        <h1 class="govuk-heading-l">"Groups and permissions"</h1>
        <p class="govuk-body">"People get permissions through the groups they belong to. Where two groups give different levels in an area, the higher one counts."</p>
        {can_change.then(|| view! {
            <a href="/admin/groups/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a group"</a>
        })}
        {body}
    }
    .into_any()
}
