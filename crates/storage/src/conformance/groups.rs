//! Groups with grants and members, and administrators' changes to users.

use super::{DynStore, admin_scope, new_user, tenant};
use crate::*;
use domain::{
    Area, EffectivePermissions, Grant, Level, Timestamp, UserId,
    group::GroupDetails,
    user::{DisplayName, UserStatus},
};

fn details(name: &str, grants: Vec<Grant>, members: Vec<domain::UserId>) -> GroupDetails {
    GroupDetails { name: name.into(), description: "For the suite".into(), grants, members }
}

pub async fn groups_carry_grants_to_their_members(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let (_, stranger) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officer = store.create_user(&scope, new_user("reader@example.org")).await.unwrap();
    let read = |area| Grant { area, level: Level::Read, own_teams: false };
    let created = store
        .create_group(&scope, details("Readers", vec![read(Area::Reports), read(Area::Customers)], vec![officer.id]))
        .await
        .unwrap();
    assert_eq!(created.details.grants, [read(Area::Customers), read(Area::Reports)], "grants in area order");
    assert_eq!(store.get_group(&scope, created.id).await.unwrap(), Some(created.clone()));
    assert_eq!(store.get_group(&admin_scope(&stranger), created.id).await.unwrap(), None, "other tenants see nothing");
    let perms = EffectivePermissions::from_grants(store.grants_of(&scope, officer.id).await.unwrap());
    assert_eq!((perms.level(Area::Reports), perms.level(Area::Queries)), (Level::Read, Level::None));

    let again = store.create_group(&scope, details("readers", vec![], vec![])).await;
    let duplicate = store.create_group(&scope, details("Readers", vec![], vec![])).await;
    assert!(again.is_ok(), "names differ in case only: {again:?}");
    assert!(matches!(duplicate, Err(StorageError::Conflict(domain::Conflict::GroupNameTaken))));
    let unknown = store.create_group(&scope, details("Ghosts", vec![], vec![stranger.id])).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "member_ids" })), "{unknown:?}");

    let changed = details("Readers", vec![Grant { area: Area::Queries, level: Level::Full, own_teams: false }], vec![]);
    let stale = store.update_group(&scope, created.id, 7, changed.clone()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })), "{stale:?}");
    let updated = store.update_group(&scope, created.id, 1, changed).await.unwrap();
    assert_eq!((updated.version, updated.details.members.len()), (2, 0));
    let perms = EffectivePermissions::from_grants(store.grants_of(&scope, officer.id).await.unwrap());
    assert_eq!(perms, EffectivePermissions::default(), "a member removed loses the group's grants");

    store.delete_group(&scope, created.id, 2).await.unwrap();
    assert_eq!(store.get_group(&scope, created.id).await.unwrap(), None);
    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    for action in ["group.created", "group.updated", "group.deleted"] {
        assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
    }
}

pub async fn builtin_groups_and_the_last_administrator_are_kept(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let groups = store.list_groups(&scope).await.unwrap();
    let administrators = groups.iter().find(|g| g.details.name == builtin_groups::ADMINISTRATORS).unwrap().clone();
    assert!(administrators.builtin);
    let mut weaker = administrators.details.clone();
    weaker.grants.pop();
    let refused = store.update_group(&scope, administrators.id, administrators.version, weaker).await;
    assert!(matches!(refused, Err(StorageError::Conflict(domain::Conflict::BuiltinGroupGrants))));
    let deleted = store.delete_group(&scope, administrators.id, administrators.version).await;
    assert!(matches!(deleted, Err(StorageError::Conflict(domain::Conflict::BuiltinGroupDeleted))));
    let mut emptied = administrators.details.clone();
    emptied.members.clear();
    let emptied = store.update_group(&scope, administrators.id, administrators.version, emptied).await;
    assert!(matches!(emptied, Err(StorageError::Conflict(domain::Conflict::LastAdministrator))));
    let disabled = UserChanges {
        display_name: admin.display_name.clone(),
        status: UserStatus::Disabled,
        group_ids: vec![administrators.id],
        break_glass: None,
    };
    let refused = store.update_user(&scope, admin.id, admin.version, disabled).await;
    assert!(matches!(refused, Err(StorageError::Conflict(domain::Conflict::LastAdministrator))));
    assert_eq!(store.get_group(&scope, administrators.id).await.unwrap(), Some(administrators), "nothing changed");
}

