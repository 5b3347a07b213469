//! The permission model (FR-014, SEC-08, SEC-09): areas of data by levels of interaction,
//! granted to users and to groups. The effective level in an area is the highest grant; an
//! explicit `none` grants nothing and denies nothing.

use crate::{GroupId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Customers,
    Queries,
    Documents,
    Correspondence,
    Reports,
    Feedback,
    Administration,
}

impl Area {
    pub const ALL: [Area; 7] = [
        Area::Customers,
        Area::Queries,
        Area::Documents,
        Area::Correspondence,
        Area::Reports,
        Area::Feedback,
        Area::Administration,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Area::Customers => "customers",
            Area::Queries => "queries",
            Area::Documents => "documents",
            Area::Correspondence => "correspondence",
            Area::Reports => "reports",
            Area::Feedback => "feedback",
            Area::Administration => "administration",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|area| area.as_str() == raw)
    }
}

/// Ordered: a higher level includes everything a lower one allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    None,
    Read,
    ReadWrite,
    /// Read-write plus delete, merge, export and the area's settings.
    Full,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::None, Level::Read, Level::ReadWrite, Level::Full];

    pub fn as_str(&self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Read => "read",
            Level::ReadWrite => "read_write",
            Level::Full => "full",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == raw)
    }
}

/// Who holds a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grantee {
    User(UserId),
    Group(GroupId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub area: Area,
    pub level: Level,
    /// Only over the queries of the holder's teams (and those assigned to them). Queries only.
    pub own_teams: bool,
}

/// What a principal may do, area by area, after combining every grant that reaches them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectivePermissions {
    /// The highest level per area over all grants.
    levels: BTreeMap<Area, Level>,
    /// The highest over grants not limited to the holder's teams: up to this level, every query.
    unlimited: BTreeMap<Area, Level>,
}

impl EffectivePermissions {
    /// The highest level per area over all grants, and over the unlimited ones.
    pub fn from_grants(grants: impl IntoIterator<Item = Grant>) -> Self {
        let (mut levels, mut unlimited) = (BTreeMap::new(), BTreeMap::new());
        for grant in grants {
            let level = levels.entry(grant.area).or_insert(Level::None);
            *level = (*level).max(grant.level);
            if !grant.own_teams {
                let level = unlimited.entry(grant.area).or_insert(Level::None);
                *level = (*level).max(grant.level);
            }
        }
        Self { levels, unlimited }
    }

    /// The level in `area` over every record, not just the holder's teams' queries.
    pub fn unlimited_level(&self, area: Area) -> Level {
        self.unlimited.get(&area).copied().unwrap_or(Level::None)
    }

    /// Whether acting at `needed` in `area` is limited to the holder's teams' queries: they hold
    /// the level only through team-limited grants.
    pub fn own_teams_only(&self, area: Area, needed: Level) -> bool {
        self.level(area) >= needed && self.unlimited_level(area) < needed
    }

    /// Everything in every area: the built-in administrator's permissions.
    pub fn full() -> Self {
        Self::from_grants(Area::ALL.map(|area| Grant { area, level: Level::Full, own_teams: false }))
    }

    pub fn level(&self, area: Area) -> Level {
        self.levels.get(&area).copied().unwrap_or(Level::None)
    }

    /// Whether `needed` in `area` is allowed. `Level::None` is never "needed": an operation
    /// that needs no permission is public and does not ask.
    pub fn allows(&self, area: Area, needed: Level) -> bool {
        needed > Level::None && self.level(area) >= needed
    }

    /// Whether these permissions include `grant`: nobody gives a level they do not hold, nor an
    /// unlimited level they hold only over their teams' queries.
    pub fn holds(&self, grant: &Grant) -> bool {
        if grant.own_teams {
            self.level(grant.area) >= grant.level
        } else {
            self.unlimited_level(grant.area) >= grant.level
        }
    }

    /// Every area with its level, `none` included, in a stable order.
    pub fn all(&self) -> impl Iterator<Item = (Area, Level)> + '_ {
        Area::ALL.into_iter().map(|area| (area, self.level(area)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(area: Area, level: Level) -> Grant {
        Grant { area, level, own_teams: false }
    }

    #[test]
    fn effective_level_is_the_highest_grant() {
        let perms = EffectivePermissions::from_grants([
            grant(Area::Queries, Level::Read),
            grant(Area::Queries, Level::ReadWrite),
            grant(Area::Customers, Level::Read),
        ]);
        assert_eq!(perms.level(Area::Queries), Level::ReadWrite);
        assert_eq!(perms.level(Area::Customers), Level::Read);
        assert_eq!(perms.level(Area::Reports), Level::None);
    }

    #[test]
    fn an_explicit_none_does_not_deny() {
        let perms =
            EffectivePermissions::from_grants([grant(Area::Queries, Level::Full), grant(Area::Queries, Level::None)]);
        assert_eq!(perms.level(Area::Queries), Level::Full);
    }

    #[test]
    fn allows_compares_levels_and_denies_by_default() {
        let perms = EffectivePermissions::from_grants([grant(Area::Administration, Level::Read)]);
        assert!(perms.allows(Area::Administration, Level::Read));
        assert!(!perms.allows(Area::Administration, Level::ReadWrite));
        assert!(!perms.allows(Area::Queries, Level::Read));
        assert!(!EffectivePermissions::default().allows(Area::Queries, Level::Read));
        assert!(EffectivePermissions::full().allows(Area::Feedback, Level::Full));
        assert!(perms.holds(&grant(Area::Administration, Level::Read)));
        assert!(!perms.holds(&grant(Area::Administration, Level::Full)));
        assert!(perms.holds(&grant(Area::Queries, Level::None)));
    }

    #[test]
    fn team_limited_grants_raise_the_level_only_over_the_holders_teams() {
        let limited = Grant { area: Area::Queries, level: Level::ReadWrite, own_teams: true };
        let perms = EffectivePermissions::from_grants([grant(Area::Queries, Level::Read), limited]);
        assert_eq!(perms.level(Area::Queries), Level::ReadWrite);
        assert_eq!(perms.unlimited_level(Area::Queries), Level::Read);
        assert!(!perms.own_teams_only(Area::Queries, Level::Read), "reads every query");
        assert!(perms.own_teams_only(Area::Queries, Level::ReadWrite), "writes only its teams' queries");
        assert!(perms.holds(&limited));
        assert!(!perms.holds(&grant(Area::Queries, Level::ReadWrite)), "cannot give it unlimited");
    }

    #[test]
    fn names_round_trip() {
        for area in Area::ALL {
            assert_eq!(Area::parse(area.as_str()), Some(area));
        }
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("admin"), None);
    }
}
