//! One suite of storage tests that every backend runs against itself, so PostgreSQL and
//! SQLite behave alike. Each backend's `tests/conformance.rs` calls
//! `storage::conformance_suite!(fresh_store())` with a function returning a new, empty,
//! migrated store.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::*;
use domain::{
    Area, EffectivePermissions, Level, Timestamp,
    audit::{Actor, AuditEvent, verify_chain},
    tenant::{TenantName, TenantSlug},
    user::{DisplayName, EmailAddress},
};
use std::sync::Arc;

mod alerts;
mod api_tokens;
mod calendars;
mod customers;
mod document_text;
mod documents;
mod due_lists;
mod edits;
mod entra;
mod groups;
mod jobs;
mod parties_views;
mod queries;
mod restrictions;
mod search;
mod sla;
mod work;
mod workflows;
pub use alerts::*;
pub use api_tokens::*;
pub use calendars::*;
pub use customers::*;
pub use document_text::*;
pub use documents::*;
pub use due_lists::*;
pub use edits::*;
pub use entra::*;
pub use groups::*;
pub use jobs::*;
pub use parties_views::*;
pub use queries::*;
pub use restrictions::*;
pub use search::*;
pub use sla::*;
pub use work::*;
pub use workflows::*;

pub type DynStore = Arc<dyn Database>;

#[macro_export]
macro_rules! conformance_suite {
    ($make:expr) => {
        $crate::conformance_suite!(@cases $make;
            tenant_round_trips_and_slug_is_unique,
            first_administrator_has_full_permissions,
            user_round_trips_exactly,
            duplicate_email_is_a_conflict_and_writes_nothing,
            users_are_invisible_across_tenants,
            users_page_by_keyset_without_gaps,
            local_credentials_need_an_active_local_identity,
            a_new_session_ends_the_others,
            sessions_expire_absolutely_and_when_idle,
            every_write_is_audited_and_the_chain_verifies,
            readiness_reports_current_migrations,
            groups_carry_grants_to_their_members,
            builtin_groups_and_the_last_administrator_are_kept,
            disabling_a_user_ends_their_sessions_and_changes_groups,
            wrong_passwords_throttle_then_lock_until_a_sign_in_works,
            api_tokens_are_found_by_hash_until_revoked_or_expired,
            sessions_end_with_a_reason_and_refuse_mode_refuses,
            restricted_queries_are_seen_only_by_their_groups,
            team_limited_viewers_see_only_their_teams_queries,
            entra_sign_in_links_once_and_follows_mapped_groups,
            entra_sign_in_never_removes_the_last_administrator,
            pending_entra_sign_ins_are_taken_once_within_their_window,
            customer_round_trips_normalised,
            customer_updates_need_the_current_version,
            customers_are_invisible_across_tenants,
            customers_page_by_keyset,
            duplicate_candidates_share_a_contact_or_postcode,
            tenants_start_with_the_default_statuses,
            queries_get_increasing_references_per_tenant,
            status_changes_are_versioned_and_kept_in_order,
            queries_filter_and_page_to_the_end,
            the_customer_timeline_has_every_event_in_time_order,
            search_finds_the_same_queries_on_every_backend,
            a_common_word_pages_in_received_order_to_the_end,
            every_sort_pages_to_the_end_in_order,
            teams_and_query_types_are_managed_per_tenant,
            assignment_is_versioned_filtered_and_notifies,
            team_workload_counts_open_queries_per_officer,
            notes_and_contacts_join_both_timelines,
            query_edits_are_versioned_and_audited_field_by_field,
            deleted_queries_leave_tombstones,
            merging_moves_everything_to_the_survivor,
            parties_act_on_queries_and_follow_merges,
            saved_views_are_personal_or_shared_with_a_team,
            recently_viewed_keeps_each_users_latest,
            calendars_are_kept_per_tenant_and_versioned,
            jobs_are_added_once_and_claimed_by_one_owner,
            lapsed_leases_are_taken_over_and_failures_back_off,
            concurrent_claims_share_out_every_job_once,
            old_idempotency_keys_are_purged_per_tenant,
            tenants_start_with_the_example_policies_and_order_them,
            clocks_start_at_received_and_follow_the_query,
            a_corrected_query_is_timed_again_from_its_history,
            open_queries_are_retimed_only_when_asked,
            alerts_go_once_to_the_officer_or_the_team,
            queues_sort_and_filter_by_due_time,
            moves_follow_the_workflow_version_a_query_started_under,
            statuses_are_added_reordered_and_retired,
            query_types_follow_their_own_workflow_and_sub_types_inherit,
            concurrent_sweeps_alert_each_clock_once,
            a_breach_escalates_to_the_named_teams,
            a_bank_holiday_upload_replaces_the_last_one_read,
            names_come_for_live_records_of_the_tenant_only,
            documents_are_kept_with_their_records_and_shredded_when_deleted,
            rescans_go_oldest_first_and_a_find_quarantines_and_tells_administrators,
            document_terms_find_every_word_for_those_who_see_the_record
        );
    };
    (@cases $make:expr; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let store: $crate::conformance::DynStore = $make.await;
                $crate::conformance::$case(store).await;
            }
        )+
    };
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::now_v7().simple().to_string()[20..])
}

