//! Groups, their grants and members, and changes to users: records and audit entries shared
//! by both backends.

use crate::{StorageResult, UserChanges, records::corrupt};
use domain::{
    Area, Grant, GroupId, Level, Timestamp, UserId,
    audit::AuditEvent,
    group::{Group, GroupDetails},
    user::User,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// One row per (group, grant): a group without grants has one row with no grant.
#[derive(Debug)]
pub struct GroupRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub area: Option<String>,
    pub level: Option<String>,
    pub own_teams: Option<bool>,
}

/// Folds rows ordered by group into groups, grants in area order; `members` are (group id,
/// user id) pairs in membership order.
pub fn groups_from_rows(rows: Vec<GroupRow>, members: Vec<(Uuid, Uuid)>) -> StorageResult<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        let id = GroupId::from_uuid(row.id);
        if groups.last().is_none_or(|g| g.id != id) {
            let details =
                GroupDetails { name: row.name, description: row.description, grants: vec![], members: vec![] };
            groups.push(Group {
                id,
                details,
                builtin: row.builtin,
                version: row.version,
                created_at: row.created_at,
                updated_at: row.updated_at,
            });
        }
        let Some(group) = groups.last_mut() else { continue };
        if let (Some(area), Some(level)) = (row.area, row.level) {
            let grant = Grant {
                area: Area::parse(&area).ok_or_else(|| corrupt("grant area"))?,
                level: Level::parse(&level).ok_or_else(|| corrupt("grant level"))?,
                own_teams: row.own_teams.unwrap_or(false),
            };
            group.details.grants.push(grant);
        }
    }
    for (group_id, user_id) in members {
        if let Some(group) = groups.iter_mut().find(|g| g.id.as_uuid() == group_id) {
            group.details.members.push(UserId::from_uuid(user_id));
        }
    }
    for group in &mut groups {
        group.details.grants.sort_by_key(|g| g.area);
    }
    Ok(groups)
}

/// Grants in area order, as they read back.
pub fn normalised(mut details: GroupDetails) -> GroupDetails {
    details.grants.sort_by_key(|g| g.area);
    details
}

pub fn new_group(details: GroupDetails) -> Group {
    let details = normalised(details);
    let now = Timestamp::now();
    Group { id: GroupId::new(), details, builtin: false, version: 1, created_at: now, updated_at: now }
}

fn group_side(details: &GroupDetails) -> Value {
    let grants: Vec<_> =
        details.grants.iter().map(|g| json!({"area": g.area, "level": g.level, "own_teams": g.own_teams})).collect();
    json!({"name": details.name, "description": details.description, "grants": grants, "members": details.members})
}

pub fn group_added(group: &Group) -> AuditEvent {
    let payload = json!({"after": group_side(&group.details)});
    AuditEvent::new("group.created", "group", group.id.as_uuid(), payload)
}

pub fn group_updated(before: &Group, after: &Group) -> AuditEvent {
    let payload =
        json!({"before": group_side(&before.details), "after": group_side(&after.details), "version": after.version});
    AuditEvent::new("group.updated", "group", after.id.as_uuid(), payload)
}

pub fn group_deleted(group: &Group) -> AuditEvent {
    let payload = json!({"before": group_side(&group.details)});
    AuditEvent::new("group.deleted", "group", group.id.as_uuid(), payload)
}

/// The user as they will be after `changes`.
pub fn changed_user(before: &User, changes: &UserChanges) -> User {
    User {
        display_name: changes.display_name.clone(),
        status: changes.status,
        version: before.version + 1,
        updated_at: Timestamp::now(),
        ..before.clone()
    }
}

pub fn user_updated(
    before: &User,
    groups_before: &[GroupId],
    after: &User,
    groups_after: &[GroupId],
    sessions_ended: u64,
    break_glass: Option<bool>,
) -> AuditEvent {
    let side =
        |u: &User, groups: &[GroupId]| json!({"display_name": u.display_name, "status": u.status, "group_ids": groups});
    let payload = json!({
        "before": side(before, groups_before), "after": side(after, groups_after),
        "version": after.version, "sessions_ended": sessions_ended, "break_glass": break_glass,
    });
    AuditEvent::new("user.updated", "user", after.id.as_uuid(), payload)
}

/// A wrong password, who it was against and from where; never the password.
pub fn sign_in_failed(user_id: UserId, failures: u32, from: Option<&str>) -> AuditEvent {
    let payload = json!({"reason": "wrong_password", "consecutive_failures": failures, "from": from});
    AuditEvent::new("sign_in.failed", "user", user_id.as_uuid(), payload)
}

pub fn locked_out(user_id: UserId, until: Timestamp, from: Option<&str>) -> AuditEvent {
    let payload = json!({"until": until, "from": from});
    AuditEvent::new("user.locked_out", "user", user_id.as_uuid(), payload)
}
