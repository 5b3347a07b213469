//! UK bank holidays in the format of GOV.UK's `bank-holidays.json`: the three divisions, each a
//! list of dated events. A copy ships with the product (`bank-holidays.json`, written by
//! `scripts/bank-holidays.py`); administrators upload GOV.UK's own file for later years.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The bank holidays that ship with the product (2018 to 2028).
const SHIPPED: &str = include_str!("bank-holidays.json");

/// A part of the UK with its own bank holidays, named as GOV.UK's file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Division {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Division {
    pub const ALL: [Division; 3] = [Division::EnglandAndWales, Division::Scotland, Division::NorthernIreland];

    pub fn as_str(self) -> &'static str {
        match self {
            Division::EnglandAndWales => "england-and-wales",
            Division::Scotland => "scotland",
            Division::NorthernIreland => "northern-ireland",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }
}

/// One bank holiday, as GOV.UK lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankHoliday {
    pub title: String,
    pub date: NaiveDate,
    /// "Substitute day" when the holiday moved off a weekend; otherwise empty.
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub bunting: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DivisionEvents {
    division: String,
    events: Vec<BankHoliday>,
}

/// Bank holidays by division.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankHolidays {
    by_division: BTreeMap<Division, Vec<BankHoliday>>,
}

/// Why a bank-holidays file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankHolidaysError {
    #[error("not a bank-holidays file: {0}")]
    Malformed(String),
    #[error("the file has no {0} division")]
    MissingDivision(&'static str),
}

impl BankHolidays {
    /// The copy that ships with the product.
    pub fn shipped() -> Self {
        // Parsed once: every query logged under an office-hours policy needs it.
        // Checked by a test; a broken copy could only come from a broken build.
        static PARSED: std::sync::LazyLock<BankHolidays> =
            std::sync::LazyLock::new(|| BankHolidays::parse(SHIPPED).unwrap_or_default());
        PARSED.clone()
    }

    /// A file in GOV.UK's format, which must name all three divisions (an upload that dropped one
    /// would silently make its offices work on their bank holidays). Unknown divisions are ignored.
    pub fn parse(json: &str) -> Result<Self, BankHolidaysError> {
        let raw: BTreeMap<String, DivisionEvents> =
            serde_json::from_str(json).map_err(|e| BankHolidaysError::Malformed(e.to_string()))?;
        let mut by_division = BTreeMap::new();
        for division in Division::ALL {
            let found = raw.get(division.as_str()).ok_or(BankHolidaysError::MissingDivision(division.as_str()))?;
            let mut events = found.events.clone();
            events.sort_by_key(|e| e.date);
            by_division.insert(division, events);
        }
        Ok(Self { by_division })
    }

    /// The file again, in GOV.UK's format.
    pub fn to_json(&self) -> String {
        let out: BTreeMap<&str, DivisionEvents> = self
            .by_division
            .iter()
            .map(|(d, events)| (d.as_str(), DivisionEvents { division: d.as_str().to_owned(), events: events.clone() }))
            .collect();
        serde_json::to_string(&out).unwrap_or_default()
    }

    pub fn events(&self, division: Division) -> &[BankHoliday] {
        self.by_division.get(&division).map(Vec::as_slice).unwrap_or_default()
    }

    /// The division's bank holiday dates.
    pub fn dates(&self, division: Division) -> BTreeSet<NaiveDate> {
        self.events(division).iter().map(|e| e.date).collect()
    }

    /// The last date the file covers for `division`: due times beyond it cannot know that year's
    /// holidays, which administrators are told so they upload a newer file.
    pub fn last_date(&self, division: Division) -> Option<NaiveDate> {
        self.events(division).last().map(|e| e.date)
    }
}