pub async fn disabling_a_user_ends_their_sessions_and_changes_groups(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let groups = store.list_groups(&scope).await.unwrap();
    let officers = groups.iter().find(|g| g.details.name == builtin_groups::OFFICERS).unwrap().id;
    let mut new = new_user("leaver@example.org");
    new.group_ids = vec![officers];
    let user = store.create_user(&scope, new).await.unwrap();
    let now = Timestamp::now();
    let token = [7u8; 32];
    let session = NewSession {
        token_hash: token,
        user_id: user.id,
        created_at: now,
        expires_at: now.plus_seconds(3600),
        from_address: None,
        idle_timeout_secs: 600,
        clears_failures_from: None,
    };
    store.start_session(&scope, session).await.unwrap();
    assert!(store.session_by_token(&token, now, 600).await.unwrap().is_some());

    let readers = store
        .create_group(
            &scope,
            details("Readers", vec![Grant { area: Area::Queries, level: Level::Read, own_teams: false }], vec![]),
        )
        .await
        .unwrap();
    let renamed = UserChanges {
        display_name: DisplayName::parse("name", "Lee Aver").unwrap(),
        status: UserStatus::Active,
        group_ids: vec![readers.id],
        break_glass: Some(true),
    };
    let stale = store.update_user(&scope, user.id, 9, renamed.clone()).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 1 })), "{stale:?}");
    let changed = store.update_user(&scope, user.id, 1, renamed).await.unwrap();
    assert_eq!((changed.display_name.as_str(), changed.version), ("Lee Aver", 2));
    assert_eq!(store.group_ids_of(&scope, user.id).await.unwrap(), [readers.id]);
    assert_eq!(store.break_glass_of(&scope, user.id).await.unwrap(), Some(true), "marked break-glass");
    assert_eq!(store.break_glass_of(&scope, admin.id).await.unwrap(), Some(true), "the first administrator is");
    let credential = store.local_credential(admin.tenant_id, "leaver@example.org", "unknown").await.unwrap().unwrap();
    assert!(credential.break_glass);
    let perms = EffectivePermissions::from_grants(store.grants_of(&scope, user.id).await.unwrap());
    assert_eq!(perms.level(Area::Queries), Level::Read, "the officers' read-write went with the group");
    assert!(store.session_by_token(&token, now, 600).await.unwrap().is_some(), "a change of groups keeps sessions");

    let ghost = UserChanges {
        display_name: changed.display_name.clone(),
        status: UserStatus::Active,
        group_ids: vec![domain::GroupId::new()],
        break_glass: None,
    };
    let unknown = store.update_user(&scope, user.id, 2, ghost).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "group_ids" })), "{unknown:?}");
    assert_eq!(store.group_ids_of(&scope, user.id).await.unwrap(), [readers.id], "nothing half-written");

    let disabled = UserChanges {
        display_name: changed.display_name.clone(),
        status: UserStatus::Disabled,
        group_ids: vec![],
        break_glass: None,
    };
    let after = store.update_user(&scope, user.id, 2, disabled).await.unwrap();
    assert_eq!(after.status, UserStatus::Disabled);
    assert!(store.session_by_token(&token, now, 600).await.unwrap().is_none(), "disabling ends the session");
    let entry =
        store.audit_chain(&scope).await.unwrap().into_iter().rfind(|e| e.envelope.action == "user.updated").unwrap();
    let payload: serde_json::Value = serde_json::from_str(&entry.payload_json.unwrap()).unwrap();
    assert_eq!(payload["sessions_ended"], 1);
    assert_eq!(payload["after"]["status"], "disabled");
}

