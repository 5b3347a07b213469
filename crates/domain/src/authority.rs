//! Who may act on whom (SEC-09). Holding an area's level lets you act in it, but not over
//! someone who holds more than you: nobody changes, disables or ends the sessions (or revokes
//! the tokens) of a user whose permissions exceed their own, nor edits or deletes a group that
//! grants more than they hold; and marking an account break-glass, which lets it round the
//! organisation's "Microsoft sign-in only" setting, needs the administration area at full.

use crate::{Area, EffectivePermissions, Grant, Level};

/// Why an action on a user or group is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The user's permissions exceed the actor's.
    UserOutranksYou,
    /// The group grants more than the actor holds.
    GroupOutranksYou,
    /// Only someone with administration at full may mark or unmark break-glass accounts.
    BreakGlassNeedsFullAdministration,
}

impl EffectivePermissions {
    /// Whether these permissions include all of `other`'s: in every area at least the same
    /// level, and over every query at least what `other` holds over every query.
    pub fn covers(&self, other: &EffectivePermissions) -> bool {
        Area::ALL.into_iter().all(|area| {
            self.level(area) >= other.level(area) && self.unlimited_level(area) >= other.unlimited_level(area)
        })
    }
}

/// May `actor` change, disable, end the sessions of or revoke the tokens of `target`?
pub fn may_manage_user(actor: &EffectivePermissions, target: &EffectivePermissions) -> Result<(), Refusal> {
    if actor.covers(target) { Ok(()) } else { Err(Refusal::UserOutranksYou) }
}

/// May `actor` edit or delete a group that grants `grants`?
pub fn may_manage_group(actor: &EffectivePermissions, grants: &[Grant]) -> Result<(), Refusal> {
    if grants.iter().all(|grant| actor.holds(grant)) { Ok(()) } else { Err(Refusal::GroupOutranksYou) }
}

/// May `actor` set an account's break-glass mark from `current` to `wanted` (`None`: leave it)?
/// Leaving it as it is needs nothing.
pub fn may_set_break_glass(actor: &EffectivePermissions, current: bool, wanted: Option<bool>) -> Result<(), Refusal> {
    match wanted {
        Some(wanted) if wanted != current && actor.level(Area::Administration) < Level::Full => {
            Err(Refusal::BreakGlassNeedsFullAdministration)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(grants: &[(Area, Level, bool)]) -> EffectivePermissions {
        EffectivePermissions::from_grants(grants.iter().map(|&(area, level, own_teams)| Grant {
            area,
            level,
            own_teams,
        }))
    }

    #[test]
    fn a_read_write_administrator_cannot_manage_a_full_one() {
        let read_write = perms(&[(Area::Administration, Level::ReadWrite, false)]);
        let full = EffectivePermissions::full();
        assert_eq!(may_manage_user(&read_write, &full), Err(Refusal::UserOutranksYou));
        assert_eq!(may_manage_user(&full, &read_write), Ok(()));
        assert_eq!(may_manage_user(&read_write, &read_write), Ok(()), "an equal is manageable");
        assert_eq!(may_manage_user(&read_write, &EffectivePermissions::default()), Ok(()));
    }

    #[test]
    fn exceeding_in_any_one_area_is_enough_to_outrank() {
        let admin_only = perms(&[(Area::Administration, Level::Full, false)]);
        let officer = perms(&[(Area::Queries, Level::ReadWrite, false), (Area::Customers, Level::Read, false)]);
        assert_eq!(may_manage_user(&admin_only, &officer), Err(Refusal::UserOutranksYou));
        assert_eq!(may_manage_user(&officer, &admin_only), Err(Refusal::UserOutranksYou));
    }

    #[test]
    fn a_team_limited_level_does_not_cover_the_same_level_everywhere() {
        let limited = perms(&[(Area::Administration, Level::Full, false), (Area::Queries, Level::ReadWrite, true)]);
        let everywhere = perms(&[(Area::Queries, Level::ReadWrite, false)]);
        assert_eq!(may_manage_user(&limited, &everywhere), Err(Refusal::UserOutranksYou));
        let also_limited = perms(&[(Area::Queries, Level::ReadWrite, true)]);
        assert_eq!(may_manage_user(&limited, &also_limited), Ok(()));
    }

    #[test]
    fn a_group_is_manageable_only_by_someone_holding_all_it_grants() {
        let admin_only = perms(&[(Area::Administration, Level::Full, false)]);
        let officers = [Grant { area: Area::Queries, level: Level::ReadWrite, own_teams: false }];
        assert_eq!(may_manage_group(&admin_only, &officers), Err(Refusal::GroupOutranksYou));
        assert_eq!(may_manage_group(&EffectivePermissions::full(), &officers), Ok(()));
        assert_eq!(may_manage_group(&admin_only, &[]), Ok(()), "an empty group grants nothing");
    }

    #[test]
    fn marking_break_glass_needs_full_administration() {
        let read_write = perms(&[(Area::Administration, Level::ReadWrite, false)]);
        assert_eq!(
            may_set_break_glass(&read_write, false, Some(true)),
            Err(Refusal::BreakGlassNeedsFullAdministration)
        );
        assert_eq!(
            may_set_break_glass(&read_write, true, Some(false)),
            Err(Refusal::BreakGlassNeedsFullAdministration)
        );
        assert_eq!(may_set_break_glass(&read_write, true, Some(true)), Ok(()), "no change");
        assert_eq!(may_set_break_glass(&read_write, false, None), Ok(()));
        assert_eq!(may_set_break_glass(&EffectivePermissions::full(), false, Some(true)), Ok(()));
    }
}
