//! Phone numbers, normalised to E.164 so one number is one value however it was written.

use crate::validation::FieldError;
use serde::Serialize;
use std::fmt;

/// A valid phone number in E.164 form (`+447700900123`). Numbers without a country code are
/// read as UK numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                field,
                "invalid_phone",
                "Enter a phone number, like 0117 925 0000, 07400 123456 or +353 1 234 5678",
            )
        };
        let raw = raw.trim();
        // Only what people write in a number: the parser would otherwise skip words around it
        // ("Tel: …") and drop an extension ("x123") without a word, losing what was typed.
        if !raw.chars().all(|c| c.is_ascii_digit() || " +()-.".contains(c)) {
            return Err(invalid());
        }
        let parsed = phonenumber::parse(Some(phonenumber::country::Id::GB), raw).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&parsed) {
            return Err(invalid());
        }
        Ok(Self(parsed.format().mode(phonenumber::Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as people write it: a UK number in national format (`07400 123456`,
    /// `0117 925 0000`), any other in international format (`+1 202-456-1111`).
    pub fn for_display(&self) -> String {
        let Ok(parsed) = phonenumber::parse(None, &self.0) else { return self.0.clone() };
        let mode =
            if parsed.code().value() == 44 { phonenumber::Mode::National } else { phonenumber::Mode::International };
        parsed.format().mode(mode).to_string()
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_and_international_numbers_normalise_to_e164() {
        for (raw, e164) in [
            ("07400 123456", "+447400123456"),
            ("+44 7400 123456", "+447400123456"),
            ("0044 7400 123456", "+447400123456"),
            ("(0117) 925 0000", "+441179250000"),
            ("+1 202-456-1111", "+12024561111"),
        ] {
            assert_eq!(PhoneNumber::parse("phone", raw).map(|p| p.0), Ok(e164.into()), "{raw}");
        }
    }

    #[test]
    fn uk_numbers_show_in_national_format_and_others_internationally() {
        for (raw, shown) in [
            ("+447400123456", "07400 123456"),
            ("(0117) 925 0000", "0117 925 0000"),
            ("020 7946 0000", "020 7946 0000"),
            ("+1 202-456-1111", "+1 202-456-1111"),
            ("+353 1 234 5678", "+353 1 234 5678"),
        ] {
            assert_eq!(PhoneNumber::parse("phone", raw).map(|p| p.for_display()), Ok(shown.into()), "{raw}");
        }
    }

    #[test]
    fn nonsense_is_refused() {
        for raw in ["", "12", "phone me", "0770090098212345", "Tel: 07400 123456", "07400 123456 x12", "07400 123456 *"]
        {
            assert_eq!(
                PhoneNumber::parse("phones[0]", raw).map_err(|e| (e.field, e.code)),
                Err(("phones[0]".into(), "invalid_phone"))
            );
        }
    }
}
