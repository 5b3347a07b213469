//! UK postcodes: validated and normalised, so "bs16pn", "BS1 6PN" and " bs1  6pn " are one value.

use crate::validation::FieldError;
use serde::Serialize;
use std::fmt;

/// A UK postcode in its canonical form: upper case, one space before the inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UkPostcode(String);

impl UkPostcode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact == "GIR0AA" {
            return Ok(Self("GIR 0AA".into()));
        }
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(invalid(field));
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        if !valid_inward(inward) || !valid_outward(outward) {
            return Err(invalid(field));
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the space, the form people type when searching.
    pub fn compact(&self) -> String {
        self.0.replace(' ', "")
    }
}

impl fmt::Display for UkPostcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn invalid(field: &str) -> FieldError {
    FieldError::new(field, "invalid_postcode", "Enter a real postcode, like BS1 6PN")
}

/// Digit then two letters (never C, I, K, M, O or V).
fn valid_inward(inward: &str) -> bool {
    let b = inward.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1..].iter().all(|c| c.is_ascii_uppercase() && !b"CIKMOV".contains(c))
}

/// The outward code's shapes: A9, A99, AA9, AA99, A9A, AA9A.
fn valid_outward(outward: &str) -> bool {
    let shape: String = outward
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_uppercase() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_normalise_however_typed() {
        for raw in ["BS1 6PN", "bs16pn", " bs1  6pn ", "Bs1 6Pn"] {
            assert_eq!(UkPostcode::parse("postcode", raw).map(|p| p.0), Ok("BS1 6PN".into()), "{raw}");
        }
        for (raw, canonical) in [
            ("sw1a1aa", "SW1A 1AA"),
            ("M11AE", "M1 1AE"),
            ("cr26xh", "CR2 6XH"),
            ("DN551PT", "DN55 1PT"),
            ("w1a0ax", "W1A 0AX"),
            ("gir0aa", "GIR 0AA"),
        ] {
            assert_eq!(UkPostcode::parse("postcode", raw).map(|p| p.0), Ok(canonical.into()), "{raw}");
        }
        assert_eq!(UkPostcode::parse("p", "bs16pn").map(|p| p.compact()), Ok("BS16PN".into()));
    }

    #[test]
    fn impossible_postcodes_are_refused_naming_the_field() {
        for raw in ["", "BS1", "BS1 6P", "1S1 6PN", "BS1 6CN", "BSS1 6PN", "BS1 66N", "BS1-6PN", "ΒS1 6PN", "BS1 6PNN"]
        {
            let error = UkPostcode::parse("address.postcode", raw).expect_err(raw);
            assert_eq!((error.field.as_str(), error.code), ("address.postcode", "invalid_postcode"));
        }
    }
}
