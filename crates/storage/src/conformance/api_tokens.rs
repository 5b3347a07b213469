//! Personal API tokens: only a hash is stored; revoked and expired tokens find nothing.

use super::{DynStore, admin_scope, new_user, tenant};
use crate::*;
use domain::{Area, Grant, Level, Timestamp};

pub async fn api_tokens_are_found_by_hash_until_revoked_or_expired(store: DynStore) {
    let (_, admin) = tenant(&store).await;
    let (_, stranger) = tenant(&store).await;
    let scope = admin_scope(&admin);
    let owner = store.create_user(&scope, new_user("integrator@example.org")).await.unwrap();
    let now = Timestamp::now();
    let new = |hash: u8, expires_at: Timestamp| NewApiToken {
        user_id: owner.id,
        name: "Power BI".into(),
        scopes: vec![
            Grant { area: Area::Reports, level: Level::Read, own_teams: false },
            Grant { area: Area::Queries, level: Level::Read, own_teams: false },
        ],
        token_hash: [hash; 32],
        created_at: now,
        expires_at,
    };
    let created = store.create_api_token(&scope, new(1, now.plus_seconds(3600)), Some("192.0.2.7")).await.unwrap();
    assert_eq!(created.scopes[0].area, Area::Queries, "scopes in area order");
    let expired = store.create_api_token(&scope, new(2, now.plus_seconds(-1)), None).await.unwrap();

    let found = store.api_token_principal(&[1; 32], now).await.unwrap().expect("a live token");
    assert_eq!((found.token.id, found.user.id, found.tenant.id), (created.id, owner.id, admin.tenant_id));
    assert_eq!(found.token.last_used_at, Some(now), "first use recorded");
    assert!(found.grants.is_empty(), "the owner's grants, not the token's scopes");
    assert!(store.api_token_principal(&[2; 32], now).await.unwrap().is_none(), "expired");
    assert!(store.api_token_principal(&[9; 32], now).await.unwrap().is_none(), "unknown");

    let mine = store.api_tokens(&scope, Some(owner.id)).await.unwrap();
    assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), [expired.id, created.id], "newest first");
    assert_eq!(mine[1].last_used_at, Some(now));
    assert!(store.api_tokens(&scope, Some(admin.id)).await.unwrap().is_empty());
    assert!(store.api_tokens(&admin_scope(&stranger), None).await.unwrap().is_empty(), "other tenants see none");

    let not_theirs = store.revoke_api_token(&scope, created.id, Some(admin.id), now).await;
    assert!(matches!(not_theirs, Err(StorageError::NotFound)), "{not_theirs:?}");
    let elsewhere = store.revoke_api_token(&admin_scope(&stranger), created.id, None, now).await;
    assert!(matches!(elsewhere, Err(StorageError::NotFound)), "{elsewhere:?}");
    let revoked = store.revoke_api_token(&scope, created.id, Some(owner.id), now).await.unwrap();
    assert_eq!(revoked.revoked_at, Some(now));
    assert!(store.api_token_principal(&[1; 32], now).await.unwrap().is_none(), "revoked at once");
    let again = store.revoke_api_token(&scope, created.id, None, now.plus_seconds(5)).await.unwrap();
    assert_eq!(again.revoked_at, Some(now), "revoking twice changes nothing");

    let actions: Vec<String> =
        store.audit_chain(&scope).await.unwrap().into_iter().map(|e| e.envelope.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "api_token.created").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "api_token.revoked").count(), 1);
}
