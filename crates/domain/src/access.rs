//! Tenant access settings and why sessions end (SEC-14: one session per user).

/// What a second interactive sign-in does while the user has a live session elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OneSessionPolicy {
    /// The new sign-in wins; the other browser is told it was signed in elsewhere.
    #[default]
    EndOthers,
    /// The new sign-in is refused until the other session ends (signed out, idle, expired, or
    /// ended by an administrator).
    Refuse,
}

impl OneSessionPolicy {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::EndOthers => "end_others",
            Self::Refuse => "refuse",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::EndOthers, Self::Refuse].into_iter().find(|p| p.as_str() == raw)
    }
}

/// Who may sign in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LocalSignIn {
    /// Everyone with a local password (the embedded default).
    #[default]
    Everyone,
    /// Only break-glass accounts; everyone else signs in with Entra ID.
    BreakGlassOnly,
}

impl LocalSignIn {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::BreakGlassOnly => "break_glass_only",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Everyone, Self::BreakGlassOnly].into_iter().find(|p| p.as_str() == raw)
    }
}

/// A tenant's access settings; versioned like any record administrators change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccessSettings {
    pub one_session: OneSessionPolicy,
    pub local_sign_in: LocalSignIn,
    /// 0 until first changed.
    pub version: i64,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEndReason {
    SignedInElsewhere,
    SignedOut,
    EndedByAdministrator,
    UserDisabled,
}

impl SessionEndReason {
    pub const ALL: [Self; 4] =
        [Self::SignedInElsewhere, Self::SignedOut, Self::EndedByAdministrator, Self::UserDisabled];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::SignedInElsewhere => "signed_in_elsewhere",
            Self::SignedOut => "signed_out",
            Self::EndedByAdministrator => "ended_by_administrator",
            Self::UserDisabled => "user_disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for reason in SessionEndReason::ALL {
            assert_eq!(SessionEndReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(OneSessionPolicy::parse("refuse"), Some(OneSessionPolicy::Refuse));
        assert_eq!(OneSessionPolicy::parse("both"), None);
        assert_eq!(LocalSignIn::parse("break_glass_only"), Some(LocalSignIn::BreakGlassOnly));
        assert_eq!(AccessSettings::default().one_session, OneSessionPolicy::EndOthers);
    }
}
