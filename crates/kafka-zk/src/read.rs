//! Reading znode data: JSON through serde_json, keeping each object's keys in
//! the order they were written, and Java's decimal parsers for the numbers
//! Kafka stores as text.
//!
//! Values are borrowed as written ([`RawValue`]), so an object's entries can
//! be put back in document order (the order Kafka's writer iterated its map
//! in); the typed decoders then convert each value with serde_json. A
//! duplicated key keeps its last value, as with Jackson and Scala's parser.

use std::collections::BTreeMap;

use distribution::Release;
use serde_json::value::RawValue;

use crate::error::DecodeError;

/// One JSON value inside a znode's data, with where it is (for errors).
#[derive(Clone)]
pub(crate) struct Field<'a> {
    path: String,
    raw: &'a RawValue,
}

/// A JSON object, its entries in document order.
pub(crate) struct Object<'a> {
    path: String,
    entries: Vec<(String, &'a RawValue)>,
}

/// Parses `bytes` as one JSON object (every znode JSON Kafka writes is one).
pub(crate) fn object(bytes: &[u8]) -> Result<Object<'_>, DecodeError> {
    let raw: &RawValue =
        serde_json::from_slice(bytes).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    Field {
        path: String::new(),
        raw,
    }
    .object()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn root(path: &str) -> &str {
    if path.is_empty() {
        "(data)"
    } else {
        path
    }
}

impl<'a> Field<'a> {
    pub(crate) fn path(&self) -> &str {
        root(&self.path)
    }

    fn wrong(&self, expected: &'static str) -> DecodeError {
        DecodeError::WrongType {
            path: self.path().to_owned(),
            expected,
        }
    }

    /// A JSON number that is a Java `Int` (Jackson's `isInt`, 0.8.0's `toInt`).
    pub(crate) fn int(&self) -> Result<i32, DecodeError> {
        serde_json::from_str::<i32>(self.raw.get())
            .map_err(|_| self.wrong("a JSON integer in Int range"))
    }

    pub(crate) fn string(&self) -> Result<String, DecodeError> {
        serde_json::from_str::<String>(self.raw.get()).map_err(|_| self.wrong("a JSON string"))
    }

    /// A string or `null` (Jackson writes a Java `null` String as `null`).
    pub(crate) fn opt_string(&self) -> Result<Option<String>, DecodeError> {
        serde_json::from_str::<Option<String>>(self.raw.get())
            .map_err(|_| self.wrong("a JSON string or null"))
    }

    /// A JSON string holding a decimal `Long`, as Kafka writes timestamps.
    pub(crate) fn long_text(&self) -> Result<i64, DecodeError> {
        let text = self.string()?;
        java_parse_long(&text).ok_or_else(|| DecodeError::NotANumber {
            path: self.path().to_owned(),
            text,
            expected: "Long",
        })
    }

    pub(crate) fn object(&self) -> Result<Object<'a>, DecodeError> {
        let map: BTreeMap<String, &'a RawValue> =
            serde_json::from_str(self.raw.get()).map_err(|_| self.wrong("a JSON object"))?;
        let mut entries: Vec<(String, &'a RawValue)> = map.into_iter().collect();
        // Every value borrows from the one input buffer: its address is its
        // position in the document.
        entries.sort_by_key(|(_, v)| v.get().as_ptr() as usize);
        Ok(Object {
            path: self.path.clone(),
            entries,
        })
    }

    pub(crate) fn array(&self) -> Result<Vec<Field<'a>>, DecodeError> {
        let items: Vec<&'a RawValue> =
            serde_json::from_str(self.raw.get()).map_err(|_| self.wrong("a JSON array"))?;
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| Field {
                path: format!("{}[{i}]", self.path()),
                raw,
            })
            .collect())
    }

    pub(crate) fn int_list(&self) -> Result<Vec<i32>, DecodeError> {
        self.array()?.iter().map(Field::int).collect()
    }
}

impl<'a> Object<'a> {
    pub(crate) fn path(&self) -> &str {
        root(&self.path)
    }

