//! The tenant's reference data for seeded queries: officers, teams and the query-type
//! taxonomy. Few rows, so they go through the ordinary repositories (with their audit entries);
//! existing ones with the same names are reused, so seeding twice adds queries, not teams.

use super::{
    history::World,
    words::{FEMALE_GIVEN, MALE_GIVEN, TEAMS, TYPES},
};
use domain::{
    TenantId, Timestamp, UserId,
    query::StatusCategory,
    sla::ClockKind,
    team::{NewQueryType, TeamDetails},
    user::{DisplayName, EmailAddress},
};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use storage::{Database, NewUser, TenantScope, builtin_groups, seed::SeedStart};

fn field(e: domain::FieldError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.field, e.message)
}

/// Officers without passwords (they would sign in with Entra ID), in the officers' group.
async fn officers(store: &dyn Database, scope: &TenantScope, seed: u64) -> anyhow::Result<Vec<Vec<UserId>>> {
    let mut existing = HashMap::new();
    let mut after = None;
    loop {
        let page = store.list_users(scope, after, 500).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        existing.extend(page.iter().map(|u| (u.email.as_str().to_owned(), u.id)));
    }
    let group = store.list_groups(scope).await?.into_iter().find(|g| g.details.name == builtin_groups::OFFICERS);
    let families = super::people::FamilyNames::new();
    // Its own stream, so the customers and queries do not depend on how many officers exist.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0ff1_ce25);
    let mut teams = Vec::new();
    let mut serial = 0;
    for (_, size) in TEAMS {
        let mut members = Vec::new();
        for _ in 0..*size {
            serial += 1;
            let names = if rng.random_bool(0.5) { FEMALE_GIVEN } else { MALE_GIVEN };
            let given = *names.choose(&mut rng).unwrap_or(&"Sam");
            let family = families.draw(&mut rng);
            let email = format!(
                "{}.{}.{serial}@officers.example.org",
                given.to_lowercase(),
                family.to_lowercase().replace([' ', '\''], "")
            );
            let id = match existing.get(&email) {
                Some(id) => *id,
                None => {
                    let new = NewUser {
                        email: EmailAddress::parse("email", &email).map_err(field)?,
                        display_name: DisplayName::parse("name", &format!("{given} {family}")).map_err(field)?,
                        password_hash: None,
                        group_ids: group.iter().map(|g| g.id).collect(),
                        break_glass: false,
                    };
                    store.create_user(scope, new).await?.id
                }
            };
            members.push(id);
        }
        teams.push(members);
    }
    Ok(teams)
}

/// Creates (or finds) the officers, teams and query types, and describes them for the generator.
pub async fn world(store: &dyn Database, tenant_id: TenantId, seed: u64, start: &SeedStart) -> anyhow::Result<World> {
    let scope = TenantScope::system(tenant_id);
    let members = officers(store, &scope, seed).await?;
    let mut existing_teams: HashMap<String, _> =
        store.list_teams(&scope).await?.into_iter().map(|t| (t.details.name.to_lowercase(), t.id)).collect();
    let mut teams = Vec::new();
    for ((name, _), members) in TEAMS.iter().zip(members) {
        let id = match existing_teams.remove(&name.to_lowercase()) {
            Some(id) => id,
            None => {
                let details = TeamDetails::new(*name, members.clone());
                store.create_team(&scope, details).await?.id
            }
        };
        teams.push((id, members));
    }
    let team_index = |name: &str| TEAMS.iter().position(|(n, _)| *n == name).unwrap_or(0);
    let mut known = store.list_query_types(&scope).await?;
    let mut types = Vec::new();
    let mut subjects = 0;
    for (name, team, subs) in TYPES {
        let parent = match known.iter().find(|t| t.parent_id.is_none() && t.name.eq_ignore_ascii_case(name)) {
            Some(t) => t.id,
            None => {
                let created =
                    store.create_query_type(&scope, NewQueryType { parent_id: None, name: (*name).into() }).await?;
                known.push(created.clone());
                created.id
            }
        };
        for sub in *subs {
            let id = match known.iter().find(|t| t.parent_id == Some(parent) && t.name.eq_ignore_ascii_case(sub)) {
                Some(t) => t.id,
                None => {
                    let new = NewQueryType { parent_id: Some(parent), name: (*sub).into() };
                    store.create_query_type(&scope, new).await?.id
                }
            };
            types.push((id, subjects, team_index(team)));
            subjects += 1;
        }
    }
    let mut statuses = [None; 5];
    for (slot, category) in statuses.iter_mut().zip(StatusCategory::ALL) {
        *slot = start.statuses.iter().find(|s| s.category == category).map(|s| s.id);
    }
    let statuses = statuses.map(|s| s.ok_or_else(|| anyhow::anyhow!("the tenant needs a status in every category")));
    let [a, b, c, d, e] = statuses;
    // Seeded history ends at the start of today (UTC): never in the future, and the same seed
    // gives the same times all day.
    const DAY_US: i64 = 86_400_000_000;
    let now = Timestamp::now().as_micros();
    // The clocks are timed as the tenant's own policies would have timed them.
    let policies = store.list_sla_policies(&scope).await?;
    let calendar_ids: Vec<_> = policies
        .iter()
        .flat_map(|p| ClockKind::ALL.into_iter().filter_map(|kind| p.definition.target(kind)))
        .map(|target| target.calendar_id)
        .collect();
    let calendars = store.calendars_in_force(&scope, &calendar_ids).await?;
    Ok(World {
        tenant_id,
        policies,
        calendars,
        statuses: [a?, b?, c?, d?, e?],
        workflow: start.workflow,
        types,
        teams,
        contact_centre: team_index("Customer Contact Centre"),
        now: Timestamp::from_micros(now - now % DAY_US),
    })
}
