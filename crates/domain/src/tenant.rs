//! Tenants: public bodies sharing one deployment, strictly separated (SEC-04).

use crate::{TenantId, Timestamp, validation::FieldError};
use serde::Serialize;
use std::fmt;

/// A tenant's short name: lowercase letters, digits and single hyphens, 2 to 40 characters.
/// It appears in public URLs (web forms, surveys) and on the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let slug = raw.trim().to_ascii_lowercase();
        let valid_chars = slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let well_formed = !slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--");
        if !(2..=40).contains(&slug.len()) || !valid_chars || !well_formed {
            return Err(FieldError::new(
                field,
                "invalid_slug",
                "Use 2 to 40 lowercase letters, digits and single hyphens",
            ));
        }
        Ok(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tenant's display name, 1 to 200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TenantName(String);

impl TenantName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(FieldError::new(field, "invalid_length", "Enter a name of 1 to 200 characters"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: TenantSlug,
    pub name: TenantName,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_is_normalised_and_checked() {
        assert_eq!(
            TenantSlug::parse("slug", " Planning-Inspectorate ").map(|s| s.0),
            Ok("planning-inspectorate".into())
        );
        for bad in ["a", "-abc", "abc-", "a--b", "a b", "ä-b", &"x".repeat(41)] {
            assert!(TenantSlug::parse("slug", bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn name_is_trimmed_and_bounded() {
        assert_eq!(TenantName::parse("name", "  Inspectorate ").map(|n| n.0), Ok("Inspectorate".into()));
        assert!(TenantName::parse("name", "   ").is_err());
        assert!(TenantName::parse("name", &"n".repeat(201)).is_err());
    }
}
