//! Parties to queries and saved views in the conformance suite.

use super::{DynStore, admin_scope, details, new_user, queries::new_query, tenant, unique};
use crate::{StorageError, TenantScope};
use domain::{audit::Actor, party::PartyRole, query_list::QuerySort, saved_view::ViewDetails, team::TeamDetails};

pub async fn parties_act_on_queries_and_follow_merges(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let customer = store.create_customer(&scope, details("Cara", "Client", "", "", "BS1 6PN")).await.unwrap();
    let mp = store.create_customer(&scope, details("Maria", "Member", "", "", "SW1A 0AA")).await.unwrap();
    let mp_twin = store.create_customer(&scope, details("Maria", "Member", "", "", "SW1A 0AA")).await.unwrap();
    let query = store.create_query(&scope, new_query("Housing", Some(customer.id))).await.unwrap();
    let added = store.add_party(&scope, query.id, mp.id, PartyRole::Mp).await.unwrap();
    store.add_party(&scope, query.id, mp_twin.id, PartyRole::Mp).await.unwrap();
    let again = store.add_party(&scope, query.id, mp.id, PartyRole::Mp).await;
    assert!(matches!(again, Err(StorageError::Conflict(domain::Conflict::PartyRoleTaken))), "{again:?}");
    let ghost = store.add_party(&scope, query.id, domain::CustomerId::new(), PartyRole::Family).await;
    assert!(matches!(ghost, Err(StorageError::UnknownReference { field: "customer_id" })));
    assert_eq!(store.list_parties(&scope, query.id).await.unwrap()[0], added);
    // The MP's own timeline shows the query they act in.
    let theirs = store.customer_timeline(&scope, mp.id, 100).await.unwrap();
    assert!(theirs.iter().any(|e| e.kind == "query.party_added" && e.query_id == Some(query.id)));

    // Merging the twin into the MP leaves one party, not two.
    store.merge_customer(&scope, mp_twin.id, 1, mp.id).await.unwrap();
    let parties = store.list_parties(&scope, query.id).await.unwrap();
    assert_eq!(parties.iter().map(|p| (p.customer_id, p.role)).collect::<Vec<_>>(), [(mp.id, PartyRole::Mp)]);
    store.remove_party(&scope, query.id, mp.id, PartyRole::Mp).await.unwrap();
    assert!(store.list_parties(&scope, query.id).await.unwrap().is_empty());
    let gone = store.remove_party(&scope, query.id, mp.id, PartyRole::Mp).await;
    assert!(matches!(gone, Err(StorageError::NotFound)));
    let (_, stranger) = tenant(&store).await;
    let foreign = store.add_party(&admin_scope(&stranger), query.id, mp.id, PartyRole::Mp).await;
    assert!(matches!(foreign, Err(StorageError::NotFound)));
}

pub async fn saved_views_are_personal_or_shared_with_a_team(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("o")))).await.unwrap();
    let outsider = store.create_user(&scope, new_user(&format!("{}@example.org", unique("x")))).await.unwrap();
    let officer_scope = TenantScope::new(admin.tenant_id, Actor::User(officer.id.as_uuid()));
    let team = store.create_team(&scope, TeamDetails::new("Housing", vec![officer.id])).await.unwrap();
    let view = |name: &str, team| ViewDetails {
        name: name.into(),
        filter: "open=true&channel=post".into(),
        columns: vec!["reference".into(), "subject".into()],
        sort: QuerySort::parse("-updated_at").unwrap(),
        team,
    };
    let mine = store.create_view(&scope, admin.id, view("Post", None)).await.unwrap();
    let shared = store.create_view(&scope, admin.id, view("Housing post", Some(team.id))).await.unwrap();
    let clash = store.create_view(&scope, admin.id, view("POST", None)).await;
    assert!(matches!(clash, Err(StorageError::Conflict(domain::Conflict::ViewNameTaken))));
    let no_team = store.create_view(&scope, admin.id, view("Ghost", Some(domain::TeamId::new()))).await;
    assert!(matches!(no_team, Err(StorageError::UnknownReference { field: "team_id" })));

    let names =
        |views: Vec<domain::saved_view::SavedView>| views.into_iter().map(|v| v.details.name).collect::<Vec<_>>();
    assert_eq!(names(store.views_for(&scope, admin.id).await.unwrap()), ["Housing post", "Post"]);
    assert_eq!(
        names(store.views_for(&officer_scope, officer.id).await.unwrap()),
        ["Housing post"],
        "shared with their team"
    );
    assert!(store.views_for(&scope, outsider.id).await.unwrap().is_empty());
    assert_eq!(store.views_for(&scope, admin.id).await.unwrap()[1], mine);

    // Only the owner changes or deletes a view, with its current version.
    let not_theirs = store.update_view(&officer_scope, officer.id, shared.id, 1, view("Mine now", None)).await;
    assert!(matches!(not_theirs, Err(StorageError::NotFound)));
    let renamed =
        store.update_view(&scope, admin.id, shared.id, 1, view("Housing letters", Some(team.id))).await.unwrap();
    assert_eq!((renamed.version, renamed.details.name.as_str()), (2, "Housing letters"));
    let stale = store.delete_view(&scope, admin.id, shared.id, 1).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));
    store.delete_view(&scope, admin.id, shared.id, 2).await.unwrap();
    assert!(store.views_for(&officer_scope, officer.id).await.unwrap().is_empty());
    let (_, stranger) = tenant(&store).await;
    assert!(store.views_for(&admin_scope(&stranger), admin.id).await.unwrap().is_empty());
}

/// Each user's recently opened records: newest first, a revisit moves a record to the top
/// rather than adding it twice, only the latest twenty are kept, and nobody sees another's.
pub async fn recently_viewed_keeps_each_users_latest(store: DynStore) {
    use domain::notification::Subject;
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user(&format!("{}@example.org", unique("o")))).await.unwrap();
    let (first, customer, second) = (
        Subject::Query(domain::QueryId::new()),
        Subject::Customer(domain::CustomerId::new()),
        Subject::Query(domain::QueryId::new()),
    );
    for subject in [first, customer, second, first] {
        store.record_visit(&scope, admin.id, subject).await.unwrap();
        // Visits a microsecond apart would tie; a real officer is never that quick.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let subjects = |visits: Vec<(Subject, domain::Timestamp)>| visits.into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    assert_eq!(subjects(store.recent_visits(&scope, admin.id, 10).await.unwrap()), [first, second, customer]);
    assert_eq!(subjects(store.recent_visits(&scope, admin.id, 2).await.unwrap()), [first, second]);
    assert!(store.recent_visits(&scope, officer.id, 10).await.unwrap().is_empty(), "another user's are their own");

    let many: Vec<Subject> =
        (0..crate::RECENTLY_VIEWED_KEPT + 5).map(|_| Subject::Query(domain::QueryId::new())).collect();
    for subject in &many {
        store.record_visit(&scope, officer.id, *subject).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let kept = subjects(store.recent_visits(&scope, officer.id, 100).await.unwrap());
    let newest: Vec<Subject> = many.iter().rev().take(crate::RECENTLY_VIEWED_KEPT as usize).copied().collect();
    assert_eq!(kept, newest, "the oldest beyond the limit are pruned");
}
