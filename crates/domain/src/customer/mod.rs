//! Customers (FR-001): the people and organisations who contact the service, validated and
//! normalised at the edge so that duplicates can be found (FR-020).

mod phone;
mod postcode;
mod similarity;

pub use phone::PhoneNumber;
pub use postcode::UkPostcode;
pub use similarity::{likely_same_person, name_similarity};

use crate::{
    TenantId, Timestamp,
    ids::CustomerId,
    user::EmailAddress,
    validation::{FieldError, ValidationErrors},
};
use serde::Serialize;

/// How a customer prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Email,
    Phone,
    Post,
}

impl ContactChannel {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Post => "post",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Email, Self::Phone, Self::Post].into_iter().find(|c| c.as_str() == raw)
    }
}

/// Customer details as typed, before validation.
#[derive(Debug, Clone, Default)]
pub struct RawCustomer {
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: Option<RawAddress>,
    pub organisation: Option<String>,
    pub preferred_channel: Option<ContactChannel>,
    pub contact_needs: Option<String>,
    pub notes: Option<String>,
    pub consent: Consent,
}

#[derive(Debug, Clone, Default)]
pub struct RawAddress {
    pub lines: Vec<String>,
    pub town: Option<String>,
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2; `GB` when absent.
    pub country: Option<String>,
}

/// What the customer has agreed to be contacted about, beyond their query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub feedback_surveys: bool,
    pub updates_by_email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub lines: Vec<String>,
    pub town: Option<String>,
    /// Canonical UK form when the country is GB; as typed (trimmed) elsewhere.
    pub postcode: Option<String>,
    pub country: String,
}

/// Validated customer details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerDetails {
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneNumber>,
    pub address: Option<Address>,
    pub organisation: Option<String>,
    pub preferred_channel: Option<ContactChannel>,
    pub contact_needs: Option<String>,
    pub notes: Option<String>,
    pub consent: Consent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub tenant_id: TenantId,
    pub id: CustomerId,
    pub details: CustomerDetails,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn optional_text(errors: &mut ValidationErrors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        errors.push(FieldError::new(field, "too_long", format!("Enter at most {max} characters")));
        return None;
    }
    Some(text.to_owned())
}

impl CustomerDetails {
    /// Validates every field, reporting all problems at once with their JSON paths.
    pub fn parse(raw: &RawCustomer) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = optional_text(&mut errors, "title", raw.title.as_deref(), 20);
        let given_name = optional_text(&mut errors, "given_name", Some(&raw.given_name), 100).unwrap_or_default();
        let family_name = optional_text(&mut errors, "family_name", Some(&raw.family_name), 100).unwrap_or_default();
        let organisation = optional_text(&mut errors, "organisation", raw.organisation.as_deref(), 200);
        if given_name.is_empty() && family_name.is_empty() && organisation.is_none() {
            errors.push(FieldError::new("family_name", "required", "Enter the customer's name or organisation"));
        }
        let emails = parse_list(&mut errors, "emails", &raw.emails, EmailAddress::parse);
        let phones = parse_list(&mut errors, "phones", &raw.phones, PhoneNumber::parse);
        let address = raw.address.as_ref().and_then(|a| parse_address(&mut errors, a));
        let details = Self {
            title,
            given_name,
            family_name,
            emails,
            phones,
            address,
            organisation,
            preferred_channel: raw.preferred_channel,
            contact_needs: optional_text(&mut errors, "contact_needs", raw.contact_needs.as_deref(), 2000),
            notes: optional_text(&mut errors, "notes", raw.notes.as_deref(), 10_000),
            consent: raw.consent,
        };
        errors.into_result().map(|()| details)
    }

    /// "Title Given Family", for lists and search.
    pub fn display_name(&self) -> String {
        display_name(&CustomerName {
            title: self.title.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            organisation: self.organisation.clone(),
        })
    }
}

/// The parts of a customer a name is made of (what a list reads instead of the whole record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerName {
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub organisation: Option<String>,
}

/// "Title Given Family", or the organisation when the person has no name.
pub fn display_name(name: &CustomerName) -> String {
    let parts = [name.title.as_deref(), Some(name.given_name.as_str()), Some(name.family_name.as_str())];
    let joined = parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    if joined.is_empty() { name.organisation.clone().unwrap_or_default() } else { joined }
}

