//! Statuses and versioned workflows in the conformance suite: moves checked against the
//! version a query follows, with the fields each asks for and the level it needs; statuses
//! added, reordered and retired; query types with workflows of their own.

use super::{DynStore, admin_scope, queries::new_query, tenant};
use crate::{StorageError, TenantScope};
use domain::{
    Conflict, Level, StatusId,
    query::{QueryEdit, QueryStatus, StatusCategory},
    team::NewQueryType,
    workflow::{Definition, Refusal, Requirement, StatusChange, StatusEdit, WorkflowRef},
};

fn of(statuses: &[QueryStatus], category: StatusCategory) -> StatusId {
    statuses.iter().find(|s| s.category == category).map(|s| s.id).expect("a status of the category")
}

fn with(to: StatusId, summary: Option<&str>, reason: Option<&str>) -> StatusChange {
    StatusChange { to, resolution_summary: summary.map(str::to_owned), reason: reason.map(str::to_owned) }
}

async fn history_len(store: &DynStore, scope: &TenantScope, id: domain::QueryId) -> usize {
    store.status_history(scope, id).await.unwrap().len()
}

pub async fn moves_follow_the_workflow_version_a_query_started_under(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let [new, open, waiting, resolved, closed] = StatusCategory::ALL.map(|c| of(&statuses, c));
    let workflows = store.list_workflows(&scope).await.unwrap();
    assert_eq!(workflows.len(), 1, "the default ships");
    let default = workflows[0].clone();
    assert_eq!((default.type_id, default.current, default.definition.initial), (None, 1, new));

    let query = store.create_query(&scope, new_query("Workflow", None)).await.unwrap();
    let v1 = WorkflowRef { id: default.id, version: 1 };
    let refused = store.change_query_status(&scope, query.id, 1, &with(closed, None, None), Level::Full).await;
    let Err(StorageError::Transition(Refusal::NotAllowed { from, allowed, .. })) = refused else {
        panic!("New to Closed is not a move: {refused:?}")
    };
    let names: Vec<&str> = allowed.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!((from.as_str(), names), ("New", vec!["In progress", "Waiting for customer", "Resolved"]));

    let open_q =
        store.change_query_status(&scope, query.id, 1, &with(open, None, None), Level::ReadWrite).await.unwrap();
    let refused =
        store.change_query_status(&scope, query.id, 2, &with(resolved, Some("  "), None), Level::ReadWrite).await;
    let Err(StorageError::Transition(Refusal::Fields(errors))) = refused else { panic!("{refused:?}") };
    assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("resolution_summary", "required"));
    assert_eq!(store.get_query(&scope, query.id).await.unwrap().map(|q| (q.version, q.status_id)), Some((2, open)));
    assert_eq!(history_len(&store, &scope, query.id).await, 2, "a refused move leaves no history");

    let change = with(resolved, Some(" Refund sent "), Some("not asked for"));
    let done = store.change_query_status(&scope, query.id, open_q.version, &change, Level::ReadWrite).await.unwrap();
    assert!(!done.is_open);
    let history = store.status_history(&scope, query.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.workflow, last.resolution_summary.as_deref(), last.reason.as_deref()),
        (Some(v1), Some("Refund sent"), None)
    );
    assert_eq!(history[0].workflow, Some(v1), "the first status too");

    // Version 2: reopening a closed query needs the queries area at full.
    let mut stricter = default.definition.clone();
    for t in stricter.transitions.iter_mut().filter(|t| t.from == closed) {
        t.level = Level::Full;
    }
    let stale = store.publish_workflow(&scope, default.id, 7, stricter.clone()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })), "{stale:?}");
    let published = store.publish_workflow(&scope, default.id, 1, stricter.clone()).await.unwrap();
    assert_eq!((published.current, published.version), (2, 2));
    assert_eq!(store.workflow_version(&scope, v1).await.unwrap(), Some(default.definition.clone()), "v1 is kept");
    let later = store.create_query(&scope, new_query("Later", None)).await.unwrap();
    let found = store.query_workflow(&scope, later.id).await.unwrap().unwrap();
    let (follows, applies) = (found.follows, found.applies);
    assert_eq!((follows.version, applies.version), (2, 2));
    let found = store.query_workflow(&scope, query.id).await.unwrap().unwrap();
    let (follows, applies) = (found.follows, found.applies);
    assert_eq!(
        (follows.version, applies),
        (1, WorkflowRef { id: default.id, version: 2 }),
        "the earlier query keeps 1"
    );

    // The earlier query, on version 1, may still be reopened at read-write once closed...
    let closed_q =
        store.change_query_status(&scope, query.id, 3, &with(closed, None, None), Level::ReadWrite).await.unwrap();
    let reopen = with(open, None, Some("The customer wrote again"));
    let missing =
        store.change_query_status(&scope, query.id, closed_q.version, &with(open, None, None), Level::ReadWrite).await;
    assert!(
        matches!(&missing, Err(StorageError::Transition(Refusal::Fields(e))) if e.0[0].field == "reason"),
        "{missing:?}"
    );
    let reopened =
        store.change_query_status(&scope, query.id, closed_q.version, &reopen, Level::ReadWrite).await.unwrap();
    assert_eq!(
        store.status_history(&scope, query.id).await.unwrap().last().unwrap().reason.as_deref(),
        Some("The customer wrote again")
    );
    // ...and once moved deliberately to version 2, it may not.
    let moved = store.move_query_workflow(&scope, query.id, reopened.version, None).await.unwrap();
    assert_eq!(moved.status_id, open, "its status is in version 2, so it stays");
    let follows = store.query_workflow(&scope, query.id).await.unwrap().unwrap().follows;
    assert_eq!(follows.version, 2);
    let resolved_q = store
        .change_query_status(&scope, query.id, moved.version, &with(resolved, Some("Done"), None), Level::ReadWrite)
        .await
        .unwrap();
    let closed_q = store
        .change_query_status(&scope, query.id, resolved_q.version, &with(closed, None, None), Level::ReadWrite)
        .await
        .unwrap();
    let refused = store.change_query_status(&scope, query.id, closed_q.version, &reopen, Level::ReadWrite).await;
    assert!(
        matches!(refused, Err(StorageError::Transition(Refusal::NeedsLevel { level: Level::Full, .. }))),
        "{refused:?}"
    );
    store.change_query_status(&scope, query.id, closed_q.version, &reopen, Level::Full).await.unwrap();
    let last = store.status_history(&scope, query.id).await.unwrap().pop().unwrap();
    assert_eq!(last.workflow, Some(WorkflowRef { id: default.id, version: 2 }));

    // An invalid definition is refused and publishes nothing.
    let mut broken = stricter;
    broken.initial = closed;
    let refused = store.publish_workflow(&scope, default.id, 2, broken).await;
    assert!(matches!(&refused, Err(StorageError::Transition(Refusal::Fields(e))) if e.0[0].code == "finished_status"));
    assert_eq!(store.get_workflow(&scope, default.id).await.unwrap().map(|w| w.current), Some(2));
    let _ = waiting;

    // Another tenant sees none of it.
    let (_, other) = tenant(&store).await;
    let theirs = store.list_workflows(&admin_scope(&other)).await.unwrap();
    assert!(theirs.iter().all(|w| w.id != default.id));
    assert_eq!(store.get_workflow(&admin_scope(&other), default.id).await.unwrap(), None);
    assert_eq!(store.query_workflow(&admin_scope(&other), query.id).await.unwrap(), None);
}

