//! Entra ID storage: a directory belongs to one tenant; sign-in links by email once, then by
//! object id; mapped memberships follow the person's groups and roles, hand-given ones stay; a
//! pending sign-in is taken once and not after its window.

use super::{DynStore, admin_scope, new_user, tenant};
use crate::*;
use domain::{
    GroupId, Timestamp,
    entra::{ClaimKind, EntraObjectId, EntraPerson, EntraSettingsChange},
    group::GroupDetails,
};

fn guid(raw: &str) -> EntraObjectId {
    EntraObjectId::parse("id", raw).unwrap()
}

fn change(directory: &str, secret: Option<&str>) -> EntraSettingsChange {
    EntraSettingsChange {
        directory_id: guid(directory),
        client_id: guid("6731de76-14a6-49ae-97bc-6eba6914391e"),
        client_secret: secret.map(str::to_owned),
        redirect_url: "https://casedesk.example/api/v1/auth/entra/callback".into(),
        api_audience: "api://casedesk".into(),
    }
}

fn person(directory: &str, oid: &str, email: &str, groups: &[&str], roles: &[&str]) -> EntraPerson {
    EntraPerson {
        directory_id: guid(directory),
        object_id: guid(oid),
        display_name: "Petra Person".into(),
        email: Some(email.into()),
        email_verified: true,
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn group(name: &str) -> GroupDetails {
    GroupDetails { name: name.into(), description: String::new(), grants: vec![], members: vec![] }
}

const DIRECTORY: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OID: &str = "00000000-0000-0000-0000-0000000000a1";
const ENTRA_GROUP: &str = "8a9b1c2d-0000-4000-8000-000000000001";

pub async fn entra_sign_in_links_once_and_follows_mapped_groups(store: DynStore) {
    let (tenant_a, admin) = tenant(&store).await;
    let (_, stranger) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let system = TenantScope::system(admin.tenant_id);

    // Configuration: a first save needs the secret; a directory belongs to one tenant.
    let missing = store.update_entra_settings(&scope, 0, change(DIRECTORY, None)).await;
    assert!(matches!(missing, Err(StorageError::UnknownReference { field: "client_secret" })), "{missing:?}");
    let saved = store.update_entra_settings(&scope, 0, change(DIRECTORY, Some("s3cret"))).await.unwrap();
    assert_eq!(saved.version, 1);
    let kept = store.update_entra_settings(&scope, 1, change(DIRECTORY, None)).await.unwrap();
    assert_eq!((kept.version, kept.client_secret.as_str()), (2, "s3cret"), "no secret given keeps the stored one");
    let stale = store.update_entra_settings(&scope, 1, change(DIRECTORY, None)).await;
    assert!(matches!(stale, Err(StorageError::VersionMismatch { current: 2 })));
    let taken = store.update_entra_settings(&admin_scope(&stranger), 0, change(DIRECTORY, Some("x"))).await;
    assert!(matches!(taken, Err(StorageError::Conflict(domain::Conflict::EntraDirectoryTaken))));
    let found = store.tenant_by_entra_directory(&guid(DIRECTORY)).await.unwrap().unwrap();
    assert_eq!(found.id, tenant_a.id);
    assert!(store.entra_settings(&admin_scope(&stranger)).await.unwrap().is_none(), "other tenants see nothing");

    // Mappings: an Entra group to one group, an app role to another.
    let readers = store.create_group(&scope, group("Readers")).await.unwrap();
    let writers = store.create_group(&scope, group("Writers")).await.unwrap();
    let by_group = store.add_entra_mapping(&scope, ClaimKind::Group, ENTRA_GROUP.into(), readers.id).await.unwrap();
    store.add_entra_mapping(&scope, ClaimKind::Role, "Case.Write".into(), writers.id).await.unwrap();
    let twice = store.add_entra_mapping(&scope, ClaimKind::Group, ENTRA_GROUP.into(), readers.id).await;
    assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    let unknown = store.add_entra_mapping(&scope, ClaimKind::Role, "X".into(), GroupId::new()).await;
    assert!(matches!(unknown, Err(StorageError::UnknownReference { field: "group_id" })));
    assert_eq!(store.entra_mappings(&scope).await.unwrap().len(), 2);

    // First sign-in links the existing user with that email.
    // (No password: the directory's email changes follow only users who do not sign in with one.)
    let local =
        store.create_user(&scope, NewUser { password_hash: None, ..new_user("petra@example.org") }).await.unwrap();
    let first = person(DIRECTORY, OID, "petra@example.org", &[ENTRA_GROUP], &[]);
    let signed_in = store.entra_sign_in(&system, &first).await.unwrap();
    assert_eq!(signed_in.id, local.id);
    assert_eq!(signed_in.display_name.as_str(), "Petra Person", "the directory's name is kept");
    assert_eq!(store.group_ids_of(&scope, local.id).await.unwrap(), [readers.id]);

    // By object id from then on, following a new email; groups and roles replace mapped ones.
    let hand_given = store.create_group(&scope, group("Hand")).await.unwrap();
    let current = store.get_user(&scope, local.id).await.unwrap().unwrap();
    let changes = UserChanges {
        display_name: current.display_name.clone(),
        status: current.status,
        group_ids: vec![readers.id, hand_given.id],
        break_glass: None,
    };
    store.update_user(&scope, local.id, current.version, changes).await.unwrap();
    let moved = person(DIRECTORY, OID, "petra.new@example.org", &[], &["Case.Write"]);
    let again = store.entra_sign_in(&system, &moved).await.unwrap();
    assert_eq!((again.id, again.email.as_str()), (local.id, "petra.new@example.org"));
    let mut expected = vec![hand_given.id, writers.id];
    expected.sort();
    let mut groups = store.group_ids_of(&scope, local.id).await.unwrap();
    groups.sort();
    assert_eq!(groups, expected, "Readers (mapped) went, Writers came, the hand-given group stayed");

    // Not linked: an address the directory does not vouch for, or a break-glass account's.
    let unvouched = EntraPerson {
        email_verified: false,
        ..person(DIRECTORY, "00000000-0000-0000-0000-0000000000c3", "vera@example.org", &[], &[])
    };
    let vera = store.create_user(&scope, new_user("vera@example.org")).await.unwrap();
    assert_ne!(store.entra_sign_in(&system, &unvouched).await.unwrap().id, vera.id);
    let as_admin = person(DIRECTORY, "00000000-0000-0000-0000-0000000000d4", admin.email.as_str(), &[], &[]);
    assert_ne!(store.entra_sign_in(&system, &as_admin).await.unwrap().id, admin.id, "break-glass");

    // Someone else claiming that email later is not linked to her.
    let other = person(DIRECTORY, "00000000-0000-0000-0000-0000000000b2", "petra.new@example.org", &[], &[]);
    let newcomer = store.entra_sign_in(&system, &other).await.unwrap();
    assert_ne!(newcomer.id, local.id);
    assert!(newcomer.email.as_str().ends_with("@entra.invalid"), "{}", newcomer.email.as_str());

    // Removing a mapping: the membership goes at the next sign-in.
    store.remove_entra_mapping(&scope, by_group.id).await.unwrap();
    assert!(matches!(store.remove_entra_mapping(&scope, by_group.id).await, Err(StorageError::NotFound)));
    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    for action in [
        "entra.settings_updated",
        "entra.mapping_added",
        "entra.mapping_removed",
        "user.entra_linked",
        "user.entra_profile_updated",
        "user.entra_groups_refreshed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
}

pub async fn entra_sign_in_never_removes_the_last_administrator(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let system = TenantScope::system(admin.tenant_id);
    store.update_entra_settings(&scope, 0, change(DIRECTORY, Some("s3cret"))).await.unwrap();
    let groups = store.list_groups(&scope).await.unwrap();
    let administrators = groups.iter().find(|g| g.details.name == builtin_groups::ADMINISTRATORS).unwrap().id;
    store.add_entra_mapping(&scope, ClaimKind::Group, ENTRA_GROUP.into(), administrators).await.unwrap();
    let ada =
        store.entra_sign_in(&system, &person(DIRECTORY, OID, "ada@example.org", &[ENTRA_GROUP], &[])).await.unwrap();
    assert_eq!(store.group_ids_of(&scope, ada.id).await.unwrap(), [administrators]);

    // The first administrator is disabled (allowed: Ada is one); Ada then leaves the Entra group.
    let current = store.get_user(&scope, admin.id).await.unwrap().unwrap();
    let disable = UserChanges {
        display_name: current.display_name.clone(),
        status: domain::user::UserStatus::Disabled,
        group_ids: store.group_ids_of(&scope, admin.id).await.unwrap(),
        break_glass: None,
    };
    store.update_user(&scope, admin.id, current.version, disable).await.unwrap();
    store.entra_sign_in(&system, &person(DIRECTORY, OID, "ada@example.org", &[], &[])).await.unwrap();
    assert_eq!(store.group_ids_of(&scope, ada.id).await.unwrap(), [administrators], "kept: she is the last");
}

pub async fn pending_entra_sign_ins_are_taken_once_within_their_window(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let now = Timestamp::now();
    let pending = |hash: u8, created_at: Timestamp| PendingEntraSignIn {
        state_hash: [hash; 32],
        tenant_id: admin.tenant_id,
        nonce: "nonce".into(),
        pkce_verifier: "verifier".into(),
        return_to: "/".into(),
        created_at,
    };
    store.begin_entra_sign_in(pending(1, now)).await.unwrap();
    store.begin_entra_sign_in(pending(2, now.plus_seconds(-3600))).await.unwrap();
    let window = now.plus_seconds(-600);
    let taken = store.take_entra_sign_in(&[1; 32], window).await.unwrap().expect("taken");
    assert_eq!((taken.nonce.as_str(), taken.tenant_id), ("nonce", admin.tenant_id));
    assert!(store.take_entra_sign_in(&[1; 32], window).await.unwrap().is_none(), "only once");
    assert!(store.take_entra_sign_in(&[2; 32], window).await.unwrap().is_none(), "too old");
}
