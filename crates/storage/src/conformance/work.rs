//! Working queries in the conformance suite: sorting and paging, teams and types, assignment
//! with notifications, and notes and contacts on the timelines.

use super::{DynStore, admin_scope, details, moving_to, new_user, queries::new_query, tenant, unique};
use crate::{StorageError, TenantScope};
use domain::{
    QueryTypeId, TeamId, Timestamp, UserId,
    audit::Actor,
    note::{ContactDetails, Direction, NewNote, NoteKind},
    notification::{NewNotification, NotificationKind, Subject},
    query::{Assignment, Channel, Query, QueryFilter},
    query_list::{AssigneeFilter, QueryCursor, QuerySort},
    team::{NewQueryType, TeamDetails},
};

fn ids(queries: &[Query]) -> Vec<domain::QueryId> {
    queries.iter().map(|q| q.id).collect()
}

pub async fn every_sort_pages_to_the_end_in_order(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let mut made = vec![];
    // Received times out of logging order, with a tie, so the id must break it.
    for (i, days_ago) in [5, 1, 3, 3, 9, 2, 7].into_iter().enumerate() {
        let mut new = new_query(&format!("Sort {i}"), None);
        new.received_at = Timestamp::from_micros(1_700_000_000_000_000 - days_ago * 86_400_000_000);
        made.push(store.create_query(&scope, new).await.unwrap());
    }
    // Touch two so updated_at differs from logging order.
    let touched = store
        .change_query_status(&scope, made[0].id, 1, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    made[0] = touched;
    let touched = store
        .change_query_status(&scope, made[4].id, 1, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    made[4] = touched;
    for raw in QuerySort::allowed() {
        let sort = QuerySort::parse(&raw).unwrap();
        let mut expected = made.clone();
        expected.sort_by_key(|q| (sort.key.value_of(q), q.id));
        if sort.descending {
            expected.reverse();
        }
        let mut seen = vec![];
        let mut cursor = None;
        loop {
            let page = store.list_queries(&scope, &QueryFilter::default(), sort, cursor, 2).await.unwrap();
            if page.is_empty() {
                break;
            }
            cursor = page.last().map(|q| QueryCursor::after(q, sort));
            seen.extend(page);
        }
        assert_eq!(ids(&seen), ids(&expected), "sort {raw}");
    }
}

pub async fn teams_and_query_types_are_managed_per_tenant(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("o")))).await.unwrap();
    let details = |name: &str, members: Vec<UserId>| TeamDetails::new(name, members);
    let team = store.create_team(&scope, details("Planning", vec![officer.id, admin.id])).await.unwrap();
    assert_eq!(store.get_team(&scope, team.id).await.unwrap(), Some(team.clone()));
    assert_eq!(team.details.members, [officer.id, admin.id], "members keep their order");
    let clash = store.create_team(&scope, details("PLANNING", vec![])).await;
    assert!(matches!(clash, Err(StorageError::Conflict(domain::Conflict::TeamNameTaken))), "{clash:?}");
    let ghost = store.create_team(&scope, details("Ghosts", vec![UserId::new()])).await;
    assert!(matches!(ghost, Err(StorageError::UnknownReference { field: "member_ids" })), "{ghost:?}");
    let renamed =
        store.update_team(&scope, team.id, 1, details("Planning and building", vec![admin.id])).await.unwrap();
    assert_eq!((renamed.version, renamed.details.members.clone()), (2, vec![admin.id]));
    let stale = store.update_team(&scope, team.id, 1, details("Again", vec![])).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));
    assert_eq!(store.list_teams(&scope).await.unwrap(), [renamed]);
    let (_, stranger) = tenant(&store).await;
    assert!(store.list_teams(&admin_scope(&stranger)).await.unwrap().is_empty());
    assert_eq!(store.get_team(&admin_scope(&stranger), team.id).await.unwrap(), None);

    let new_type = |name: &str, parent_id: Option<QueryTypeId>| NewQueryType { name: name.into(), parent_id };
    let waste = store.create_query_type(&scope, new_type("Waste", None)).await.unwrap();
    let bins = store.create_query_type(&scope, new_type("Missed bin", Some(waste.id))).await.unwrap();
    let too_deep = store.create_query_type(&scope, new_type("Too deep", Some(bins.id))).await;
    assert!(matches!(too_deep, Err(StorageError::UnknownReference { field: "parent_id" })), "{too_deep:?}");
    let twin = store.create_query_type(&scope, new_type("missed BIN", Some(waste.id))).await;
    assert!(matches!(twin, Err(StorageError::Conflict(domain::Conflict::QueryTypeNameTaken))));
    store.create_query_type(&scope, new_type("Missed bin", None)).await.expect("the same name under another parent");
    let types = store.list_query_types(&scope).await.unwrap();
    assert_eq!(types.iter().filter(|t| t.parent_id.is_none()).count(), 2);
    assert_eq!(types.last().map(|t| t.id), Some(bins.id), "sub-types after types");

    let mut typed = new_query("Typed", None);
    typed.type_id = Some(bins.id);
    let query = store.create_query(&scope, typed.clone()).await.unwrap();
    let by_type = QueryFilter { types: vec![bins.id], ..Default::default() };
    assert_eq!(ids(&store.list_queries(&scope, &by_type, QuerySort::default(), None, 10).await.unwrap()), [query.id]);
    // A type stands for its sub-types; a sibling's queries stay out.
    let mut untyped = new_query("Untyped", None);
    untyped.type_id = Some(waste.id);
    let on_parent = store.create_query(&scope, untyped).await.unwrap();
    let by_parent = QueryFilter { types: vec![waste.id], ..Default::default() };
    let found = ids(&store.list_queries(&scope, &by_parent, QuerySort::default(), None, 10).await.unwrap());
    assert_eq!(found, [query.id, on_parent.id]);
    assert_eq!(store.count_queries(&scope, &by_parent).await.unwrap(), 2);
    let other_parent = types.iter().find(|t| t.parent_id.is_none() && t.id != waste.id).unwrap().id;
    let by_other = QueryFilter { types: vec![other_parent], ..Default::default() };
    assert_eq!(store.count_queries(&scope, &by_other).await.unwrap(), 0);
    let retired = store.update_query_type(&scope, bins.id, 1, "Missed bin".into(), false).await.unwrap();
    assert!(!retired.active);
    let refused = store.create_query(&scope, typed).await;
    assert!(matches!(refused, Err(StorageError::UnknownReference { field: "type_id" })), "{refused:?}");
    assert_eq!(store.get_query(&scope, query.id).await.unwrap().unwrap().type_id, Some(bins.id), "old queries keep it");
    let foreign = store.create_query_type(&admin_scope(&stranger), new_type("Theirs", Some(waste.id))).await;
    assert!(matches!(foreign, Err(StorageError::UnknownReference { field: "parent_id" })));
}

