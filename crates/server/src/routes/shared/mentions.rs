//! Names for what timelines and histories mention by id (who acted, the officer and team a
//! query was assigned to, the customer it was moved to), so a reader sees names, not ids. One
//! read per answer, whatever its length.

use crate::{auth::Principal, problem::ApiResult, state::AppState};
use domain::{Area, CustomerId, Level, TeamId, UserId};
use serde_json::Value;
use std::collections::BTreeMap;
use storage::{NamesWanted, TenantScope};
use uuid::Uuid;

/// The ids gathered from entries, by what they are.
#[derive(Debug, Default)]
pub struct Mentions(NamesWanted);

impl Mentions {
    /// Someone who acted.
    pub fn actor(&mut self, id: Option<Uuid>) {
        if let Some(id) = id {
            self.0.users.push(UserId::from_uuid(id));
        }
    }

    /// The ids in a JSON object's fields that name people, teams or customers.
    pub fn fields(&mut self, value: Option<&Value>) {
        let Some(object) = value.and_then(Value::as_object) else { return };
        let id = |key: &str| object.get(key).and_then(Value::as_str).and_then(|raw| Uuid::parse_str(raw).ok());
        for officer in ["assignee_id", "from_assignee_id"].into_iter().filter_map(id) {
            self.0.users.push(UserId::from_uuid(officer));
        }
        // An escalation names the team it came from and the team told besides the new one.
        for team in ["team_id", "from_team_id", "notified_team_id"].into_iter().filter_map(id) {
            self.0.teams.push(TeamId::from_uuid(team));
        }
        if let Some(customer) = id("customer_id") {
            self.0.customers.push(CustomerId::from_uuid(customer));
        }
    }

    /// Their names, for the caller: customers only for those who may read customers.
    pub async fn named(
        mut self,
        state: &AppState,
        scope: &TenantScope,
        viewer: &Principal,
    ) -> ApiResult<BTreeMap<Uuid, String>> {
        if viewer.permissions.level(Area::Customers) < Level::Read {
            self.0.customers.clear();
        }
        let wanted = self.0.dedup();
        if wanted.is_empty() {
            return Ok(BTreeMap::new());
        }
        let names = state.store.names(scope, &wanted).await?;
        let mut out = BTreeMap::new();
        out.extend(names.users.into_iter().map(|(id, name)| (id.as_uuid(), name)));
        out.extend(names.teams.into_iter().map(|(id, name)| (id.as_uuid(), name)));
        out.extend(names.customers.into_iter().map(|(id, name)| (id.as_uuid(), name)));
        Ok(out)
    }
}

/// Timeline events as the API shows them, in the order given, with the names they mention.
pub async fn timeline(
    state: &AppState,
    scope: &TenantScope,
    viewer: &Principal,
    events: Vec<domain::event::Event>,
) -> ApiResult<api_types::Timeline> {
    let mut mentions = Mentions::default();
    for event in &events {
        mentions.actor(event.actor.id());
        mentions.fields(Some(&event.details));
    }
    let items = events
        .into_iter()
        .map(|e| api_types::TimelineEvent {
            id: e.id,
            at: e.at.as_datetime(),
            kind: e.kind,
            query_id: e.query_id.map(|q| q.as_uuid()),
            actor_id: e.actor.id(),
            details: e.details,
        })
        .collect();
    Ok(api_types::Timeline { items, names: mentions.named(state, scope, viewer).await? })
}