pub async fn wrong_passwords_throttle_then_lock_until_a_sign_in_works(store: DynStore) {
    use domain::sign_in::{AfterFailure, LockoutPolicy, SignInSource};
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let user = store.create_user(&scope, new_user("guessed@example.org")).await.unwrap();
    let policy = LockoutPolicy { throttle_after: 2, lock_after: 3, lockout_secs: 600 };
    let now = Timestamp::now();
    let guesser = SignInSource::of(Some("192.0.2.1".parse().unwrap()));
    let officer = SignInSource::of(Some("198.51.100.9".parse().unwrap()));
    let fail = |user: UserId, from: &SignInSource, at: Timestamp| {
        let (store, from) = (store.clone(), from.clone());
        async move { store.record_failed_sign_in(admin.tenant_id, user, at, policy, &from).await.unwrap() }
    };
    let held = |from: &SignInSource| {
        let (store, key) = (store.clone(), from.key.clone());
        async move {
            let found = store.local_credential(admin.tenant_id, "guessed@example.org", &key).await.unwrap();
            found.unwrap().locked_until
        }
    };
    assert_eq!(fail(user.id, &guesser, now).await, AfterFailure::Open);
    assert_eq!(fail(user.id, &guesser, now).await, AfterFailure::Throttled { until: now.plus_seconds(1) });
    assert_eq!(fail(user.id, &guesser, now).await, AfterFailure::Locked { until: now.plus_seconds(600) });
    assert_eq!(held(&guesser).await, Some(now.plus_seconds(600)));
    assert_eq!(held(&officer).await, None, "another source is not held off");
    assert_eq!(fail(user.id, &officer, now).await, AfterFailure::Open, "and counts on its own");

    let later = now.plus_seconds(601);
    assert_eq!(fail(user.id, &guesser, later).await, AfterFailure::Open, "the count starts again after a lock");

    let session = NewSession {
        token_hash: [3u8; 32],
        user_id: user.id,
        created_at: later,
        expires_at: later.plus_seconds(60),
        from_address: None,
        idle_timeout_secs: 600,
        clears_failures_from: Some(officer.key.clone()),
    };
    store
        .start_session(&TenantScope::new(admin.tenant_id, domain::audit::Actor::User(user.id.as_uuid())), session)
        .await
        .unwrap();
    assert_eq!(
        fail(user.id, &officer, later).await,
        AfterFailure::Open,
        "a sign-in that worked starts the count again"
    );
    assert_eq!(
        fail(user.id, &guesser, later).await,
        AfterFailure::Throttled { until: later.plus_seconds(1) },
        "but only for its own source"
    );

    let entries = store.audit_chain(&scope).await.unwrap();
    let failed: Vec<_> = entries.iter().filter(|e| e.envelope.action == "sign_in.failed").collect();
    assert_eq!(failed.len(), 7);
    let payload: serde_json::Value = serde_json::from_str(failed[2].payload_json.as_deref().unwrap()).unwrap();
    assert_eq!((payload["consecutive_failures"].as_u64(), payload["from"].as_str()), (Some(3), Some("192.0.2.1")));
    assert_eq!(entries.iter().filter(|e| e.envelope.action == "user.locked_out").count(), 1);
    let other = store.record_failed_sign_in(admin.tenant_id, UserId::new(), now, policy, &guesser).await;
    assert!(other.is_err(), "a user without a local identity has nothing to count");

    // The break-glass administrator is throttled, never locked.
    for _ in 0..5 {
        let after = fail(admin.id, &guesser, now).await;
        assert!(!matches!(after, AfterFailure::Locked { .. }), "{after:?}");
    }
    assert_eq!(fail(admin.id, &guesser, now).await, AfterFailure::Throttled { until: now.plus_seconds(16) });
}

