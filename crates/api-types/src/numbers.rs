//! Whole numbers as JSON carries them. JSON has one number type, and JSON Schema counts `30.0`
//! as the integer 30: so does the server (a generated client may send any whole number as a
//! float). Fractions, negatives and numbers past `u32` are refused as the wrong type.

use serde::Deserialize;

fn to_u32<E: serde::de::Error>(number: f64) -> Result<u32, E> {
    if number.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&number) {
        // In range and whole, so the conversion is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(number as u32)
    } else {
        Err(E::custom(format!("expected a whole number, got {number}")))
    }
}

pub fn whole_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    to_u32(f64::deserialize(deserializer)?)
}

pub fn optional_whole_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    Option::<f64>::deserialize(deserializer)?.map(to_u32).transpose()
}

/// A signed whole number (a version). Floats too large to be exact are refused too.
pub fn whole_i64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Whole(i64),
        Float(f64),
    }
    /// 2^53: beyond it not every whole number is a float.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match Number::deserialize(deserializer)? {
        Number::Whole(n) => Ok(n),
        // Whole and within ±2^53, so the conversion is exact.
        #[allow(clippy::cast_possible_truncation)]
        Number::Float(f) if f.fract() == 0.0 && f.abs() <= EXACT => Ok(f as i64),
        Number::Float(f) => Err(serde::de::Error::custom(format!("expected a whole number, got {f}"))),
    }
}