pub async fn assignment_is_versioned_filtered_and_notifies(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("o")))).await.unwrap();
    let officer_scope = TenantScope::new(admin.tenant_id, Actor::User(officer.id.as_uuid()));
    let team = store.create_team(&scope, TeamDetails::new("Benefits", vec![officer.id])).await.unwrap();
    let query = store.create_query(&scope, new_query("Assign me", None)).await.unwrap();
    let other = store.create_query(&scope, new_query("Leave me", None)).await.unwrap();
    let to = |officer: Option<UserId>, team: Option<TeamId>| Assignment { officer, team };

    let assigned = store.assign_query(&scope, query.id, 1, to(Some(officer.id), Some(team.id))).await.unwrap();
    assert_eq!((assigned.version, assigned.assignment), (2, to(Some(officer.id), Some(team.id))));
    let stale = store.assign_query(&scope, query.id, 1, to(None, None)).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));
    let ghost = store.assign_query(&scope, query.id, 2, to(Some(UserId::new()), None)).await;
    assert!(matches!(ghost, Err(StorageError::UnknownReference { field: "assignee_id" })), "{ghost:?}");
    let no_team = store.assign_query(&scope, query.id, 2, to(None, Some(TeamId::new()))).await;
    assert!(matches!(no_team, Err(StorageError::UnknownReference { field: "team_id" })));

    let list = |filter: QueryFilter| {
        let store = store.clone();
        async move { ids(&store.list_queries(&scope, &filter, QuerySort::default(), None, 50).await.unwrap()) }
    };
    let mine = QueryFilter { assignee: AssigneeFilter::Officer(officer.id), ..Default::default() };
    assert_eq!(list(mine.clone()).await, [query.id]);
    assert_eq!(list(QueryFilter { assignee: AssigneeFilter::Nobody, ..Default::default() }).await, [other.id]);
    assert_eq!(list(QueryFilter { team_id: Some(team.id), open: Some(true), ..Default::default() }).await, [query.id]);
    assert!(list(QueryFilter { open: Some(false), ..Default::default() }).await.is_empty());
    assert_eq!(store.count_queries(&scope, &mine).await.unwrap(), 1);

    // The officer was told, once; assigning to yourself tells nobody.
    let inbox = store.notifications_of(&scope, officer.id, None, 10).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].notification.kind, NotificationKind::Assigned);
    assert_eq!(inbox[0].notification.subject, Subject::Query(query.id));
    assert_eq!(inbox[0].sender, Actor::User(admin.id.as_uuid()));
    store.assign_query(&officer_scope, other.id, 1, to(Some(officer.id), None)).await.unwrap();
    assert_eq!(store.unread_count(&scope, officer.id).await.unwrap(), 1);
    store.mark_read(&officer_scope, officer.id, inbox[0].id).await.unwrap();
    assert_eq!(store.unread_count(&scope, officer.id).await.unwrap(), 0);
    let not_theirs = store.mark_read(&scope, admin.id, inbox[0].id).await;
    assert!(matches!(not_theirs, Err(StorageError::NotFound)), "only the recipient marks it read");

    // A share carries a message and a subject; a stranger's id is refused.
    let shared = store
        .notify(
            &scope,
            NewNotification {
                recipient: officer.id,
                kind: NotificationKind::Shared,
                subject: Subject::Query(other.id),
                message: Some("Can you look at this?".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(store.notifications_of(&scope, officer.id, None, 10).await.unwrap()[0], shared, "newest first");
    let (_, stranger) = tenant(&store).await;
    let cross = store
        .notify(
            &admin_scope(&stranger),
            NewNotification {
                recipient: officer.id,
                kind: NotificationKind::Shared,
                subject: Subject::Query(other.id),
                message: None,
            },
        )
        .await;
    assert!(matches!(cross, Err(StorageError::NotFound)), "{cross:?}");
    assert!(store.notifications_of(&admin_scope(&stranger), officer.id, None, 10).await.unwrap().is_empty());
    let actions: Vec<_> = store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "query.assigned").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "notification.sent").count(), 2);
}

