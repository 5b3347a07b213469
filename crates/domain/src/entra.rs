//! Entra ID: a tenant's directory configuration, which Entra groups and app roles confer which
//! Casedesk groups, and who a validated token says is signing in.

use crate::{FieldError, GroupId, Timestamp, ValidationErrors, ids::EntraMappingId};
use uuid::Uuid;

/// An Entra object id (a directory's `tid`, a user's `oid`, a group): a GUID, kept lower-case
/// so the same directory is never stored twice under different spellings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntraObjectId(String);

impl EntraObjectId {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        match Uuid::try_parse(raw) {
            Ok(id) if raw.len() == 36 => Ok(Self(id.hyphenated().to_string())),
            _ => Err(FieldError::new(field, "invalid_guid", "Enter a GUID, like 72f988bf-86f1-41af-91ab-2d7cd011db47")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a tenant signs in with Entra ID, and the audience its integrators' tokens carry.
#[derive(Clone, PartialEq, Eq)]
pub struct EntraSettings {
    pub directory_id: EntraObjectId,
    pub client_id: EntraObjectId,
    /// Used only to redeem codes and call Graph; never shown or audited.
    pub client_secret: String,
    /// Where Entra sends the browser back: this server's `/api/v1/auth/entra/callback`.
    pub redirect_url: String,
    /// The `aud` of bearer access tokens for this API (an app id or `api://…` URI).
    pub api_audience: String,
    pub version: i64,
}

impl std::fmt::Debug for EntraSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, wherever a value ends up printed.
        f.debug_struct("EntraSettings")
            .field("directory_id", &self.directory_id)
            .field("client_id", &self.client_id)
            .field("redirect_url", &self.redirect_url)
            .field("api_audience", &self.api_audience)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// An administrator's change; a missing secret keeps the stored one.
#[derive(Clone, PartialEq, Eq)]
pub struct EntraSettingsChange {
    pub directory_id: EntraObjectId,
    pub client_id: EntraObjectId,
    pub client_secret: Option<String>,
    pub redirect_url: String,
    pub api_audience: String,
}

impl std::fmt::Debug for EntraSettingsChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntraSettingsChange")
            .field("directory_id", &self.directory_id)
            .field("client_secret_given", &self.client_secret.is_some())
            .finish_non_exhaustive()
    }
}

impl EntraSettingsChange {
    /// A client secret as sent: blank means "keep the stored one" (`None`); at most 1,000
    /// characters (Entra's are 40).
    pub fn client_secret(field: &str, raw: Option<String>) -> Result<Option<String>, FieldError> {
        let secret = raw.filter(|s| !s.trim().is_empty());
        if secret.as_ref().is_some_and(|s| s.chars().count() > 1000) {
            return Err(FieldError::new(field, "too_long", "The client secret is at most 1,000 characters"));
        }
        Ok(secret)
    }

    /// Checks the free-text fields; the ids are parsed by the caller.
    pub fn check_urls(redirect_url: &str, api_audience: &str, errors: &mut ValidationErrors) {
        let redirect = redirect_url.trim();
        let local = ["http://localhost", "http://127.0.0.1"].into_iter().any(|host| {
            // The host must end there: `http://localhost.evil.example` is not this machine.
            redirect.strip_prefix(host).is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
        let https = redirect.strip_prefix("https://").is_some_and(|rest| !rest.is_empty());
        if !(https || local) || visible_ascii(redirect, 2000).is_none() {
            errors.push(FieldError::new(
                "redirect_url",
                "invalid_url",
                "Enter the https:// address Entra ID sends people back to (…/api/v1/auth/entra/callback)",
            ));
        }
        if visible_ascii(api_audience.trim(), 300).is_none() {
            errors.push(FieldError::new(
                "api_audience",
                "invalid_audience",
                "Enter the API's application id or Application ID URI (api://…)",
            ));
        }
    }
}

/// 1 to `max` visible ASCII characters: what Entra puts in URLs, audiences and role values, and
/// a rule the API document can state exactly.
fn visible_ascii(value: &str, max: usize) -> Option<&str> {
    let fits = !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_graphic());
    fits.then_some(value)
}

/// Which claim of a token a mapping matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimKind {
    /// An Entra security group's object id, from `groups` (or Graph, on overage).
    Group,
    /// An app role's value, from `roles`.
    Role,
}

impl ClaimKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Role => "role",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Group, Self::Role].into_iter().find(|k| k.as_str() == raw)
    }

    /// Checks a claim value: group ids are GUIDs (stored lower-case), app role values are what
    /// the app registration defines (case-sensitive, no spaces).
    pub fn parse_value(&self, field: &str, raw: &str) -> Result<String, FieldError> {
        match self {
            Self::Group => EntraObjectId::parse(field, raw).map(|id| id.0),
            Self::Role => visible_ascii(raw.trim(), 120)
                .map(str::to_owned)
                .ok_or_else(|| FieldError::new(field, "invalid_role", "Enter the app role's value, like Case.Read")),
        }
    }
}