/// A move with every field a default-workflow move may ask for (only those asked for are kept).
pub fn moving_to(status: StatusId) -> domain::workflow::StatusChange {
    domain::workflow::StatusChange {
        to: status,
        resolution_summary: Some("Answered the customer".into()),
        reason: Some("The customer wrote again".into()),
    }
}

pub fn new_tenant(slug: &str) -> NewTenant {
    NewTenant {
        slug: TenantSlug::parse("slug", slug).unwrap(),
        name: TenantName::parse("name", &format!("Tenant {slug}")).unwrap(),
        admin_email: EmailAddress::parse("email", &format!("admin@{slug}.example.org")).unwrap(),
        admin_name: DisplayName::parse("name", "Administrator").unwrap(),
        admin_password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
    }
}

pub fn new_user(email: &str) -> NewUser {
    NewUser {
        email: EmailAddress::parse("email", email).unwrap(),
        display_name: DisplayName::parse("name", "Officer Name").unwrap(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        group_ids: vec![],
        break_glass: false,
    }
}

pub(crate) async fn tenant(store: &DynStore) -> (domain::tenant::Tenant, domain::user::User) {
    store.create_tenant(new_tenant(&unique("t"))).await.unwrap()
}

pub(crate) fn admin_scope(admin: &domain::user::User) -> TenantScope {
    TenantScope::new(admin.tenant_id, Actor::User(admin.id.as_uuid()))
}

pub async fn tenant_round_trips_and_slug_is_unique(store: DynStore) {
    let (created, _) = tenant(&store).await;
    assert_eq!(store.tenant_by_slug(&created.slug).await.unwrap(), Some(created.clone()));
    assert_eq!(store.tenant_by_id(created.id).await.unwrap(), Some(created.clone()));
    assert!(store.list_tenants().await.unwrap().contains(&created));
    let again = store.create_tenant(new_tenant(created.slug.as_str())).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "got {again:?}");
}

pub async fn first_administrator_has_full_permissions(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let grants = store.grants_of(&admin_scope(&admin), admin.id).await.unwrap();
    assert_eq!(EffectivePermissions::from_grants(grants), EffectivePermissions::full());
    let groups = store.list_groups(&admin_scope(&admin)).await.unwrap();
    let names: Vec<_> = groups.iter().map(|g| g.details.name.as_str()).collect();
    assert_eq!(names, [builtin_groups::ADMINISTRATORS, builtin_groups::OFFICERS]);
}

pub async fn user_round_trips_exactly(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let officers =
        store.list_groups(&scope).await.unwrap().into_iter().find(|g| g.details.name == builtin_groups::OFFICERS);
    let mut new = new_user("Officer@Example.org");
    new.group_ids = vec![officers.unwrap().id];
    let created = store.create_user(&scope, new).await.unwrap();
    assert_eq!(created.email.as_str(), "officer@example.org");
    assert_eq!(store.get_user(&scope, created.id).await.unwrap(), Some(created.clone()));
    let perms = EffectivePermissions::from_grants(store.grants_of(&scope, created.id).await.unwrap());
    assert_eq!(perms.level(Area::Queries), Level::ReadWrite);
    assert_eq!(perms.level(Area::Administration), Level::None);
}

