//! Teams, query types, notes and notifications: their audit entries, timeline events and
//! stored columns, shared by both backends.

use super::{NewEvent, corrupt};
use crate::StorageResult;
use domain::{
    NoteId, NotificationId, QueryId, QueryTypeId, TeamId, Timestamp,
    audit::{Actor, AuditEvent},
    note::{ContactDetails, Direction, NewNote, Note, NoteKind},
    notification::{NewNotification, Notification, NotificationKind, Subject},
    query::{Channel, Query},
    team::{QueryType, Team},
};
use serde_json::json;
use uuid::Uuid;

pub fn team_created(team: &Team) -> AuditEvent {
    let payload =
        json!({"after": {"name": team.details.name, "members": team.details.members, "leaders": team.details.leaders}});
    AuditEvent::new("team.created", "team", team.id.as_uuid(), payload)
}

pub fn team_updated(before: &Team, after: &Team) -> AuditEvent {
    let side = |t: &Team| json!({"name": t.details.name, "members": t.details.members, "leaders": t.details.leaders});
    let payload = json!({"before": side(before), "after": side(after), "version": after.version});
    AuditEvent::new("team.updated", "team", after.id.as_uuid(), payload)
}

pub fn query_type_created(query_type: &QueryType) -> AuditEvent {
    let payload = json!({"after": {"name": query_type.name, "parent_id": query_type.parent_id}});
    AuditEvent::new("query_type.created", "query_type", query_type.id.as_uuid(), payload)
}

pub fn query_type_updated(before: &QueryType, after: &QueryType) -> AuditEvent {
    let side = |t: &QueryType| json!({"name": t.name, "active": t.active});
    let payload = json!({"before": side(before), "after": side(after), "version": after.version});
    AuditEvent::new("query_type.updated", "query_type", after.id.as_uuid(), payload)
}

/// The audit entry names the note; its text is case content and stays out of the trail.
pub fn note_added(note: &Note) -> AuditEvent {
    let payload = json!({"after": {
        "query_id": note.query_id, "kind": note.note.kind.as_str(), "occurred_at": note.note.occurred_at,
    }});
    AuditEvent::new("query.note_added", "note", note.id.as_uuid(), payload)
}

pub fn note_event(query: &Query, note: &Note) -> NewEvent {
    let kind = match note.note.kind {
        NoteKind::Note => "query.note_added",
        NoteKind::Contact => "query.contact_recorded",
    };
    NewEvent {
        at: note.note.occurred_at,
        kind,
        customer_id: query.customer_id.map(|c| c.as_uuid()),
        query_id: Some(query.id.as_uuid()),
        details: json!({
            "reference": query.reference.to_string(),
            "note_id": note.id,
            "direction": note.note.contact.map(|c| c.direction.as_str()),
            "channel": note.note.contact.map(|c| c.channel.as_str()),
            "body": note.note.body,
        }),
    }
}

pub fn notification_sent(notification: &Notification) -> AuditEvent {
    let (kind, id) = subject_parts(notification.notification.subject);
    let payload = json!({"after": {
        "recipient_id": notification.notification.recipient, "kind": notification.notification.kind.as_str(),
        "subject_kind": kind, "subject_id": id,
    }});
    AuditEvent::new("notification.sent", "notification", notification.id.as_uuid(), payload)
}

/// How a subject is stored: a kind and an id.
pub fn subject_parts(subject: Subject) -> (&'static str, Uuid) {
    match subject {
        Subject::Query(id) => ("query", id.as_uuid()),
        Subject::Customer(id) => ("customer", id.as_uuid()),
        Subject::Team(id) => ("team", id.as_uuid()),
    }
}

pub fn new_notification_record(new: NewNotification, sender: Actor, now: Timestamp) -> Notification {
    Notification { id: NotificationId::new(), notification: new, sender, created_at: now, read_at: None }
}

/// The notification an officer gets when a query is assigned to them by someone else.
pub fn assignment_notification(before: Option<&Query>, after: &Query, actor: Actor) -> Option<NewNotification> {
    let officer = after.assignment.officer?;
    let unchanged = before.is_some_and(|b| b.assignment.officer == Some(officer));
    if unchanged || actor == Actor::User(officer.as_uuid()) {
        return None;
    }
    Some(NewNotification {
        recipient: officer,
        kind: NotificationKind::Assigned,
        subject: Subject::Query(after.id),
        message: None,
    })
}

/// A notification's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct NotificationColumns {
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub kind: String,
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub message: Option<String>,
    pub sender_id: Option<Uuid>,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

impl TryFrom<NotificationColumns> for Notification {
    type Error = crate::StorageError;
    fn try_from(row: NotificationColumns) -> StorageResult<Self> {
        let subject = match row.subject_kind.as_str() {
            "query" => Subject::Query(QueryId::from_uuid(row.subject_id)),
            "customer" => Subject::Customer(domain::CustomerId::from_uuid(row.subject_id)),
            "team" => Subject::Team(domain::TeamId::from_uuid(row.subject_id)),
            _ => return Err(corrupt("notification subject")),
        };
        Ok(Notification {
            id: NotificationId::from_uuid(row.id),
            notification: NewNotification {
                recipient: domain::UserId::from_uuid(row.recipient_id),
                kind: NotificationKind::parse(&row.kind).ok_or_else(|| corrupt("notification kind"))?,
                subject,
                message: row.message,
            },
            sender: row.sender_id.map_or(Actor::System, Actor::User),
            created_at: row.created_at,
            read_at: row.read_at,
        })
    }
}