pub async fn statuses_are_added_reordered_and_retired(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let open = of(&statuses, StatusCategory::Open);
    let third = store.create_query_status(&scope, "Awaiting third party", StatusCategory::Waiting).await.unwrap();
    assert_eq!((third.position, third.retired, third.version, third.is_default), (6, false, 1, false));
    let taken = store.create_query_status(&scope, "Awaiting third party", StatusCategory::Open).await;
    assert!(matches!(taken, Err(StorageError::Conflict(Conflict::StatusNameTaken))), "{taken:?}");

    let edit = StatusEdit { name: "With a third party".into(), position: 2, retired: false };
    let moved = store.update_query_status(&scope, third.id, 1, edit.clone()).await.unwrap();
    assert_eq!((moved.name.as_str(), moved.position, moved.version), ("With a third party", 2, 2));
    let order: Vec<(String, i32)> =
        store.query_statuses(&scope).await.unwrap().into_iter().map(|s| (s.name, s.position)).collect();
    let expected = [
        ("New", 1),
        ("With a third party", 2),
        ("In progress", 3),
        ("Waiting for customer", 4),
        ("Resolved", 5),
        ("Closed", 6),
    ];
    assert_eq!(order, expected.map(|(n, p)| (n.to_owned(), p)));
    let stale = store.update_query_status(&scope, third.id, 1, edit).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));

    let in_use = store
        .update_query_status(&scope, open, 1, StatusEdit { name: "In progress".into(), position: 3, retired: true })
        .await;
    assert!(matches!(in_use, Err(StorageError::Conflict(Conflict::StatusInUse))), "{in_use:?}");
    let retire = StatusEdit { name: "With a third party".into(), position: 2, retired: true };
    let retired = store.update_query_status(&scope, third.id, 2, retire).await.unwrap();
    assert!(retired.retired);
    let default = store.list_workflows(&scope).await.unwrap().remove(0);
    let mut wider = default.definition.clone();
    wider.statuses.push(third.id);
    wider.transitions.push(domain::workflow::Transition {
        from: open,
        to: third.id,
        requires: vec![],
        level: Level::ReadWrite,
    });
    let refused = store.publish_workflow(&scope, default.id, 1, wider.clone()).await;
    assert!(
        matches!(&refused, Err(StorageError::Transition(Refusal::Fields(e))) if e.0[0].code == "retired"),
        "{refused:?}"
    );
    let restore = StatusEdit { name: "With a third party".into(), position: 2, retired: false };
    store.update_query_status(&scope, third.id, 3, restore).await.unwrap();
    wider.transitions.push(domain::workflow::Transition {
        from: third.id,
        to: open,
        requires: vec![Requirement::Reason],
        level: Level::ReadWrite,
    });
    let published = store.publish_workflow(&scope, default.id, 1, wider).await.unwrap();
    assert!(published.definition.statuses.contains(&third.id));
}