/// One mapping: holders of this claim value are members of this group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraMapping {
    pub id: EntraMappingId,
    pub claim: ClaimKind,
    pub value: String,
    pub group_id: GroupId,
    pub created_at: Timestamp,
}

/// Who a validated ID or access token says is signing in, with their groups already resolved
/// (through Graph when the token carried an overage pointer instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraPerson {
    pub directory_id: EntraObjectId,
    pub object_id: EntraObjectId,
    pub display_name: String,
    /// The directory's email for the person, if it gave one.
    pub email: Option<String>,
    /// Whether the directory vouches for the email's domain (Entra's `xms_edov` claim). Only then
    /// may a first sign-in be linked to an existing user by email (once; never afterwards).
    pub email_verified: bool,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
}

impl EntraPerson {
    /// The group ids the mappings confer on this person.
    pub fn mapped_groups(&self, mappings: &[EntraMapping]) -> Vec<GroupId> {
        let mut ids: Vec<GroupId> = mappings
            .iter()
            .filter(|m| match m.claim {
                ClaimKind::Group => self.groups.iter().any(|g| g.eq_ignore_ascii_case(&m.value)),
                ClaimKind::Role => self.roles.contains(&m.value),
            })
            .map(|m| m.group_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_secret_keeps_the_stored_one_and_a_long_one_is_refused() {
        assert_eq!(EntraSettingsChange::client_secret("s", Some("  ".into())), Ok(None));
        assert_eq!(EntraSettingsChange::client_secret("s", None), Ok(None));
        assert_eq!(EntraSettingsChange::client_secret("s", Some("x".repeat(1000))), Ok(Some("x".repeat(1000))));
        let refused = EntraSettingsChange::client_secret("s", Some("x".repeat(1001))).expect_err("too long");
        assert_eq!(refused.code, "too_long");
    }

    fn person(groups: &[&str], roles: &[&str]) -> EntraPerson {
        EntraPerson {
            directory_id: EntraObjectId::parse("t", "72f988bf-86f1-41af-91ab-2d7cd011db47").expect("valid"),
            object_id: EntraObjectId::parse("o", "00000000-0000-0000-0000-0000000000a1").expect("valid"),
            display_name: "A".into(),
            email: None,
            email_verified: false,
            groups: groups.iter().map(|s| (*s).to_owned()).collect(),
            roles: roles.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn mapping(claim: ClaimKind, value: &str, group: GroupId) -> EntraMapping {
        EntraMapping {
            id: EntraMappingId::new(),
            claim,
            value: value.into(),
            group_id: group,
            created_at: Timestamp::now(),
        }
    }

    #[test]
    fn groups_match_case_insensitively_and_roles_exactly() {
        let (readers, writers, admins) = (GroupId::new(), GroupId::new(), GroupId::new());
        let mappings = [
            mapping(ClaimKind::Group, "8a9b1c2d-0000-4000-8000-000000000001", readers),
            mapping(ClaimKind::Role, "Case.Write", writers),
            mapping(ClaimKind::Role, "Case.Admin", admins),
            mapping(ClaimKind::Role, "Case.Read", readers),
        ];
        let someone = person(&["8A9B1C2D-0000-4000-8000-000000000001"], &["Case.Write", "case.admin"]);
        let mut expected = vec![readers, writers];
        expected.sort();
        assert_eq!(someone.mapped_groups(&mappings), expected, "one membership per group, role case matters");
        assert!(person(&[], &[]).mapped_groups(&mappings).is_empty());
    }

    #[test]
    fn object_ids_are_guids_stored_lower_case() {
        let id = EntraObjectId::parse("f", " 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ").expect("valid");
        assert_eq!(id.as_str(), "72f988bf-86f1-41af-91ab-2d7cd011db47");
        assert_eq!(
            EntraObjectId::parse("f", "72f988bf86f141af91ab2d7cd011db47").expect_err("refused").code,
            "invalid_guid"
        );
        assert_eq!(ClaimKind::Role.parse_value("v", "Case Read").expect_err("refused").code, "invalid_role");
        assert_eq!(ClaimKind::Role.parse_value("v", "Caseé").expect_err("refused").code, "invalid_role");
        assert_eq!(ClaimKind::Role.parse_value("v", " Case.Read ").expect("valid"), "Case.Read");
    }

    #[test]
    fn redirect_urls_are_https_or_this_machine() {
        let refused = |url: &str| {
            let mut errors = ValidationErrors::default();
            EntraSettingsChange::check_urls(url, "api://casedesk", &mut errors);
            errors.0.iter().map(|e| e.code).collect::<Vec<_>>()
        };
        for good in [
            "https://casedesk.example.gov.uk/api/v1/auth/entra/callback",
            "http://localhost:8080/cb",
            "http://127.0.0.1",
        ] {
            assert!(refused(good).is_empty(), "{good}");
        }
        for bad in [
            "https://",
            "http://localhost.evil.example/cb",
            "http://127.0.0.1.nip.io",
            "http://example.org",
            "https://é.example",
        ] {
            assert_eq!(refused(bad), ["invalid_url"], "{bad}");
        }
    }
}
