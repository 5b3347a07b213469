//! Personal API tokens (FR-014, machine access): what integrators and Power BI sign in with.
//! A token is not a session: it carries no cookie, needs no CSRF header and does not end the
//! owner's browser session. It acts with the *intersection* of its scopes and its owner's
//! current permissions, so taking a permission from the owner takes it from their tokens too.

use crate::{ApiTokenId, EffectivePermissions, Grant, Timestamp, UserId, validation::FieldError};

/// How long a token may live at most, and by default.
pub const MAX_DAYS: u32 = 366;
pub const DEFAULT_DAYS: u32 = 90;

/// A token name: 1 to 100 characters, so its owner can tell tokens apart.
pub fn token_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a name for the token"));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, "too_long", "Name must be 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

/// A lifetime in days: 1 to `MAX_DAYS`.
pub fn lifetime_days(field: &str, days: u32) -> Result<u32, FieldError> {
    if days == 0 || days > MAX_DAYS {
        return Err(FieldError::new(field, "out_of_range", format!("Enter a number of days from 1 to {MAX_DAYS}")));
    }
    Ok(days)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    /// At most one grant per area, in area order: the most the token may do.
    pub scopes: Vec<Grant>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

impl EffectivePermissions {
    /// These permissions capped by `scopes`: in each area the lower of the two levels (and any
    /// team limit of the owner's kept).
    pub fn limited_to(&self, scopes: &[Grant]) -> EffectivePermissions {
        let capped = self.all().flat_map(|(area, level)| {
            let cap = scopes.iter().filter(|s| s.area == area).map(|s| s.level).max().unwrap_or(crate::Level::None);
            let unlimited = self.unlimited_level(area).min(cap);
            [Grant { area, level: unlimited, own_teams: false }, Grant { area, level: level.min(cap), own_teams: true }]
        });
        EffectivePermissions::from_grants(capped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Area, Level};

    #[test]
    fn a_token_never_exceeds_its_owner_or_its_scope() {
        let owner = EffectivePermissions::from_grants([
            Grant { area: Area::Queries, level: Level::ReadWrite, own_teams: false },
            Grant { area: Area::Reports, level: Level::Read, own_teams: false },
        ]);
        let scopes = [
            Grant { area: Area::Queries, level: Level::Full, own_teams: false },
            Grant { area: Area::Customers, level: Level::Read, own_teams: false },
        ];
        let token = owner.limited_to(&scopes);
        assert_eq!(token.level(Area::Queries), Level::ReadWrite, "capped by the owner");
        assert_eq!(token.level(Area::Customers), Level::None, "the owner has none");
        assert_eq!(token.level(Area::Reports), Level::None, "not in the token's scope");
    }

    #[test]
    fn names_and_lifetimes_are_checked() {
        assert_eq!(token_name("name", "  Power BI  ").as_deref(), Ok("Power BI"));
        assert_eq!(token_name("name", " ").map_err(|e| e.code), Err("required"));
        assert!(lifetime_days("expires_in_days", 0).is_err());
        assert!(lifetime_days("expires_in_days", MAX_DAYS + 1).is_err());
        assert_eq!(lifetime_days("expires_in_days", 30), Ok(30));
    }
}
