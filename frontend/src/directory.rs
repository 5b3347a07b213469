//! Who's who, for pages that name or pick officers and teams: the tenant's active officers
//! (`GET /api/v1/officers`, names only, for anyone who works queries) and teams.

use crate::tasks::spawn;
use api_types::{Officer, Problem, Team, User};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{self, Page, Params};
use crate::autocomplete::Suggestion;
use crate::session::Session;

#[derive(Clone, Copy, Debug)]
pub struct Directory {
    /// Every active officer. `None` until loaded.
    pub users: RwSignal<Option<Vec<Officer>>>,
    /// Every team, by name. `None` until loaded.
    pub teams: RwSignal<Option<Vec<Team>>>,
    me: StoredValue<Option<User>>,
}

impl Directory {
    /// Starts loading officers and teams.
    pub fn load(session: Session) -> Self {
        let me = session.me_untracked();
        let directory =
            Self { users: RwSignal::new(None), teams: RwSignal::new(None), me: StoredValue::new(me.map(|me| me.user)) };
        spawn(async move {
            match api::teams::list().await {
                Ok(list) => directory.teams.set(Some(list.items)),
                Err(problem) => {
                    session.notice(&problem);
                    directory.teams.set(Some(Vec::new()));
                }
            }
        });
        spawn(async move { directory.users.set(Some(all_officers(session).await)) });
        directory
    }

    pub fn my_id(self) -> Option<Uuid> {
        self.me.with_value(|me| me.as_ref().map(|u| u.id))
    }

    /// A user's name, "you" marked (reactive).
    pub fn user_name(self, id: Uuid) -> String {
        if self.my_id() == Some(id) {
            let name = self.me.with_value(|me| me.as_ref().map(|u| u.display_name.clone())).unwrap_or_default();
            return format!("{name} (you)");
        }
        self.users
            .with(|users| users.as_ref().and_then(|u| u.iter().find(|u| u.id == id).map(|u| u.display_name.clone())))
            .unwrap_or_else(|| "Another officer".to_owned())
    }

    /// A team's name (reactive).
    pub fn team_name(self, id: Uuid) -> String {
        self.teams
            .with(|teams| teams.as_ref().and_then(|t| t.iter().find(|t| t.id == id).map(|t| t.name.clone())))
            .unwrap_or_else(|| "Unknown team".to_owned())
    }

    /// The officers who can be picked to assign or share to, by name (reactive).
    pub fn officers(self) -> Vec<(Uuid, String)> {
        let mut list: Vec<(Uuid, String)> =
            self.users.with(|users| users.iter().flatten().map(|u| (u.id, u.display_name.clone())).collect());
        if let Some(me) = self.me.get_value()
            && !list.iter().any(|(id, _)| *id == me.id)
        {
            list.push((me.id, me.display_name));
        }
        list.sort_by_key(|(_, name)| name.to_lowercase());
        list
    }

    /// The officers as autocomplete suggestions, each with the teams they are in (reactive).
    pub fn officer_suggestions(self) -> Vec<Suggestion> {
        let officers = self.officers();
        self.teams.with(|teams| {
            let teams = teams.as_deref().unwrap_or_default();
            officers
                .into_iter()
                .map(|(id, name)| {
                    let of: Vec<&str> =
                        teams.iter().filter(|t| t.member_ids.contains(&id)).map(|t| t.name.as_str()).collect();
                    let hint = if of.is_empty() { "In no team".to_owned() } else { of.join(", ") };
                    Suggestion { id, label: name, hint: Some(hint) }
                })
                .collect()
        })
    }

    /// The teams as autocomplete suggestions (reactive).
    pub fn team_suggestions(self) -> Vec<Suggestion> {
        self.teams.with(|teams| teams.iter().flatten().map(|t| Suggestion::new(t.id, t.name.clone())).collect())
    }

    /// Assigning an officer to work a team's query they are not a member of is allowed (cover
    /// for a colleague) but usually a slip: the sentence that says so, if it is one (reactive).
    pub fn outside_teams(self, officer: Option<Uuid>, teams: &[Uuid]) -> Option<String> {
        let officer = officer?;
        let outside: Vec<String> = self.teams.with(|all| {
            let mut names: Vec<String> = all
                .iter()
                .flatten()
                .filter(|t| teams.contains(&t.id) && !t.member_ids.contains(&officer))
                .map(|t| t.name.clone())
                .collect();
            names.dedup();
            names
        });
        (!outside.is_empty()).then(|| format!("{} is not a member of {}", self.user_name(officer), outside.join(", ")))
    }
}

/// Every item of a paged list, following the cursor to the end (what was read so far if a page
/// fails; the failure is shown).
async fn every_page<P, Found>(session: Session, fetch: impl Fn(Params) -> Found) -> Vec<P::Item>
where
    P: Page,
    Found: Future<Output = Result<P, Problem>>,
{
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        match fetch(Params::limit(200).after(cursor.as_deref())).await {
            Ok(page) => {
                let (items, next) = page.into_parts();
                all.extend(items);
                cursor = next;
                if cursor.is_none() {
                    return all;
                }
            }
            Err(problem) => {
                session.notice(&problem);
                return all;
            }
        }
    }
}

/// Every active officer.
async fn all_officers(session: Session) -> Vec<Officer> {
    every_page(session, |params| async move { api::users::officers(&params).await }).await
}

/// Every user (administrators only).
pub async fn all_users(session: Session) -> Vec<User> {
    every_page(session, |params| async move { api::users::list(&params).await }).await
}
