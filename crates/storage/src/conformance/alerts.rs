//! Service-level alerts and leaders' digests: each delivered once, also when sweeps repeat or
//! run side by side.

use super::{DynStore, admin_scope, moving_to, new_user, queries::new_query, tenant, unique};
use crate::TenantScope;
use domain::{
    QueryId, TeamId, Timestamp, UserId,
    notification::{NotificationKind, Subject},
    query::{Assignment, NewQuery, Priority},
    sla::{Escalation, examples},
    team::TeamDetails,
};

async fn received(store: &DynStore, scope: &TenantScope, ago_secs: i64, assignment: Assignment) -> QueryId {
    let new = NewQuery {
        priority: Priority::Urgent,
        received_at: Timestamp::now().plus_seconds(-ago_secs),
        assignment,
        ..new_query("Service down", None)
    };
    store.create_query(scope, new).await.unwrap().id
}

/// (kind, subject) of each of `user`'s notifications but assignments, oldest first.
async fn told(store: &DynStore, scope: &TenantScope, user: UserId) -> Vec<(NotificationKind, Subject)> {
    let mut all = store.notifications_of(scope, user, None, 100).await.unwrap();
    all.reverse();
    all.into_iter()
        .filter(|n| n.notification.kind != NotificationKind::Assigned)
        .map(|n| (n.notification.kind, n.notification.subject))
        .collect()
}

/// On the 24x7 example (first response in 30 minutes, due soon at half time): a query 20
/// minutes in is due soon, to its officer; one 40 minutes in is overdue and only that (the
/// due-soon point passed unseen), to its team as it has no officer; a waiting one is not
/// chased. Sweeping again sends nothing; later the first turns overdue, once; the breach is on
/// the timeline; the team's leader gets one digest a day.
pub async fn alerts_go_once_to_the_officer_or_the_team(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let ann = store.create_user(&scope, new_user(&format!("{}@example.org", unique("ann")))).await.unwrap();
    let bob = store.create_user(&scope, new_user(&format!("{}@example.org", unique("bob")))).await.unwrap();
    let details = TeamDetails { leaders: vec![bob.id], ..TeamDetails::new("Digital", vec![ann.id, bob.id]) };
    let team = store.create_team(&scope, details).await.unwrap();
    let officer = Assignment { officer: Some(ann.id), team: Some(team.id) };
    let soon = received(&store, &scope, 20 * 60, officer).await;
    let late = received(&store, &scope, 40 * 60, Assignment { officer: None, team: Some(team.id) }).await;
    let waiting = received(&store, &scope, 20 * 60, officer).await;
    let statuses = store.query_statuses(&scope).await.unwrap();
    store.change_query_status(&scope, waiting, 1, &moving_to(statuses[2].id), domain::Level::ReadWrite).await.unwrap();

    let now = Timestamp::now();
    let sent = store.send_due_alerts(&scope, now, 100).await.unwrap();
    assert_eq!((sent.alerts, sent.more), (2, false));
    let mut recipients = vec![ann.id, bob.id];
    recipients.sort_unstable_by_key(|u| u.as_uuid());
    assert_eq!(sent.recipients, recipients);
    assert_eq!(
        told(&store, &scope, ann.id).await,
        // Soonest alert time first: the late one's due-soon point came first.
        [(NotificationKind::Overdue, Subject::Query(late)), (NotificationKind::DueSoon, Subject::Query(soon))]
    );
    assert_eq!(told(&store, &scope, bob.id).await, [(NotificationKind::Overdue, Subject::Query(late))]);
    let messages: Vec<_> = store.notifications_of(&scope, ann.id, None, 2).await.unwrap();
    let says = |i: usize| messages[i].notification.message.clone().unwrap_or_default();
    assert!(says(0).starts_with("First response is due by "), "{}", says(0));
    assert!(says(1).starts_with("First response was due by "), "{}", says(1));
    assert_eq!(store.send_due_alerts(&scope, now, 100).await.unwrap().alerts, 0, "nothing twice");
    // Waiting a moment and back moves the clock, and the sweep looks at it again: the ledger
    // knows its due-soon alert went.
    let paused =
        store.change_query_status(&scope, soon, 1, &moving_to(statuses[2].id), domain::Level::ReadWrite).await.unwrap();
    store
        .change_query_status(&scope, soon, paused.version, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    assert_eq!(store.send_due_alerts(&scope, Timestamp::now(), 100).await.unwrap().alerts, 0, "still once");

    let later = now.plus_seconds(11 * 60);
    assert_eq!(store.send_due_alerts(&scope, later, 100).await.unwrap().alerts, 1, "the first query is overdue");
    assert_eq!(store.send_due_alerts(&scope, later, 100).await.unwrap().alerts, 0);
    assert_eq!(told(&store, &scope, ann.id).await.len(), 3);
    assert!(told(&store, &scope, ann.id).await.iter().all(|(_, s)| *s != Subject::Query(waiting)), "waiting");
    let timeline = store.query_timeline(&scope, late, 100).await.unwrap();
    let breach = timeline.iter().find(|e| e.kind == "query.sla_breached").expect("the breach is on the timeline");
    assert_eq!(breach.details["clock"], "first_response");

    let digest = store.send_overdue_digests(&scope, "2026-12-04", later).await.unwrap();
    assert_eq!(digest, [bob.id], "the leader, not the member");
    let note = store.notifications_of(&scope, bob.id, None, 1).await.unwrap().remove(0).notification;
    assert_eq!(
        (note.kind, note.subject, note.message.as_deref()),
        (NotificationKind::Digest, Subject::Team(team.id), Some("2 overdue queries"))
    );
    assert!(store.send_overdue_digests(&scope, "2026-12-04", later).await.unwrap().is_empty(), "once a day");
    assert_eq!(store.send_overdue_digests(&scope, "2026-12-05", later).await.unwrap(), [bob.id]);
}

/// Four sweeps at once over 24 overdue queries, a few clocks each: every alert exactly once.
pub async fn concurrent_sweeps_alert_each_clock_once(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let ann = store.create_user(&scope, new_user(&format!("{}@example.org", unique("ann")))).await.unwrap();
    for _ in 0..24 {
        received(&store, &scope, 40 * 60, Assignment { officer: Some(ann.id), team: None }).await;
    }
    let now = Timestamp::now();
    let sweeps = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut alerts = 0;
            loop {
                let sent = store.send_due_alerts(&scope, now, 3).await.unwrap();
                alerts += sent.alerts;
                if !sent.more {
                    return alerts;
                }
            }
        })
    });
    let mut alerts = 0;
    for sweep in sweeps {
        alerts += sweep.await.unwrap();
    }
    assert_eq!(alerts, 24);
    let notes = told(&store, &scope, ann.id).await;
    assert_eq!(notes.len(), 24);
    let mut queries: Vec<_> = notes.iter().map(|(_, s)| format!("{s:?}")).collect();
    queries.sort();
    queries.dedup();
    assert_eq!(queries.len(), 24, "one alert per query");
}