    pub(crate) fn get(&self, key: &str) -> Option<Field<'a>> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, raw)| Field {
                path: join(&self.path, key),
                raw,
            })
    }

    /// A key the writer always writes.
    pub(crate) fn req(&self, key: &str) -> Result<Field<'a>, DecodeError> {
        self.get(key)
            .ok_or_else(|| DecodeError::Missing(join(&self.path, key)))
    }

    /// The entries in document order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, Field<'a>)> + '_ {
        self.entries.iter().map(|(k, raw)| {
            (
                k.as_str(),
                Field {
                    path: join(&self.path, k),
                    raw,
                },
            )
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads `version` and checks that `release` writes it.
    pub(crate) fn version(
        &self,
        release: Release,
        allowed: &[i32],
        expected: &'static str,
    ) -> Result<i32, DecodeError> {
        let found = self.req("version")?.int()?;
        if allowed.contains(&found) {
            Ok(found)
        } else {
            Err(DecodeError::Version {
                found,
                release,
                expected,
            })
        }
    }

    /// Like [`Object::version`] for a `version` Kafka writes as a JSON string.
    pub(crate) fn version_text(
        &self,
        release: Release,
        allowed: &'static str,
    ) -> Result<(), DecodeError> {
        let field = self.req("version")?;
        let text = field.string()?;
        if text == allowed {
            return Ok(());
        }
        match java_parse_int(&text) {
            Some(found) => Err(DecodeError::Version {
                found,
                release,
                expected: allowed,
            }),
            None => Err(DecodeError::NotANumber {
                path: field.path().to_owned(),
                text,
                expected: "Int",
            }),
        }
    }
}

/// Java's `Long.parseLong` (and Scala's `toLong`) on ASCII digits: an
/// optional sign, then at least one digit, no spaces, within range.
pub(crate) fn java_parse_long(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Accumulate negatively, like Java, so that Long.MIN_VALUE parses.
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = value.checked_mul(10)?.checked_sub(i64::from(b - b'0'))?;
    }
    if negative {
        Some(value)
    } else {
        value.checked_neg()
    }
}

/// Java's `Integer.parseInt` (Scala's `toInt`), under the same rules.
pub(crate) fn java_parse_int(text: &str) -> Option<i32> {
    i32::try_from(java_parse_long(text)?).ok()
}

/// Data that is a plain decimal (`/controller_epoch`, consumer offsets), as
/// Kafka reads it: `new String(bytes, UTF_8).toLong`.
pub(crate) fn decimal_long(bytes: &[u8]) -> Result<i64, DecodeError> {
    let text = String::from_utf8_lossy(bytes);
    java_parse_long(&text).ok_or_else(|| DecodeError::NotANumber {
        path: "(data)".to_owned(),
        text: text.into_owned(),
        expected: "Long",
    })
}

/// As [`decimal_long`], for an `Int` (`toInt`).
pub(crate) fn decimal_int(bytes: &[u8]) -> Result<i32, DecodeError> {
    let text = String::from_utf8_lossy(bytes);
    java_parse_int(&text).ok_or_else(|| DecodeError::NotANumber {
        path: "(data)".to_owned(),
        text: text.into_owned(),
        expected: "Int",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_decimals() {
        assert_eq!(java_parse_long("1380000000000"), Some(1_380_000_000_000));
        assert_eq!(java_parse_long("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(java_parse_long("9223372036854775807"), Some(i64::MAX));
        assert_eq!(java_parse_long("9223372036854775808"), None);
        assert_eq!(java_parse_long("+7"), Some(7));
        assert_eq!(java_parse_long("007"), Some(7));
        for bad in ["", "-", "+", " 1", "1 ", "1\n", "0x10", "1.0", "1e3", "--1"] {
            assert_eq!(java_parse_long(bad), None, "{bad:?}");
        }
        assert_eq!(java_parse_int("2147483647"), Some(i32::MAX));
        assert_eq!(java_parse_int("-2147483648"), Some(i32::MIN));
        assert_eq!(java_parse_int("2147483648"), None);
    }

    #[test]
    fn objects_keep_document_order() {
        let obj = object(br#"{"b":1,"a":{"z":1,"y":2},"c":[3]}"#).unwrap();
        let keys: Vec<&str> = obj.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        let inner = obj.req("a").unwrap().object().unwrap();
        let keys: Vec<&str> = inner.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["z", "y"]);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let obj = object(br#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(obj.req("a").unwrap().int().unwrap(), 2);
    }

    #[test]
    fn type_errors_name_the_path() {
        let obj = object(br#"{"p":{"0":[1,"x"]}}"#).unwrap();
        let p0 = obj.req("p").unwrap().object().unwrap().req("0").unwrap();
        assert_eq!(
            p0.int_list(),
            Err(DecodeError::WrongType {
                path: "p.0[1]".into(),
                expected: "a JSON integer in Int range"
            })
        );
        assert_eq!(obj.req("q").err(), Some(DecodeError::Missing("q".into())));
    }

    #[test]
    fn ints_must_be_java_ints() {
        for bad in [
            r#"{"a":1.0}"#,
            r#"{"a":2147483648}"#,
            r#"{"a":"1"}"#,
            r#"{"a":null}"#,
        ] {
            let obj = object(bad.as_bytes()).unwrap();
            assert!(obj.req("a").unwrap().int().is_err(), "{bad}");
        }
        let obj = object(br#"{"a":-2147483648}"#).unwrap();
        assert_eq!(obj.req("a").unwrap().int(), Ok(i32::MIN));
    }

    #[test]
    fn not_an_object() {
        assert!(matches!(object(b"[1]"), Err(DecodeError::WrongType { .. })));
        assert!(matches!(object(b"1"), Err(DecodeError::WrongType { .. })));
        assert!(matches!(object(b""), Err(DecodeError::Malformed(_))));
        assert!(matches!(
            object(b"{\"a\":1"),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(object(b"{} {}"), Err(DecodeError::Malformed(_))));
        assert!(matches!(object(b"\xff"), Err(DecodeError::Malformed(_))));
    }
}
