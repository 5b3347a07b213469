//! Groups: the units permissions are granted to (FR-014). Administrators name them, give them
//! a level in each area and choose their members; Entra group mappings add members at sign-in.

use crate::{
    Area, Conflict, EffectivePermissions, Grant, GroupId, Timestamp, UserId,
    validation::{FieldError, ValidationErrors},
};

/// A group name: 1 to 100 characters, unique per tenant.
pub fn group_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", "Enter a group name"));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(field, "too_long", "Name must be 100 characters or fewer"));
    }
    Ok(name.to_owned())
}

/// What the group is for, shown beside its name: at most 500 characters.
pub fn group_description(field: &str, raw: &str) -> Result<String, FieldError> {
    let description = raw.trim();
    if description.chars().count() > 500 {
        return Err(FieldError::new(field, "too_long", "Description must be 500 characters or fewer"));
    }
    Ok(description.to_owned())
}

/// A group as administrators set it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDetails {
    pub name: String,
    pub description: String,
    /// At most one per area (the API refuses a repeated area), in area order.
    pub grants: Vec<Grant>,
    /// Distinct, in the order given.
    pub members: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub details: GroupDetails,
    /// Built-in groups (Administrators, Customer officers) keep their grants and cannot be
    /// deleted, so a tenant can never lose its way back in.
    pub builtin: bool,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Group {
    /// A built-in group keeps its grants (`wanted` in area order), so a tenant always has its
    /// administrators.
    pub fn may_change_grants_to(&self, wanted: &[Grant]) -> Result<(), Conflict> {
        if self.builtin && self.details.grants != wanted {
            return Err(Conflict::BuiltinGroupGrants);
        }
        Ok(())
    }

    /// A built-in group cannot be deleted.
    pub fn may_delete(&self) -> Result<(), Conflict> {
        if self.builtin { Err(Conflict::BuiltinGroupDeleted) } else { Ok(()) }
    }
}

/// A tenant keeps at least one active member of its built-in Administrators group: without one
/// nobody could manage users or permissions. `active` is how many a change would leave.
pub fn administrators_remain(active: i64) -> Result<(), Conflict> {
    if active > 0 { Ok(()) } else { Err(Conflict::LastAdministrator) }
}

/// Records an error under `field[i]` for each grant that repeats an area, limits a level to the
/// holder's teams outside queries, or gives more than `actor` holds: nobody grants more than
/// they hold, so administration rights alone cannot be turned into more.
pub fn check_grants(field: &str, grants: &[Grant], actor: &EffectivePermissions, errors: &mut ValidationErrors) {
    let mut seen: Vec<Area> = Vec::new();
    for (index, grant) in grants.iter().enumerate() {
        if seen.contains(&grant.area) {
            errors.push(FieldError::new(format!("{field}[{index}].area"), "duplicate", "Give each area one level"));
        }
        seen.push(grant.area);
        if grant.own_teams && grant.area != Area::Queries {
            errors.push(FieldError::new(
                format!("{field}[{index}].own_teams"),
                "queries_only",
                "Only a grant on queries can be limited to the holder's teams",
            ));
        }
        if !actor.holds(grant) {
            errors.push(FieldError::new(
                format!("{field}[{index}].level"),
                "exceeds_your_level",
                "You cannot grant a higher level than you hold yourself",
            ));
        }
    }
}

/// Records an error under `field` unless group `id` is one of `groups` and `actor` holds all its
/// grants: making someone a member is granting, and nobody grants more than they hold.
pub fn check_membership_within_own(
    groups: &[Group],
    actor: &EffectivePermissions,
    id: GroupId,
    field: String,
    errors: &mut ValidationErrors,
) {
    match groups.iter().find(|g| g.id == id) {
        None => errors.push(FieldError::new(field, "unknown_group", "Choose a group that exists")),
        Some(group) if !group.details.grants.iter().all(|g| actor.holds(g)) => {
            errors.push(FieldError::new(
                field,
                "exceeds_your_level",
                "You cannot give someone a group with more permissions than you hold",
            ));
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Level;

    fn grant(area: Area, level: Level) -> Grant {
        Grant { area, level, own_teams: false }
    }

    fn group(builtin: bool, grants: Vec<Grant>) -> Group {
        let details = GroupDetails { name: "G".into(), description: String::new(), grants, members: vec![] };
        let now = Timestamp::now();
        Group { id: GroupId::new(), details, builtin, version: 1, created_at: now, updated_at: now }
    }

    fn codes(errors: &ValidationErrors) -> Vec<(&str, &str)> {
        errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn nobody_grants_more_than_they_hold() {
        let actor = EffectivePermissions::from_grants([
            grant(Area::Customers, Level::ReadWrite),
            Grant { area: Area::Queries, level: Level::Full, own_teams: true },
        ]);
        let mut errors = ValidationErrors::default();
        check_grants("grants", &[grant(Area::Customers, Level::ReadWrite)], &actor, &mut errors);
        let own_teams = Grant { area: Area::Queries, level: Level::Full, own_teams: true };
        check_grants("grants", &[own_teams], &actor, &mut errors);
        assert!(errors.0.is_empty(), "what is held may be given: {errors:?}");

        let mut errors = ValidationErrors::default();
        let asked = [
            grant(Area::Customers, Level::Full),
            grant(Area::Queries, Level::Read),
            grant(Area::Queries, Level::Read),
            Grant { area: Area::Customers, level: Level::Read, own_teams: true },
        ];
        check_grants("grants", &asked, &actor, &mut errors);
        assert_eq!(
            codes(&errors),
            [
                ("grants[0].level", "exceeds_your_level"),
                ("grants[1].level", "exceeds_your_level"),
                ("grants[2].area", "duplicate"),
                ("grants[2].level", "exceeds_your_level"),
                ("grants[3].area", "duplicate"),
                ("grants[3].own_teams", "queries_only"),
            ],
            "queries held only over one's teams cannot be given over every query"
        );
    }

    #[test]
    fn a_membership_gives_the_group_s_grants() {
        let actor = EffectivePermissions::from_grants([grant(Area::Customers, Level::Read)]);
        let within = group(false, vec![grant(Area::Customers, Level::Read)]);
        let beyond = group(false, vec![grant(Area::Administration, Level::Read)]);
        let groups = [within.clone(), beyond.clone()];
        let mut errors = ValidationErrors::default();
        check_membership_within_own(&groups, &actor, within.id, "a".into(), &mut errors);
        check_membership_within_own(&groups, &actor, beyond.id, "b".into(), &mut errors);
        check_membership_within_own(&groups, &actor, GroupId::new(), "c".into(), &mut errors);
        assert_eq!(codes(&errors), [("b", "exceeds_your_level"), ("c", "unknown_group")]);
    }

    #[test]
    fn a_built_in_group_keeps_its_grants_and_cannot_be_deleted() {
        let grants = vec![grant(Area::Administration, Level::Full)];
        let builtin = group(true, grants.clone());
        assert_eq!(builtin.may_change_grants_to(&grants), Ok(()), "its name and members may change");
        assert_eq!(builtin.may_change_grants_to(&[]), Err(Conflict::BuiltinGroupGrants));
        assert_eq!(builtin.may_delete(), Err(Conflict::BuiltinGroupDeleted));
        let own = group(false, grants);
        assert_eq!(own.may_change_grants_to(&[]), Ok(()));
        assert_eq!(own.may_delete(), Ok(()));
    }

    #[test]
    fn the_last_administrator_stays() {
        assert_eq!(administrators_remain(1), Ok(()));
        assert_eq!(administrators_remain(0), Err(Conflict::LastAdministrator));
    }
}
