//! Service-level policies and the clocks they keep on queries, through pause and resume.

use super::{DynStore, admin_scope, moving_to, queries::new_query, tenant};
use crate::StorageError;
use domain::{
    CalendarId, Conflict, Timestamp,
    note::{ContactDetails, Direction, NewNote, NoteKind},
    query::{Channel, Priority},
    sla::{ClockKind, ClockState, PolicyDefinition, TargetSpec, TargetUnit, examples},
};

/// Every organisation starts with AFS-01 and AFS-02, in that order; policies are added last,
/// named once, versioned, refused with a calendar not theirs, and reordered as a whole.
pub async fn tenants_start_with_the_example_policies_and_order_them(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let listed = store.list_sla_policies(&scope).await.unwrap();
    let shipped: Vec<_> = listed.iter().map(|p| (p.id, p.definition.clone())).collect();
    assert_eq!(shipped, examples());

    let mut planning = examples()[1].1.clone();
    planning.name = "Planning appeals".into();
    planning.conditions.channels = vec![Channel::Post];
    let added = store.create_sla_policy(&scope, planning.clone()).await.unwrap();
    assert_eq!((added.position, added.version), (2, 1));
    let clash =
        store.create_sla_policy(&scope, PolicyDefinition { name: "PLANNING APPEALS".into(), ..planning.clone() }).await;
    assert!(matches!(clash, Err(StorageError::Conflict(Conflict::SlaPolicyNameTaken))), "{clash:?}");
    let elsewhere = TargetSpec { calendar_id: CalendarId::new(), unit: TargetUnit::WorkingDays, amount: 5 };
    let unknown = PolicyDefinition { name: "Elsewhere".into(), resolution: Some(elsewhere), ..planning.clone() };
    let refused = store.create_sla_policy(&scope, unknown).await;
    assert!(matches!(refused, Err(StorageError::UnknownReference { field: "resolution.calendar_id" })), "{refused:?}");

    let stale = store.update_sla_policy(&scope, added.id, 7, planning.clone()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })), "{stale:?}");
    let changed = store.update_sla_policy(&scope, added.id, 1, planning).await.unwrap();
    assert_eq!(changed.version, 2);

    let ids: Vec<_> = [added.id, listed[0].id, listed[1].id].into();
    let ordered = store.order_sla_policies(&scope, &ids).await.unwrap();
    assert_eq!(ordered.iter().map(|p| p.id).collect::<Vec<_>>(), ids);
    let to_front = store.order_sla_policies(&scope, &[listed[1].id]).await.unwrap();
    assert_eq!(to_front.iter().map(|p| p.id).collect::<Vec<_>>(), [listed[1].id, added.id, listed[0].id]);
    let twice = store.order_sla_policies(&scope, &[added.id, added.id]).await;
    assert!(matches!(twice, Err(StorageError::UnknownReference { field: "ids" })), "{twice:?}");
    let unknown = store.order_sla_policies(&scope, &[domain::SlaPolicyId::new()]).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "ids" })), "{unknown:?}");

    let (_, stranger) = tenant(&store).await;
    assert!(store.get_sla_policy(&admin_scope(&stranger), added.id).await.unwrap().is_none(), "another tenant's");
}