/// Parses each entry, dropping blanks and duplicates after normalisation. At most 10 entries
/// are taken, blank or not, so the limit is one a client (and the API document) can count.
fn parse_list<T: PartialEq>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &[String],
    parse: impl Fn(&str, &str) -> Result<T, FieldError>,
) -> Vec<T> {
    let mut parsed: Vec<T> = Vec::new();
    for (i, value) in raw.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()) {
        if let Some(value) = errors.check(parse(&format!("{field}[{i}]"), value))
            && !parsed.contains(&value)
        {
            parsed.push(value);
        }
    }
    if raw.len() > 10 {
        errors.push(FieldError::new(field, "too_many", "Enter at most 10"));
    }
    parsed
}

fn parse_address(errors: &mut ValidationErrors, raw: &RawAddress) -> Option<Address> {
    let country = raw.country.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("GB").to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(FieldError::new(
            "address.country",
            "invalid_country",
            "Enter a two-letter country code, like GB or IE",
        ));
    }
    let mut lines = vec![];
    for (i, line) in raw.lines.iter().enumerate() {
        lines.extend(optional_text(errors, &format!("address.lines[{i}]"), Some(line), 100));
    }
    if raw.lines.len() > 4 {
        errors.push(FieldError::new("address.lines", "too_many", "Enter at most 4 address lines"));
    }
    let town = optional_text(errors, "address.town", raw.town.as_deref(), 100);
    let postcode = match raw.postcode.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if country == "GB" => {
            errors.check(UkPostcode::parse("address.postcode", p)).map(|p| p.as_str().to_owned())
        }
        Some(p) => optional_text(errors, "address.postcode", Some(p), 20),
        None => None,
    };
    let empty = lines.is_empty() && town.is_none() && postcode.is_none();
    (!empty).then_some(Address { lines, town, postcode, country })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawCustomer {
        RawCustomer {
            given_name: " John ".into(),
            family_name: "Smith".into(),
            emails: vec!["John.Smith@Example.org".into(), "".into(), "john.smith@example.org".into()],
            phones: vec!["07400 123456".into()],
            address: Some(RawAddress {
                lines: vec!["1 High Street".into()],
                town: Some("Bristol".into()),
                postcode: Some("bs16pn".into()),
                country: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn details_are_normalised() {
        let details = CustomerDetails::parse(&raw()).expect("valid");
        assert_eq!(details.given_name, "John");
        assert_eq!(details.emails.iter().map(EmailAddress::as_str).collect::<Vec<_>>(), ["john.smith@example.org"]);
        assert_eq!(details.phones[0].as_str(), "+447400123456");
        let address = details.address.expect("an address");
        assert_eq!((address.postcode.as_deref(), address.country.as_str()), (Some("BS1 6PN"), "GB"));
        assert_eq!(CustomerDetails::parse(&raw()).map(|d| d.display_name()), Ok("John Smith".into()));
    }

    #[test]
    fn list_limits_count_every_entry_given_blank_or_not() {
        let codes = |input: &RawCustomer| {
            CustomerDetails::parse(input).err().map(|e| e.0.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>())
        };
        let mut input = raw();
        input.emails = vec![String::new(); 10];
        assert_eq!(codes(&input), None);
        input.emails.push(String::new());
        assert_eq!(codes(&input), Some(vec![("emails".to_owned(), "too_many")]));
        let mut input = raw();
        if let Some(address) = input.address.as_mut() {
            address.lines = vec!["1 High Street".into(), String::new(), String::new(), String::new(), String::new()];
        }
        assert_eq!(codes(&input), Some(vec![("address.lines".to_owned(), "too_many")]));
    }

    #[test]
    fn overseas_postcodes_are_kept_as_typed() {
        let mut input = raw();
        input.address = Some(RawAddress {
            lines: vec!["1 Main St".into()],
            town: Some("Dublin".into()),
            postcode: Some(" D02 X285 ".into()),
            country: Some("ie".into()),
        });
        let address = CustomerDetails::parse(&input).expect("valid").address.expect("an address");
        assert_eq!((address.postcode.as_deref(), address.country.as_str()), (Some("D02 X285"), "IE"));
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path() {
        let input = RawCustomer {
            given_name: "".into(),
            family_name: " ".into(),
            emails: vec!["ok@example.org".into(), "not-an-email".into()],
            phones: vec!["12".into()],
            address: Some(RawAddress { postcode: Some("XX".into()), ..Default::default() }),
            ..Default::default()
        };
        let errors = CustomerDetails::parse(&input).expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["family_name", "emails[1]", "phones[0]", "address.postcode"]);
        let bad_country = RawCustomer {
            family_name: "Smith".into(),
            address: Some(RawAddress {
                country: Some("GBR".into()),
                town: Some("Bristol".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = CustomerDetails::parse(&bad_country).expect_err("invalid");
        assert_eq!(errors.0[0].field, "address.country");
    }
}