pub async fn query_types_follow_their_own_workflow_and_sub_types_inherit(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let statuses = store.query_statuses(&scope).await.unwrap();
    let [new, open, _, resolved, closed] = StatusCategory::ALL.map(|c| of(&statuses, c));
    let licensing =
        store.create_query_type(&scope, NewQueryType { name: "Licensing".into(), parent_id: None }).await.unwrap();
    let taxis = store
        .create_query_type(&scope, NewQueryType { name: "Taxi licence".into(), parent_id: Some(licensing.id) })
        .await
        .unwrap();
    // Licensing queries are answered at once: New straight to Resolved, then Closed.
    let short = Definition {
        initial: new,
        statuses: vec![new, resolved, closed],
        transitions: vec![
            domain::workflow::Transition {
                from: new,
                to: resolved,
                requires: vec![Requirement::ResolutionSummary],
                level: Level::ReadWrite,
            },
            domain::workflow::Transition { from: resolved, to: closed, requires: vec![], level: Level::ReadWrite },
        ],
    };
    let own = store.create_workflow(&scope, licensing.id, short.clone()).await.unwrap();
    assert_eq!((own.type_id, own.current), (Some(licensing.id), 1));
    let again = store.create_workflow(&scope, licensing.id, short.clone()).await;
    assert!(matches!(again, Err(StorageError::Conflict(Conflict::WorkflowTypeTaken))), "{again:?}");
    let unknown = store.create_workflow(&scope, domain::QueryTypeId::new(), short).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "query_type_id" })));

    let mut taxi = new_query("Taxi", None);
    taxi.type_id = Some(taxis.id);
    let taxi = store.create_query(&scope, taxi).await.unwrap();
    let follows = store.query_workflow(&scope, taxi.id).await.unwrap().unwrap().follows;
    assert_eq!(follows.id, own.id, "a sub-type follows its parent's workflow");
    let refused = store.change_query_status(&scope, taxi.id, 1, &with(open, None, None), Level::Full).await;
    assert!(
        matches!(&refused, Err(StorageError::Transition(Refusal::NotAllowed { allowed, .. })) if allowed == &vec![(resolved, "Resolved".to_owned())])
    );

    // A query logged without a type follows the default; given the type later, it keeps the
    // default until moved, and moving needs a status of the new workflow.
    let plain = store.create_query(&scope, new_query("Plain", None)).await.unwrap();
    let plain =
        store.change_query_status(&scope, plain.id, 1, &with(open, None, None), Level::ReadWrite).await.unwrap();
    let edit = QueryEdit {
        customer_id: None,
        channel: plain.channel,
        priority: plain.priority,
        subject: plain.subject.clone(),
        description: plain.description.clone(),
        received_at: plain.received_at,
        type_id: Some(licensing.id),
    };
    let typed = store.update_query(&scope, plain.id, plain.version, edit).await.unwrap();
    let found = store.query_workflow(&scope, plain.id).await.unwrap().unwrap();
    let (follows, applies) = (found.follows, found.applies);
    assert_ne!(follows.id, own.id, "not moved silently");
    assert_eq!(applies, WorkflowRef { id: own.id, version: 1 }, "where a move would take it");
    let refused = store.move_query_workflow(&scope, plain.id, typed.version, None).await;
    assert!(
        matches!(&refused, Err(StorageError::Transition(Refusal::Fields(e))) if e.0[0].field == "status_id"),
        "{refused:?}"
    );
    let moved = store.move_query_workflow(&scope, plain.id, typed.version, Some(new)).await.unwrap();
    assert_eq!((moved.status_id, moved.version), (new, typed.version + 1));
    let follows = store.query_workflow(&scope, plain.id).await.unwrap().unwrap().follows;
    assert_eq!(follows, WorkflowRef { id: own.id, version: 1 });
    let history = store.status_history(&scope, plain.id).await.unwrap();
    assert_eq!(history.last().map(|t| (t.from, t.to, t.workflow)), Some((Some(open), new, Some(follows))));
    let events = store.query_timeline(&scope, plain.id, 50).await.unwrap();
    assert!(events.iter().any(|e| e.kind == "query.workflow_moved"));
}