/// An urgent query's clocks start at its received time on the 24x7 example; waiting pauses
/// them and stops nothing, an outbound contact stops the first response, resolving the rest.
pub async fn clocks_start_at_received_and_follow_the_query(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let received = Timestamp::now().plus_seconds(-600);
    let urgent =
        domain::query::NewQuery { priority: Priority::Urgent, received_at: received, ..new_query("Down", None) };
    let query = store.create_query(&scope, urgent).await.unwrap();
    let clocks = store.query_clocks(&scope, query.id).await.unwrap();
    let due: Vec<_> = clocks.iter().map(|c| (c.kind, c.due_at)).collect();
    assert_eq!(
        due,
        [
            (ClockKind::FirstResponse, received.plus_seconds(1800)),
            (ClockKind::Resolution, received.plus_seconds(4 * 3600))
        ]
    );
    assert!(clocks.iter().all(|c| c.policy_id == examples()[0].0 && c.started_at == received));

    // A normal query on the office-hours example has clocks too; nothing else is asked.
    let normal = store.create_query(&scope, new_query("Letter", None)).await.unwrap();
    assert_eq!(store.query_clocks(&scope, normal.id).await.unwrap()[0].policy_id, examples()[1].0);

    let waiting = store
        .change_query_status(&scope, query.id, 1, &moving_to(statuses[2].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    let paused = store.query_clocks(&scope, query.id).await.unwrap();
    assert!(paused.iter().all(|c| c.state(Timestamp::now()) == ClockState::Paused), "{paused:?}");
    let open = store
        .change_query_status(&scope, query.id, waiting.version, &moving_to(statuses[1].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    let resumed = store.query_clocks(&scope, query.id).await.unwrap();
    assert!(resumed.iter().all(|c| c.is_running()), "{resumed:?}");
    assert!(resumed[0].due_at > received.plus_seconds(1800), "the pause moved the due time on");

    let reply = NewNote {
        kind: NoteKind::Contact,
        contact: Some(ContactDetails { direction: Direction::Outbound, channel: Channel::Phone }),
        occurred_at: Timestamp::now(),
        body: "Called back".into(),
    };
    store.add_note(&scope, query.id, reply).await.unwrap();
    let answered = store.query_clocks(&scope, query.id).await.unwrap();
    assert_eq!(answered[0].state(Timestamp::now()), ClockState::Met);
    assert!(answered[1].is_running(), "resolution still counts");

    store
        .change_query_status(&scope, query.id, open.version, &moving_to(statuses[3].id), domain::Level::ReadWrite)
        .await
        .unwrap();
    let resolved = store.query_clocks(&scope, query.id).await.unwrap();
    assert!(resolved.iter().all(|c| c.state(Timestamp::now()) == ClockState::Met), "{resolved:?}");
}

/// Correcting how or when a query arrived times it again from its received time, under the
/// policy that now applies, replaying its reply.
pub async fn a_corrected_query_is_timed_again_from_its_history(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let received = Timestamp::from_micros(1_772_442_000_000_000); // Monday 2 March 2026, 09:00 GMT
    let new = domain::query::NewQuery { received_at: received, ..new_query("Letter", None) };
    let query = store.create_query(&scope, new).await.unwrap();
    assert_eq!(store.query_clocks(&scope, query.id).await.unwrap()[0].policy_id, examples()[1].0, "office hours");
    let reply = NewNote {
        kind: NoteKind::Contact,
        contact: Some(ContactDetails { direction: Direction::Outbound, channel: Channel::Phone }),
        occurred_at: received.plus_seconds(600),
        body: "Rang".into(),
    };
    store.add_note(&scope, query.id, reply).await.unwrap();

    let edit = |priority, received_at| domain::query::QueryEdit {
        customer_id: None,
        channel: query.channel,
        priority,
        subject: query.subject.clone(),
        description: query.description.clone(),
        received_at,
        type_id: None,
    };
    let urgent = store.update_query(&scope, query.id, 1, edit(Priority::Urgent, received)).await.unwrap();
    let clocks = store.query_clocks(&scope, query.id).await.unwrap();
    assert!(clocks.iter().all(|c| c.policy_id == examples()[0].0), "severity 1 now: {clocks:?}");
    assert_eq!(clocks[0].due_at, received.plus_seconds(1800));
    assert_eq!(clocks[0].state(Timestamp::now()), ClockState::Met, "the reply ten minutes in is replayed");
    assert_eq!(clocks[1].state(Timestamp::now()), ClockState::Overdue);

    let earlier = received.plus_seconds(-3600);
    store.update_query(&scope, query.id, urgent.version, edit(Priority::Urgent, earlier)).await.unwrap();
    let clocks = store.query_clocks(&scope, query.id).await.unwrap();
    assert_eq!((clocks[0].started_at, clocks[0].due_at), (earlier, earlier.plus_seconds(1800)));
    assert_eq!(clocks[0].state(Timestamp::now()), ClockState::Missed, "it arrived an hour earlier than thought");
}

/// A changed policy moves no promise already made; an administrator's re-timing (queued once
/// per version) times the open queries of its earlier versions again under the new one, notes
/// it on their timelines, leaves resolved ones alone, and ends when none is left.
pub async fn open_queries_are_retimed_only_when_asked(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let resolved = statuses.iter().find(|s| s.category.is_done()).unwrap().id;
    let hours = |amount| TargetSpec {
        calendar_id: examples()[0].1.first_response.unwrap().calendar_id,
        unit: TargetUnit::CalendarHours,
        amount,
    };
    let mut email = PolicyDefinition {
        name: "Email".into(),
        first_response: Some(hours(8)),
        resolution: Some(hours(48)),
        ..examples()[0].1.clone()
    };
    email.conditions = domain::sla::Conditions { channels: vec![Channel::Email], ..domain::sla::Conditions::default() };
    let policy = store.create_sla_policy(&scope, email.clone()).await.unwrap();
    store.order_sla_policies(&scope, &[policy.id]).await.unwrap();
    let received = Timestamp::now().plus_seconds(-3600);
    let by_email = |subject| domain::query::NewQuery {
        channel: Channel::Email,
        received_at: received,
        ..new_query(subject, None)
    };
    let open = store.create_query(&scope, by_email("Still open")).await.unwrap();
    let done = store.create_query(&scope, by_email("Done")).await.unwrap();
    store.change_query_status(&scope, done.id, 1, &moving_to(resolved), domain::Level::ReadWrite).await.unwrap();
    assert_eq!(open.due.due_at, Some(received.plus_seconds(8 * 3600)));

    email.first_response = Some(hours(4));
    let changed = store.update_sla_policy(&scope, policy.id, 1, email).await.unwrap();
    let clocks = store.query_clocks(&scope, open.id).await.unwrap();
    assert_eq!((clocks[0].due_at, clocks[0].policy_version), (received.plus_seconds(8 * 3600), 1), "not silently");

    let (asked, queued) = store.request_retime(&scope, policy.id).await.unwrap();
    assert_eq!((asked.version, queued), (changed.version, true));
    assert!(!store.request_retime(&scope, policy.id).await.unwrap().1, "queued once per version");
    assert_eq!(store.retime_open_queries(&scope, policy.id, 10).await.unwrap(), 1, "the open one only");
    let clocks = store.query_clocks(&scope, open.id).await.unwrap();
    assert_eq!((clocks[0].due_at, clocks[0].policy_version), (received.plus_seconds(4 * 3600), 2));
    let read = store.get_query(&scope, open.id).await.unwrap().unwrap();
    assert_eq!(read.due.due_at, Some(received.plus_seconds(4 * 3600)), "the queues see the new due time");
    let timeline = store.query_timeline(&scope, open.id, 20).await.unwrap();
    assert!(timeline.iter().any(|e| e.kind == "query.retimed"), "{timeline:?}");
    let resolved_clocks = store.query_clocks(&scope, done.id).await.unwrap();
    assert!(resolved_clocks.iter().all(|c| c.policy_version == 1), "a resolved query keeps its record");
    assert_eq!(store.retime_open_queries(&scope, policy.id, 10).await.unwrap(), 0, "nothing left");
    let missing = store.retime_open_queries(&scope, domain::SlaPolicyId::new(), 10).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{missing:?}");
}
