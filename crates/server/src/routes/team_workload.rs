//! A team's workload for its leaders: how many of its open queries each officer holds, and how
//! many wait for someone. Counted under the caller's own access, so it tells them nothing the
//! work queue's filters (team, officer, open) would not.

use crate::{
    auth::{Authorized, policy::QueriesRead},
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_web::{get, web};
use api_types::{OfficerLoad, TeamWorkload};
use domain::{TeamId, UserId};
use storage::NamesWanted;

type Problem = api_types::Problem;

/// How the team's open queries are spread among officers, most loaded first.
#[utoipa::path(tag = "teams", security(("session" = [])), params(("id" = Uuid, Path, description = "The team's id")), responses(
    (status = OK, body = TeamWorkload),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{id}/workload")]
pub async fn team_workload(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<TeamId>,
) -> ApiResult<web::Json<TeamWorkload>> {
    let scope = auth.scope();
    let team = state.store.get_team(&scope, id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    let held = {
        // A count scans the team's range, so it takes its turn like the view counts.
        let _turn = state.scans.enter().await;
        state.store.team_workload(&scope, team.id).await?
    };
    let open = held.iter().map(|(_, count)| count).sum();
    let unassigned = held.iter().find(|(officer, _)| officer.is_none()).map_or(0, |(_, count)| *count);
    let holding = |user: UserId| held.iter().find(|(officer, _)| *officer == Some(user)).map_or(0, |(_, n)| *n);
    let mut officers: Vec<(UserId, bool, u64)> =
        team.details.members.iter().map(|member| (*member, true, holding(*member))).collect();
    let outsiders = held.iter().filter_map(|(officer, count)| officer.map(|o| (o, *count)));
    for (officer, count) in outsiders {
        if !team.details.members.contains(&officer) {
            officers.push((officer, false, count));
        }
    }
    let wanted = NamesWanted { users: officers.iter().map(|(user, _, _)| *user).collect(), ..NamesWanted::default() };
    let names = state.store.names(&scope, &wanted).await?;
    let mut officers: Vec<OfficerLoad> = officers
        .into_iter()
        .map(|(user, member, open)| OfficerLoad {
            user_id: user.as_uuid(),
            name: names.users.get(&user).cloned().unwrap_or_else(|| "Former officer".to_owned()),
            member,
            open,
        })
        .collect();
    officers.sort_by(|a, b| b.open.cmp(&a.open).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    Ok(web::Json(TeamWorkload { team_id: team.id.as_uuid(), open, unassigned, officers }))
}
