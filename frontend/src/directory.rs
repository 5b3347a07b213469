//! Who's who, for pages that name or pick officers and teams: the tenant's users (only
//! administrators may list them, see `GET /api/v1/users`) and teams (any officer may).
//!
//! An officer who is not an administrator cannot list users, so for them the only officer
//! with a name is themselves; others show as "Another officer". This is a known gap in the
//! API (there is no officer directory for non-administrators).

use api_types::{PermissionArea, PermissionLevel, Team, TeamList, User, UserPage, UserStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::session::Session;

#[derive(Clone, Copy, Debug)]
pub struct Directory {
    /// Every user, for administrators; empty for anyone else. `None` until loaded.
    pub users: RwSignal<Option<Vec<User>>>,
    /// Every team, by name. `None` until loaded.
    pub teams: RwSignal<Option<Vec<Team>>>,
    me: StoredValue<Option<User>>,
}

impl Directory {
    /// Starts loading users (when allowed) and teams.
    pub fn load(session: Session) -> Self {
        let me = session.me_untracked();
        let may_list_users =
            me.as_ref().is_some_and(|me| me.level(PermissionArea::Administration) >= PermissionLevel::Read);
        let directory =
            Self { users: RwSignal::new(None), teams: RwSignal::new(None), me: StoredValue::new(me.map(|me| me.user)) };
        spawn_local(async move {
            match api::get::<TeamList>("/api/v1/teams").await {
                Ok(list) => directory.teams.set(Some(list.items)),
                Err(problem) => {
                    session.notice(&problem);
                    directory.teams.set(Some(Vec::new()));
                }
            }
        });
        spawn_local(async move {
            let users = if may_list_users { all_users(session).await } else { Vec::new() };
            directory.users.set(Some(users));
        });
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

    /// The officers who can be picked to assign or share to, by name: every active user for
    /// administrators, else just the signed-in officer (reactive).
    pub fn officers(self) -> Vec<(Uuid, String)> {
        let mut list: Vec<(Uuid, String)> = self.users.with(|users| {
            users
                .iter()
                .flatten()
                .filter(|u| u.status == UserStatus::Active)
                .map(|u| (u.id, u.display_name.clone()))
                .collect()
        });
        if let Some(me) = self.me.get_value()
            && !list.iter().any(|(id, _)| *id == me.id)
        {
            list.push((me.id, me.display_name));
        }
        list.sort_by_key(|(_, name)| name.to_lowercase());
        list
    }
}

/// Every user, following the cursor to the end.
pub async fn all_users(session: Session) -> Vec<User> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/users?limit=200".to_owned();
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={}", api::query_value(cursor)));
        }
        match api::get::<UserPage>(&path).await {
            Ok(page) => {
                all.extend(page.items);
                cursor = page.next_cursor;
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