/// A policy that escalates on breach hands the overdue query to its team (releasing the
/// officer), tells another team, and says so on the timeline; a team not the tenant's is
/// refused when the policy is saved.
pub async fn a_breach_escalates_to_the_named_teams(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let mut people = Vec::new();
    for name in ["ann", "carl", "dora"] {
        people.push(store.create_user(&scope, new_user(&format!("{}@example.org", unique(name)))).await.unwrap().id);
    }
    let (ann, carl, dora) = (people[0], people[1], people[2]);
    let first_line = store.create_team(&scope, TeamDetails::new("First line", vec![ann])).await.unwrap();
    let experts = store.create_team(&scope, TeamDetails::new("Experts", vec![carl])).await.unwrap();
    let managers = store.create_team(&scope, TeamDetails::new("Managers", vec![dora])).await.unwrap();
    let mut policy = examples()[0].1.clone();
    policy.name = "High: escalate".into();
    policy.conditions.priorities = vec![Priority::High];
    policy.on_breach = Escalation { reassign_team_id: Some(TeamId::new()), notify_team_id: None };
    let refused = store.create_sla_policy(&scope, policy.clone()).await;
    assert!(
        matches!(refused, Err(crate::StorageError::UnknownReference { field: "on_breach.reassign_team_id" })),
        "{refused:?}"
    );
    policy.on_breach = Escalation { reassign_team_id: Some(experts.id), notify_team_id: Some(managers.id) };
    let saved = store.create_sla_policy(&scope, policy).await.unwrap();
    store.order_sla_policies(&scope, &[saved.id]).await.unwrap();
    let new = NewQuery {
        priority: Priority::High,
        received_at: Timestamp::now().plus_seconds(-40 * 60),
        assignment: Assignment { officer: Some(ann), team: Some(first_line.id) },
        ..new_query("Escalate me", None)
    };
    let query = store.create_query(&scope, new).await.unwrap();

    assert_eq!(store.send_due_alerts(&scope, Timestamp::now(), 100).await.unwrap().alerts, 1);
    let after = store.get_query(&scope, query.id).await.unwrap().unwrap();
    assert_eq!((after.assignment.officer, after.assignment.team), (None, Some(experts.id)), "handed over");
    assert_eq!(after.version, query.version + 1);
    assert_eq!(told(&store, &scope, ann).await, [(NotificationKind::Overdue, Subject::Query(query.id))]);
    for member in [carl, dora] {
        assert_eq!(told(&store, &scope, member).await, [(NotificationKind::Escalated, Subject::Query(query.id))]);
    }
    let timeline = store.query_timeline(&scope, query.id, 100).await.unwrap();
    let escalated = timeline.iter().find(|e| e.kind == "query.escalated").expect("on the timeline");
    assert_eq!(escalated.details["team_id"], serde_json::json!(experts.id));
    assert_eq!(escalated.details["notified_team_id"], serde_json::json!(managers.id));
    assert_eq!(store.send_due_alerts(&scope, Timestamp::now(), 100).await.unwrap().alerts, 0, "once");
}