pub async fn notes_and_contacts_join_both_timelines(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let customer = store.create_customer(&scope, details("Nora", "Oates", "", "", "BS1 6PN")).await.unwrap();
    let query = store.create_query(&scope, new_query("Call me back", Some(customer.id))).await.unwrap();
    let yesterday = Timestamp::now().plus_seconds(-86_400);
    let call = NewNote {
        kind: NoteKind::Contact,
        contact: Some(ContactDetails { direction: Direction::Outbound, channel: Channel::Phone }),
        occurred_at: yesterday,
        body: "Rang to explain the delay".into(),
    };
    let note =
        NewNote { kind: NoteKind::Note, contact: None, occurred_at: Timestamp::now(), body: "Chase Highways".into() };
    let first = store.add_note(&scope, query.id, call.clone()).await.unwrap();
    let second = store.add_note(&scope, query.id, note).await.unwrap();
    assert_eq!(store.list_notes(&scope, query.id).await.unwrap(), [first.clone(), second]);
    assert_eq!(first.note, call);
    assert_eq!(first.author, Actor::User(admin.id.as_uuid()));
    let missing = store.add_note(&scope, domain::QueryId::new(), call.clone()).await;
    assert!(matches!(missing, Err(StorageError::NotFound)));

    let kinds = |events: Vec<domain::event::Event>| events.into_iter().map(|e| e.kind).collect::<Vec<_>>();
    let on_query = kinds(store.query_timeline(&scope, query.id, 100).await.unwrap());
    assert_eq!(on_query, ["query.received", "query.contact_recorded", "query.logged", "query.note_added"]);
    let on_customer = kinds(store.customer_timeline(&scope, customer.id, 100).await.unwrap());
    assert!(
        on_customer.contains(&"query.contact_recorded".to_owned())
            && on_customer.contains(&"query.note_added".to_owned())
    );
    let (_, stranger) = tenant(&store).await;
    assert!(store.list_notes(&admin_scope(&stranger), query.id).await.unwrap().is_empty());
    let foreign = store.add_note(&admin_scope(&stranger), query.id, call).await;
    assert!(matches!(foreign, Err(StorageError::NotFound)));
}

