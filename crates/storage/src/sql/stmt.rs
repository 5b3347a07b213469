//! A statement and its arguments in neutral terms, so a flow is written once and each backend
//! binds the values with its own codecs (a time is `timestamptz` on PostgreSQL and integer
//! microseconds on SQLite; a list of names is `text[]` on PostgreSQL and JSON on SQLite).

use domain::Timestamp;
use std::borrow::Cow;
use uuid::Uuid;

/// One bound value. `None` binds a NULL of the variant's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Time(Option<Timestamp>),
    Bytes(Option<Vec<u8>>),
    TextList(Vec<String>),
}

/// SQL text written with `$1`, `$2`… (both drivers accept it) and the values for them.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub sql: Cow<'static, str>,
    pub args: Vec<Arg>,
}

impl Stmt {
    pub fn new(sql: impl Into<Cow<'static, str>>) -> Self {
        Self { sql: sql.into(), args: Vec::new() }
    }

    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Binds one value and returns its placeholder (`$7`), for SQL assembled piece by piece.
    pub fn push(&mut self, value: impl Into<Arg>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// Binds each value and returns their placeholders for an `IN (…)` list: `$3, $4, $5`,
    /// or `NULL` for none (an empty list is not SQL; `IN (NULL)` matches nothing). The same on
    /// both backends, unlike PostgreSQL's `= ANY($1)`; for the short lists of administration
    /// (members, grants), not for hot paths.
    pub fn push_list<T: Into<Arg>>(&mut self, values: impl IntoIterator<Item = T>) -> String {
        let placeholders: Vec<String> = values.into_iter().map(|value| self.push(value)).collect();
        if placeholders.is_empty() { "NULL".to_owned() } else { placeholders.join(", ") }
    }
}

macro_rules! arg_from {
    ($variant:ident: $($source:ty => |$value:ident| $convert:expr),+ $(,)?) => {$(
        impl From<$source> for Arg {
            fn from($value: $source) -> Self {
                Arg::$variant($convert)
            }
        }
    )+};
}

arg_from!(Uuid: Uuid => |v| Some(v), Option<Uuid> => |v| v);
arg_from!(Text:
    &str => |v| Some(v.to_owned()),
    String => |v| Some(v),
    &String => |v| Some(v.clone()),
    Option<&str> => |v| v.map(str::to_owned),
    Option<String> => |v| v,
    &Option<String> => |v| v.clone(),
);
arg_from!(Int: i64 => |v| Some(v), Option<i64> => |v| v, i32 => |v| Some(i64::from(v)), u32 => |v| Some(i64::from(v)));
arg_from!(Bool: bool => |v| Some(v), Option<bool> => |v| v);
arg_from!(Time: Timestamp => |v| Some(v), Option<Timestamp> => |v| v);
arg_from!(Bytes: &[u8] => |v| Some(v.to_vec()), Vec<u8> => |v| Some(v), Option<Vec<u8>> => |v| v);
arg_from!(TextList: Vec<String> => |v| v);

impl<const N: usize> From<&[u8; N]> for Arg {
    fn from(value: &[u8; N]) -> Self {
        Arg::Bytes(Some(value.to_vec()))
    }
}
