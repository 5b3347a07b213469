//! A team's workload on its leader's Home: how many of the team's open queries each officer
//! holds and how many wait for someone, each count a link to that list in the work queue.

use api_types::{Team, TeamWorkload};
use leptos::prelude::*;

use crate::api::Params;
use crate::table::{Column, Table, column};

const WORKLOAD_COLUMNS: &[Column] = &[column("Officer"), Column::numeric("Open queries")];

#[component]
pub fn TeamWorkloadTable(team: Team, workload: TeamWorkload) -> impl IntoView {
    let queue = |assignee: String| {
        let params = Params::none().with("team_id", team.id).with("assignee", assignee).with("open", true);
        format!("/queries{}", params.encoded())
    };
    let count_link = |href: String, count: u64, whose: String| {
        view! {
            <a class="govuk-link" href=href>
                {count.to_string()}<span class="govuk-visually-hidden">{format!(" open queries {whose}")}</span>
            </a>
        }
    };
    let unassigned = view! {
        <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">"Unassigned"</th>
            <td class="govuk-table__cell govuk-table__cell--numeric">
                {count_link(queue("none".to_owned()), workload.unassigned, "unassigned".to_owned())}
            </td>
        </tr>
    };
    let rows = workload
        .officers
        .into_iter()
        .map(|officer| {
            let name = if officer.member { officer.name.clone() } else { format!("{} (not in the team)", officer.name) };
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header app-wrap-anywhere">{name}</th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">
                        {count_link(queue(officer.user_id.to_string()), officer.open, format!("held by {}", officer.name))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let id = format!("workload-{}", team.id);
    let caption = format!("Workload of {}: {} open", team.name, workload.open);
    view! {
        <Table id caption caption_size=crate::table::Caption::Medium columns=WORKLOAD_COLUMNS>
            {unassigned}
            {rows}
        </Table>
    }
}