pub async fn names_come_for_live_records_of_the_tenant_only(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("o")))).await.unwrap();
    let team = store.create_team(&scope, TeamDetails::new("Planning", vec![])).await.unwrap();
    let ann = store.create_customer(&scope, details("Ann", "Lee", "ann@example.org", "", "BS1 4DJ")).await.unwrap();
    let bob = store.create_customer(&scope, details("Bob", "Lee", "bob@example.org", "", "BS1 4DJ")).await.unwrap();
    store.merge_customer(&scope, bob.id, bob.version, ann.id).await.unwrap();
    let (_, other_admin) = tenant(&store).await;
    let other = store
        .create_customer(&admin_scope(&other_admin), details("Cy", "Lee", "cy@example.org", "", "BS1 4DJ"))
        .await
        .unwrap();

    let appeal = store.create_query(&scope, new_query("Appeal", None)).await.unwrap();
    let secret = store.create_query(&scope, new_query("Secret", None)).await.unwrap();
    let panel = domain::group::GroupDetails {
        name: "Panel".into(),
        description: String::new(),
        grants: vec![],
        members: vec![officer.id],
    };
    let panel = store.create_group(&scope, panel).await.unwrap();
    store.restrict_query(&scope, secret.id, secret.version, vec![panel.id]).await.unwrap();

    let wanted = crate::NamesWanted {
        queries: vec![appeal.id, secret.id, domain::QueryId::new()],
        customers: vec![ann.id, bob.id, other.id],
        users: vec![officer.id, other_admin.id, UserId::new()],
        teams: vec![team.id, TeamId::new()],
    };
    let names = store.names(&scope, &wanted).await.unwrap();
    let title = |q: &Query| crate::QueryTitle { reference: q.reference, subject: q.subject.clone() };
    // The administrator is not in the panel, so the restricted query goes unnamed; its member sees it.
    assert_eq!(names.queries.into_iter().collect::<Vec<_>>(), vec![(appeal.id, title(&appeal))]);
    let member = TenantScope::new(admin.tenant_id, Actor::User(officer.id.as_uuid()));
    let seen = store.names(&member, &crate::NamesWanted { queries: vec![secret.id], ..Default::default() }).await;
    assert_eq!(seen.unwrap().queries.into_iter().collect::<Vec<_>>(), vec![(secret.id, title(&secret))]);
    assert_eq!(names.customers.into_iter().collect::<Vec<_>>(), vec![(ann.id, "Ann Lee".to_owned())]);
    assert_eq!(names.users.into_iter().collect::<Vec<_>>(), vec![(officer.id, "Officer Name".to_owned())]);
    assert_eq!(names.teams.into_iter().collect::<Vec<_>>(), vec![(team.id, "Planning".to_owned())]);
    assert_eq!(store.names(&scope, &crate::NamesWanted::default()).await.unwrap(), crate::Names::default());
}

/// A team's workload: its open queries the viewer may see, counted per officer (unassigned as
/// `None`); closed queries, other teams' and restricted ones the viewer may not see are not.
pub async fn team_workload_counts_open_queries_per_officer(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let ann = store.create_user(&scope, new_user(&format!("{}@example.org", unique("ann")))).await.unwrap();
    let bob = store.create_user(&scope, new_user(&format!("{}@example.org", unique("bob")))).await.unwrap();
    let led = TeamDetails { leaders: vec![bob.id], ..TeamDetails::new("Housing", vec![ann.id, bob.id]) };
    let team = store.create_team(&scope, led.clone()).await.unwrap();
    assert_eq!(store.get_team(&scope, team.id).await.unwrap().unwrap().details, led, "leaders are kept");
    let other = store.create_team(&scope, TeamDetails::new("Planning", vec![ann.id])).await.unwrap();
    let make = |officer: Option<UserId>, team: TeamId| {
        let store = store.clone();
        async move {
            let new = domain::query::NewQuery {
                assignment: Assignment { officer, team: Some(team) },
                ..new_query("Workload", None)
            };
            store.create_query(&scope, new).await.unwrap()
        }
    };
    make(Some(ann.id), team.id).await;
    make(Some(ann.id), team.id).await;
    make(Some(bob.id), team.id).await;
    make(None, team.id).await;
    make(Some(ann.id), other.id).await;
    let closed = make(Some(bob.id), team.id).await;
    let statuses = store.query_statuses(&scope).await.unwrap();
    let closing = statuses.iter().find(|s| s.category == domain::query::StatusCategory::Resolved).unwrap();
    store.change_query_status(&scope, closed.id, 1, &moving_to(closing.id), domain::Level::ReadWrite).await.unwrap();

    let mut held = store.team_workload(&scope, team.id).await.unwrap();
    held.sort();
    let mut expected = vec![(None, 1), (Some(ann.id), 2), (Some(bob.id), 1)];
    expected.sort();
    assert_eq!(held, expected);
    assert_eq!(store.team_workload(&scope, other.id).await.unwrap(), [(Some(ann.id), 1)]);
    let empty = store.create_team(&scope, TeamDetails::new("Empty", vec![])).await.unwrap();
    assert!(store.team_workload(&scope, empty.id).await.unwrap().is_empty());
}