pub async fn duplicate_email_is_a_conflict_and_writes_nothing(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    store.create_user(&scope, new_user("dup@example.org")).await.unwrap();
    let users_before = store.list_users(&scope, None, 100).await.unwrap().len();
    let audit_before = store.audit_chain(&scope).await.unwrap().len();
    let again = store.create_user(&scope, new_user("DUP@example.org")).await;
    match again {
        Err(StorageError::Conflict(conflict)) => assert_eq!(conflict, domain::Conflict::EmailTaken),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.list_users(&scope, None, 100).await.unwrap().len(), users_before);
    assert_eq!(store.audit_chain(&scope).await.unwrap().len(), audit_before);
}

pub async fn users_are_invisible_across_tenants(store: DynStore) {
    let (_, admin_a) = tenant(&store).await;
    let (_, admin_b) = tenant(&store).await;
    let b_user = store.create_user(&admin_scope(&admin_b), new_user("same@example.org")).await.unwrap();
    // The same email is free in another tenant.
    store.create_user(&admin_scope(&admin_a), new_user("same@example.org")).await.unwrap();
    assert_eq!(store.get_user(&admin_scope(&admin_a), b_user.id).await.unwrap(), None);
    assert!(store.grants_of(&admin_scope(&admin_a), admin_b.id).await.unwrap().is_empty());
    let listed = store.list_users(&admin_scope(&admin_a), None, 100).await.unwrap();
    assert!(listed.iter().all(|u| u.tenant_id == admin_a.tenant_id));
    assert_eq!(listed.len(), 2);
}

pub async fn users_page_by_keyset_without_gaps(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    for i in 0..6 {
        store.create_user(&scope, new_user(&format!("user{i}@example.org"))).await.unwrap();
    }
    let mut seen = vec![];
    let mut after = None;
    loop {
        let page = store.list_users(&scope, after, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|u| u.id);
        seen.extend(page.into_iter().map(|u| u.id));
    }
    assert_eq!(seen.len(), 7, "six officers and the administrator");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
}

pub async fn local_credentials_need_an_active_local_identity(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let mut no_password = new_user("sso-only@example.org");
    no_password.password_hash = None;
    store.create_user(&scope, no_password).await.unwrap();
    let found = store.local_credential(admin.tenant_id, admin.email.as_str(), "unknown").await.unwrap();
    assert_eq!(found.map(|c| c.user_id), Some(admin.id));
    assert!(store.local_credential(admin.tenant_id, "sso-only@example.org", "unknown").await.unwrap().is_none());
    assert!(store.local_credential(admin.tenant_id, "nobody@example.org", "unknown").await.unwrap().is_none());
    let (other, _) = tenant(&store).await;
    assert!(store.local_credential(other.id, admin.email.as_str(), "unknown").await.unwrap().is_none());
}

fn session(user: &domain::user::User, token: u8, now: Timestamp, lifetime: i64) -> NewSession {
    NewSession {
        user_id: user.id,
        token_hash: [token; 32],
        created_at: now,
        expires_at: now.plus_seconds(lifetime),
        from_address: Some("192.0.2.1".into()),
        idle_timeout_secs: 600,
        clears_failures_from: None,
    }
}

pub async fn a_new_session_ends_the_others(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let now = Timestamp::now();
    let token_a = rand_token();
    let token_b = token_a.wrapping_add(1);
    store.start_session(&scope, session(&admin, token_a, now, 3600)).await.unwrap();
    assert!(live(&store, &[token_a; 32], now, 600).await);
    store.start_session(&scope, session(&admin, token_b, now, 3600)).await.unwrap();
    assert!(!live(&store, &[token_a; 32], now, 600).await);
    let found = store.session_principal(&[token_b; 32], now, 600, Activity::Active).await.unwrap().unwrap();
    assert_eq!((found.session.tenant_id, found.session.user_id), (admin.tenant_id, admin.id));
    assert_eq!(found.user, admin);
    assert!(live(&store, &[token_b; 32], now, 600).await);
    store.end_session(&scope, &[token_b; 32]).await.unwrap();
    assert!(!live(&store, &[token_b; 32], now, 600).await);
}

