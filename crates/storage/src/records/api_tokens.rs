//! API tokens: scopes as stored, the record of a new token, and audit entries. The secret is
//! never here; only its hash reaches storage, and not even that reaches the audit trail.

use crate::{NewApiToken, StorageResult, records::corrupt};
use domain::{ApiTokenId, Area, Grant, Level, Timestamp, UserId, api_token::ApiToken, audit::AuditEvent};
use serde_json::{Value, json};
use uuid::Uuid;

pub fn scopes_text(scopes: &[Grant]) -> String {
    let list: Vec<Value> = scopes.iter().map(|g| json!({"area": g.area.as_str(), "level": g.level.as_str()})).collect();
    Value::Array(list).to_string()
}

pub fn scopes_from_text(text: &str) -> StorageResult<Vec<Grant>> {
    let list: Vec<Value> = serde_json::from_str(text).map_err(|_| corrupt("token scopes"))?;
    list.iter()
        .map(|item| {
            let area = item["area"].as_str().and_then(Area::parse).ok_or_else(|| corrupt("token scope area"))?;
            let level = item["level"].as_str().and_then(Level::parse).ok_or_else(|| corrupt("token scope level"))?;
            Ok(Grant { area, level, own_teams: false })
        })
        .collect()
}

pub fn new_api_token(new: &NewApiToken) -> ApiToken {
    let mut scopes = new.scopes.clone();
    scopes.sort_by_key(|g| g.area);
    ApiToken {
        id: ApiTokenId::new(),
        user_id: new.user_id,
        name: new.name.clone(),
        scopes,
        created_at: new.created_at,
        expires_at: new.expires_at,
        last_used_at: None,
        revoked_at: None,
    }
}

/// A token's columns as both backends store them (times already converted).
#[derive(Debug)]
pub struct ApiTokenColumns {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub scopes: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl TryFrom<ApiTokenColumns> for ApiToken {
    type Error = crate::StorageError;

    fn try_from(c: ApiTokenColumns) -> StorageResult<Self> {
        Ok(ApiToken {
            id: ApiTokenId::from_uuid(c.id),
            user_id: UserId::from_uuid(c.user_id),
            name: c.name,
            scopes: scopes_from_text(&c.scopes)?,
            created_at: c.created_at,
            expires_at: c.expires_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        })
    }
}

pub fn api_token_created(token: &ApiToken, from: Option<&str>) -> AuditEvent {
    let scopes: Vec<Value> = token.scopes.iter().map(|g| json!({"area": g.area, "level": g.level})).collect();
    let payload = json!({"after": {
        "name": token.name, "owner_id": token.user_id, "scopes": scopes, "expires_at": token.expires_at,
    }, "from": from});
    AuditEvent::new("api_token.created", "api_token", token.id.as_uuid(), payload)
}

pub fn api_token_revoked(token: &ApiToken) -> AuditEvent {
    let payload =
        json!({"before": {"name": token.name, "owner_id": token.user_id}, "after": {"revoked_at": token.revoked_at}});
    AuditEvent::new("api_token.revoked", "api_token", token.id.as_uuid(), payload)
}
