//! Entra ID records: what a sign-in changes and the audit entries for configuration, mappings
//! and sign-ins. The backends keep only their SQL.

use crate::{NewUser, StorageError, StorageResult};
use domain::{
    GroupId, UserId,
    audit::AuditEvent,
    entra::{EntraMapping, EntraObjectId, EntraPerson, EntraSettings, EntraSettingsChange},
    user::{DisplayName, EmailAddress},
};
use serde_json::json;

/// The identity provider name for a directory: `entra:<tid>` (subject = the person's `oid`).
pub fn entra_provider(directory_id: &EntraObjectId) -> String {
    format!("entra:{}", directory_id.as_str())
}

/// The person's email as we store it, if the directory gave a valid one.
pub fn entra_email(person: &EntraPerson) -> Option<EmailAddress> {
    person.email.as_deref().and_then(|e| EmailAddress::parse("email", e).ok())
}

/// The user to create for a person seen for the first time. Someone without an email (an
/// application, or a guest without one) gets an address under `.invalid`, which can never
/// receive mail or collide with a real one.
pub fn entra_new_user(person: &EntraPerson, email_free: bool) -> StorageResult<NewUser> {
    let email = match entra_email(person) {
        Some(email) if email_free => email,
        _ => EmailAddress::parse("email", &format!("{}@entra.invalid", person.object_id.as_str()))
            .map_err(|_| StorageError::Backend("placeholder email is not valid".into()))?,
    };
    Ok(NewUser {
        email,
        display_name: entra_display_name(person),
        password_hash: None,
        group_ids: Vec::new(),
        break_glass: false,
    })
}

/// The person's name as a display name; a blank or over-long one falls back to the email or id.
pub fn entra_display_name(person: &EntraPerson) -> DisplayName {
    let candidates = [person.display_name.as_str(), person.email.as_deref().unwrap_or(""), person.object_id.as_str()];
    candidates
        .into_iter()
        .find_map(|c| DisplayName::parse("display_name", c).ok())
        .unwrap_or_else(|| DisplayName::parse("display_name", "Entra user").unwrap_or_else(|_| unreachable!()))
}

/// Which memberships a sign-in adds and removes: every mapped group the user is not yet in is
/// added (as from Entra); every membership from Entra that is no longer mapped is removed.
/// Memberships given by hand are never removed.
pub fn membership_changes(
    mapped: &[GroupId],
    current: &[GroupId],
    current_from_entra: &[GroupId],
) -> (Vec<GroupId>, Vec<GroupId>) {
    let added = mapped.iter().filter(|g| !current.contains(g)).copied().collect();
    let removed = current_from_entra.iter().filter(|g| !mapped.contains(g)).copied().collect();
    (added, removed)
}

pub fn entra_settings_updated(
    before: Option<&EntraSettings>,
    after: &EntraSettings,
    secret_changed: bool,
) -> AuditEvent {
    let side = |s: &EntraSettings| {
        json!({"directory_id": s.directory_id.as_str(), "client_id": s.client_id.as_str(),
               "redirect_url": s.redirect_url, "api_audience": s.api_audience})
    };
    let payload = json!({
        "before": before.map(side), "after": side(after), "client_secret_changed": secret_changed,
        "version": after.version,
    });
    AuditEvent::new("entra.settings_updated", "tenant", uuid::Uuid::nil(), payload)
}

/// The settings after `change`, keeping the stored secret when none is given.
pub fn changed_entra_settings(
    before: Option<&EntraSettings>,
    change: EntraSettingsChange,
) -> StorageResult<(EntraSettings, bool)> {
    let secret_changed = change.client_secret.is_some();
    let client_secret = match (change.client_secret, before) {
        (Some(secret), _) => secret,
        (None, Some(before)) => before.client_secret.clone(),
        (None, None) => return Err(StorageError::UnknownReference { field: "client_secret" }),
    };
    let version = before.map_or(0, |b| b.version) + 1;
    let after = EntraSettings {
        directory_id: change.directory_id,
        client_id: change.client_id,
        client_secret,
        redirect_url: change.redirect_url.trim().to_owned(),
        api_audience: change.api_audience.trim().to_owned(),
        version,
    };
    Ok((after, secret_changed))
}

pub fn entra_mapping_added(mapping: &EntraMapping) -> AuditEvent {
    let payload =
        json!({"after": {"claim": mapping.claim.as_str(), "value": mapping.value, "group_id": mapping.group_id}});
    AuditEvent::new("entra.mapping_added", "entra_mapping", mapping.id.as_uuid(), payload)
}

pub fn entra_mapping_removed(mapping: &EntraMapping) -> AuditEvent {
    let payload =
        json!({"before": {"claim": mapping.claim.as_str(), "value": mapping.value, "group_id": mapping.group_id}});
    AuditEvent::new("entra.mapping_removed", "entra_mapping", mapping.id.as_uuid(), payload)
}

/// A person's Entra identity was tied to this user (first sign-in: linked by email, or new).
pub fn entra_identity_linked(user_id: UserId, person: &EntraPerson, by_email: bool) -> AuditEvent {
    let payload = json!({"after": {
        "directory_id": person.directory_id.as_str(), "object_id": person.object_id.as_str(),
        "linked_by": if by_email { "email" } else { "new_user" },
    }});
    AuditEvent::new("user.entra_linked", "user", user_id.as_uuid(), payload)
}

/// The directory renamed the person or changed their email; we follow it.
pub fn entra_profile_updated(user_id: UserId, before: (&str, &str), after: (&str, &str), version: i64) -> AuditEvent {
    let payload = json!({
        "before": {"display_name": before.0, "email": before.1},
        "after": {"display_name": after.0, "email": after.1}, "version": version,
    });
    AuditEvent::new("user.entra_profile_updated", "user", user_id.as_uuid(), payload)
}

/// Memberships changed at sign-in because the person's Entra groups or roles (or the mappings)
/// changed.
pub fn entra_groups_refreshed(user_id: UserId, added: &[GroupId], removed: &[GroupId]) -> AuditEvent {
    let payload = json!({"added_group_ids": added, "removed_group_ids": removed});
    AuditEvent::new("user.entra_groups_refreshed", "user", user_id.as_uuid(), payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_adds_mapped_groups_and_removes_only_entra_ones() {
        let (a, b, c, d) = (GroupId::new(), GroupId::new(), GroupId::new(), GroupId::new());
        // In a (by hand) and b, c (from Entra); now mapped to a, c, d.
        let (added, removed) = membership_changes(&[a, c, d], &[a, b, c], &[b, c]);
        assert_eq!(added, vec![d]);
        assert_eq!(removed, vec![b]);
        // A hand-given membership that is no longer mapped stays.
        let (added, removed) = membership_changes(&[], &[a], &[]);
        assert!(added.is_empty() && removed.is_empty());
    }
}