pub async fn sessions_end_with_a_reason_and_refuse_mode_refuses(store: DynStore) {
    use domain::access::{OneSessionPolicy, SessionEndReason};
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let user = store.create_user(&scope, new_user("twice@example.org")).await.unwrap();
    let now = Timestamp::now();
    let start = |token: u8, at: Timestamp| {
        let store = store.clone();
        let scope = TenantScope::new(admin.tenant_id, domain::audit::Actor::User(user.id.as_uuid()));
        async move {
            let new = NewSession {
                user_id: user.id,
                token_hash: [token; 32],
                created_at: at,
                expires_at: at.plus_seconds(7200),
                from_address: Some("198.51.100.4".into()),
                idle_timeout_secs: 600,
                clears_failures_from: None,
            };
            store.start_session(&scope, new).await
        }
    };
    let first = start(11, now).await.unwrap();
    let second = start(12, now).await.unwrap();
    assert!(store.session_by_token(&[11; 32], now, 600).await.unwrap().is_none());
    assert_eq!(store.session_end_reason(&[11; 32]).await.unwrap(), Some(SessionEndReason::SignedInElsewhere));
    assert_eq!(store.session_end_reason(&[12; 32]).await.unwrap(), None, "live");
    let live = store.live_sessions(&scope, now, 600).await.unwrap();
    assert_eq!(live.iter().map(|s| s.id).collect::<Vec<_>>(), [second.id]);
    assert_eq!(live[0].from_address.as_deref(), Some("198.51.100.4"));
    store.end_session_by_id(&scope, second.id, now, SessionEndReason::EndedByAdministrator).await.unwrap();
    assert_eq!(store.session_end_reason(&[12; 32]).await.unwrap(), Some(SessionEndReason::EndedByAdministrator));
    let gone = store.end_session_by_id(&scope, first.id, now, SessionEndReason::EndedByAdministrator).await;
    assert!(matches!(gone, Err(StorageError::NotFound)), "{gone:?}");

    assert_eq!(store.access_settings(&scope).await.unwrap().version, 0);
    let refuse = domain::access::AccessSettings {
        one_session: OneSessionPolicy::Refuse,
        local_sign_in: domain::access::LocalSignIn::BreakGlassOnly,
        version: 0,
    };
    let stale = store.update_access_settings(&scope, 3, refuse).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 0 })), "{stale:?}");
    let settings = store.update_access_settings(&scope, 0, refuse).await.unwrap();
    assert_eq!((settings.one_session, settings.version), (OneSessionPolicy::Refuse, 1));
    assert_eq!(settings.local_sign_in, domain::access::LocalSignIn::BreakGlassOnly);
    assert_eq!(store.access_settings(&scope).await.unwrap(), settings);

    start(13, now).await.unwrap();
    let refused = start(14, now).await;
    assert!(matches!(refused, Err(StorageError::Conflict(domain::Conflict::SessionActiveElsewhere))));
    assert!(store.session_by_token(&[13; 32], now, 600).await.unwrap().is_some(), "the first stays");
    let later = now.plus_seconds(601);
    start(15, later).await.expect("an idle session no longer blocks a sign-in");
    assert_eq!(store.session_end_reason(&[13; 32]).await.unwrap(), Some(SessionEndReason::SignedInElsewhere));
    store.end_session(&scope, &[15; 32]).await.unwrap();
    assert_eq!(store.session_end_reason(&[15; 32]).await.unwrap(), Some(SessionEndReason::SignedOut));

    let chain = store.audit_chain(&scope).await.unwrap();
    let reasons: Vec<String> = chain
        .iter()
        .filter(|e| e.envelope.action == "session.ended")
        .map(|e| {
            let payload: serde_json::Value = serde_json::from_str(e.payload_json.as_deref().unwrap()).unwrap();
            payload["after"]["reason"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(reasons, ["signed_in_elsewhere", "ended_by_administrator", "signed_in_elsewhere", "signed_out"]);
    assert!(chain.iter().any(|e| e.envelope.action == "settings.access_updated"));
}
