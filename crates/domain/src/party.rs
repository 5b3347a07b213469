//! Further parties to a query (DESIGN §3): someone other than the customer, in a role — an MP,
//! a solicitor or a relative acting for them. Parties are customers, so they are found,
//! deduplicated and merged like any other.

use crate::{CustomerId, QueryId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyRole {
    /// Acting for the customer in general.
    Representative,
    /// A Member of Parliament writing on the customer's behalf.
    Mp,
    Councillor,
    Solicitor,
    Advocate,
    Family,
    Other,
}

impl PartyRole {
    pub const ALL: [PartyRole; 7] =
        [Self::Representative, Self::Mp, Self::Councillor, Self::Solicitor, Self::Advocate, Self::Family, Self::Other];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Representative => "representative",
            Self::Mp => "mp",
            Self::Councillor => "councillor",
            Self::Solicitor => "solicitor",
            Self::Advocate => "advocate",
            Self::Family => "family",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub query_id: QueryId,
    pub customer_id: CustomerId,
    pub role: PartyRole,
    pub added_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in PartyRole::ALL {
            assert_eq!(PartyRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(PartyRole::parse("lawyer"), None);
    }
}