/// A note's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct NoteColumns {
    pub id: Uuid,
    pub query_id: Uuid,
    pub kind: String,
    pub direction: Option<String>,
    pub channel: Option<String>,
    pub occurred_at: Timestamp,
    pub body: String,
    pub author_id: Option<Uuid>,
    pub created_at: Timestamp,
}

impl TryFrom<NoteColumns> for Note {
    type Error = crate::StorageError;
    fn try_from(row: NoteColumns) -> StorageResult<Self> {
        let contact = match (row.direction.as_deref(), row.channel.as_deref()) {
            (Some(direction), Some(channel)) => Some(ContactDetails {
                direction: Direction::parse(direction).ok_or_else(|| corrupt("note direction"))?,
                channel: Channel::parse(channel).ok_or_else(|| corrupt("note channel"))?,
            }),
            _ => None,
        };
        Ok(Note {
            id: NoteId::from_uuid(row.id),
            query_id: QueryId::from_uuid(row.query_id),
            note: NewNote {
                kind: NoteKind::parse(&row.kind).ok_or_else(|| corrupt("note kind"))?,
                contact,
                occurred_at: row.occurred_at,
                body: row.body,
            },
            author: row.author_id.map_or(Actor::System, Actor::User),
            created_at: row.created_at,
        })
    }
}

pub fn query_type_from_columns(
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    active: bool,
    version: i64,
) -> QueryType {
    QueryType {
        id: QueryTypeId::from_uuid(id),
        parent_id: parent_id.map(QueryTypeId::from_uuid),
        name,
        active,
        version,
    }
}

/// Rebuilds teams from rows of (team columns, member) ordered by team: one team per run.
/// A team's id, name, version, created and updated times, and one member with whether they
/// lead it (none for a team without members).
pub type TeamRow = (Uuid, String, i64, Timestamp, Timestamp, Option<(Uuid, bool)>);

/// One row per team and member (a team without members: one row, no member), in team and
/// member order.
pub fn teams_from_rows(rows: Vec<TeamRow>) -> Vec<Team> {
    let mut teams: Vec<Team> = Vec::new();
    for (id, name, version, created_at, updated_at, member) in rows {
        let id = TeamId::from_uuid(id);
        if teams.last().is_none_or(|t| t.id != id) {
            teams.push(Team {
                id,
                details: domain::team::TeamDetails::new(name, Vec::new()),
                version,
                created_at,
                updated_at,
            });
        }
        if let (Some(team), Some((member, leads))) = (teams.last_mut(), member) {
            let member = domain::UserId::from_uuid(member);
            team.details.members.push(member);
            if leads {
                team.details.leaders.push(member);
            }
        }
    }
    teams
}

pub fn party_added(query: &Query, party: &domain::party::Party) -> AuditEvent {
    let payload = json!({"after": {"customer_id": party.customer_id, "role": party.role.as_str()}});
    AuditEvent::new("query.party_added", "query", query.id.as_uuid(), payload)
}

pub fn party_removed(query: &Query, party: &domain::party::Party) -> AuditEvent {
    let payload = json!({"before": {"customer_id": party.customer_id, "role": party.role.as_str()}});
    AuditEvent::new("query.party_removed", "query", query.id.as_uuid(), payload)
}

/// On the party's own timeline (so their page shows the queries they act in) and the query's.
pub fn party_event(query: &Query, party: &domain::party::Party, kind: &'static str, at: Timestamp) -> NewEvent {
    NewEvent {
        at,
        kind,
        customer_id: Some(party.customer_id.as_uuid()),
        query_id: Some(query.id.as_uuid()),
        details: json!({"reference": query.reference.to_string(), "role": party.role.as_str(),
                        "customer_id": query.customer_id}),
    }
}

pub fn view_saved(view: &domain::saved_view::SavedView, action: &str) -> AuditEvent {
    let payload = json!({"after": {
        "name": view.details.name, "filter": view.details.filter, "columns": view.details.columns,
        "sort": view.details.sort.to_string(), "team_id": view.details.team,
    }, "version": view.version});
    AuditEvent::new(action, "view", view.id.as_uuid(), payload)
}

/// A saved view's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct ViewColumns {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub team_id: Option<Uuid>,
    pub name: String,
    pub filter: String,
    pub columns: String,
    pub sort: String,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<ViewColumns> for domain::saved_view::SavedView {
    type Error = crate::StorageError;
    fn try_from(row: ViewColumns) -> StorageResult<Self> {
        Ok(domain::saved_view::SavedView {
            id: domain::ViewId::from_uuid(row.id),
            owner: domain::UserId::from_uuid(row.owner_id),
            details: domain::saved_view::ViewDetails {
                name: row.name,
                filter: row.filter,
                columns: serde_json::from_str(&row.columns).map_err(|_| corrupt("view columns"))?,
                sort: domain::query_list::QuerySort::parse(&row.sort).ok_or_else(|| corrupt("view sort"))?,
                team: row.team_id.map(TeamId::from_uuid),
            },
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
