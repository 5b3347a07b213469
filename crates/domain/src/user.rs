//! People: one user per person per tenant, with any number of sign-in identities.

use crate::{TenantId, Timestamp, UserId, validation::FieldError};
use serde::Serialize;
use std::fmt;

/// An email address, trimmed and lower-cased so that one address is one identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        // An address alone: no display name (`Jane <j@x.org>`), no bracketed IP, and a domain
        // with a top-level part, which is what can actually receive mail.
        let strict =
            email_address::Options::default().without_display_text().without_domain_literal().with_required_tld();
        if email.len() > 254 || email_address::EmailAddress::parse_with_options(&email, strict).is_err() {
            return Err(FieldError::new(
                field,
                "invalid_email",
                "Enter an email address in the correct format, like name@example.org",
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a person is shown to colleagues: 1 to 100 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(FieldError::new(field, "invalid_length", "Enter a name of 1 to 100 characters"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new local password that meets the policy. The value never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    /// A password long enough and not easy to guess. `about` holds what an attacker would try
    /// first (the person's email address and name): a password built from them is weak.
    pub fn parse(field: &str, raw: &str, about: &[&str]) -> Result<Self, FieldError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(
                field,
                "password_too_short",
                format!("Enter a password of at least {} characters", Self::MIN_CHARS),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(
                field,
                "password_too_long",
                format!("Enter a password of at most {} characters", Self::MAX_CHARS),
            ));
        }
        // The deny-list: zxcvbn knows the 30,000 most common passwords, names, words, keyboard
        // walks, dates and repeats, and scores how many guesses a password would take. Below
        // "safely unguessable" (3 of 4) is refused, however long (NCSC: block common passwords
        // rather than impose composition rules).
        if zxcvbn::zxcvbn(raw, about).score() < zxcvbn::Score::Three {
            return Err(FieldError::new(
                field,
                "password_too_common",
                "Choose a password that is harder to guess: avoid common words, names and patterns",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub tenant_id: TenantId,
    pub id: UserId,
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub status: UserStatus,
    /// Incremented by every change; exposed as the ETag.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised() {
        let email = EmailAddress::parse("email", "  Jane.Doe@Example.ORG ").expect("valid");
        assert_eq!(email.as_str(), "jane.doe@example.org");
    }

    #[test]
    fn bad_emails_are_refused_with_the_field_named() {
        let display_form = "Jane <jane@example.org>";
        for bad in
            ["", "jane", "jane@", "@example.org", "jane@localhost", "a b@example.org", display_form, "a.b@[10.0.0.1]"]
        {
            let err = EmailAddress::parse("email", bad).expect_err(bad);
            assert_eq!((err.field.as_str(), err.code), ("email", "invalid_email"));
        }
    }

    #[test]
    fn password_policy_bounds_length_and_hides_the_value() {
        let code =
            |raw: &str| NewPassword::parse("password", raw, &["rita@example.org"]).map(|_| ()).map_err(|e| e.code);
        assert_eq!(code("short"), Err("password_too_short"));
        assert_eq!(code("passwordpassword"), Err("password_too_common"));
        assert_eq!(code("qwertyuiop123456"), Err("password_too_common"));
        assert_eq!(code("rita@example.org1"), Err("password_too_common"), "built from the person's own email");
        let ok = NewPassword::parse("password", "correct horse battery", &[]).expect("long enough");
        assert!(!format!("{ok:?}").contains("horse"));
        assert!(NewPassword::parse("password", &"x".repeat(257), &[]).is_err());
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("n", " Ada ").map(|n| n.0), Ok("Ada".into()));
        assert!(DisplayName::parse("n", "").is_err());
        assert!(DisplayName::parse("n", "a\u{0}b").is_err());
    }
}