/// Whether the session is live, asked both ways a request can ask (the bare session, and the
/// session with its principal), which must agree; the principal must be the session's.
async fn live(store: &DynStore, token: &[u8; 32], now: Timestamp, idle: i64) -> bool {
    let principal = store.session_principal(token, now, idle, Activity::Active).await.unwrap();
    let session = store.session_by_token(token, now, idle).await.unwrap();
    assert_eq!(principal.as_ref().map(|p| &p.session), session.as_ref(), "session_principal and session_by_token");
    if let Some(p) = &principal {
        let scope = TenantScope::new(p.tenant.id, Actor::System);
        assert_eq!(store.tenant_by_id(p.tenant.id).await.unwrap().as_ref(), Some(&p.tenant));
        assert_eq!(store.get_user(&scope, p.session.user_id).await.unwrap().as_ref(), Some(&p.user));
        let mut expected = store.grants_of(&scope, p.user.id).await.unwrap();
        let mut got = p.grants.clone();
        expected.sort_by_key(|g| (g.area, g.level));
        got.sort_by_key(|g| (g.area, g.level));
        assert_eq!(got, expected, "grants");
        assert!(!got.is_empty(), "the administrator has grants");
    }
    principal.is_some()
}

/// Session tokens in this suite are 32 copies of one byte; vary it per test run so suites
/// sharing a database cannot collide.
fn rand_token() -> u8 {
    uuid::Uuid::now_v7().as_bytes()[15]
}

pub async fn sessions_expire_absolutely_and_when_idle(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let start = Timestamp::now();
    let token = rand_token();
    store.start_session(&scope, session(&admin, token, start, 300)).await.unwrap();
    // Used within the idle window: still live. A use more than SESSION_TOUCH_SECS after the
    // last recorded one moves the window on (so +170 is live only because +61 was recorded).
    assert!(live(&store, &[token; 32], start.plus_seconds(30), 120).await);
    assert!(live(&store, &[token; 32], start.plus_seconds(61), 120).await);
    assert!(live(&store, &[token; 32], start.plus_seconds(170), 120).await);
    // Past the absolute expiry, however recently used.
    assert!(!live(&store, &[token; 32], start.plus_seconds(301), 120).await);

    let idle = token.wrapping_add(1); // derived, so the three tokens never collide
    store.start_session(&scope, session(&admin, idle, start, 1000)).await.unwrap();
    assert!(live(&store, &[idle; 32], start.plus_seconds(30), 120).await);
    assert!(!live(&store, &[idle; 32], start.plus_seconds(121), 120).await, "idle");

    // A passive lookup (a live-update stream reconnecting) finds the session but does not
    // count as use: the session still idles out from its last real use.
    let watched = token.wrapping_add(2);
    store.start_session(&scope, session(&admin, watched, start, 1000)).await.unwrap();
    let token = [watched; 32];
    let passive = |at| store.session_principal(&token, start.plus_seconds(at), 120, Activity::Passive);
    let seen = passive(100).await.unwrap().expect("live within the idle window");
    assert_eq!(seen.session.last_seen_at, start, "not touched");
    assert!(passive(110).await.unwrap().is_some());
    assert!(!live(&store, &[watched; 32], start.plus_seconds(130), 120).await, "idle despite the passive lookups");
}

pub async fn every_write_is_audited_and_the_chain_verifies(store: DynStore) {
    let (tenant, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let user = store.create_user(&scope, new_user("audited@example.org")).await.unwrap();
    store
        .record(&scope, AuditEvent::new("sign_in.failed", "user", user.id.as_uuid(), serde_json::json!({})))
        .await
        .unwrap();
    let chain = store.audit_chain(&scope).await.unwrap();
    assert_eq!(verify_chain(&chain), Ok(chain.len() as u64));
    let actions: Vec<_> = chain.iter().map(|e| e.envelope.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "tenant.created",
            "group.created",
            "group.created",
            "workflow.published",
            "user.created",
            "user.created",
            "sign_in.failed"
        ]
    );
    assert_eq!(chain[0].envelope.subject_id, tenant.id.as_uuid());
    assert_eq!(chain[0].envelope.actor, Actor::System);
    let created = &chain[5];
    assert_eq!((created.envelope.actor, created.envelope.subject_id), (scope.actor, user.id.as_uuid()));
    let payload: serde_json::Value = serde_json::from_str(created.payload_json.as_deref().unwrap()).unwrap();
    assert_eq!(payload["after"]["email"], "audited@example.org");
    // Another tenant's chain is its own.
    let (_, other_admin) = self::tenant(&store).await;
    assert_eq!(store.audit_chain(&admin_scope(&other_admin)).await.unwrap().len(), 5);
}

pub async fn readiness_reports_current_migrations(store: DynStore) {
    let readiness = store.readiness().await.unwrap();
    assert!(readiness.is_current(), "{readiness:?}");
    assert!(readiness.known_migrations >= 1);
}
