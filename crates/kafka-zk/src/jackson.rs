//! Kafka 2.8.2's JSON writer: `Json.encodeAsBytes`, a plain Jackson
//! `ObjectMapper` (core/src/main/scala/kafka/utils/Json.scala@2.8.2).
//!
//! Compact (no spaces, no trailing newline), UTF-8, Jackson's escaping, map
//! entries in the map's iteration order (see [`crate::order`]).

use crate::order;

/// A value as Kafka hands it to Jackson.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Str(String),
    List(Vec<Value>),
    /// Entries already in the map's iteration order.
    Map(Vec<(String, Value)>),
}

impl Value {
    pub(crate) fn str(s: &str) -> Value {
        Value::Str(s.to_owned())
    }

    pub(crate) fn ints(items: &[i32]) -> Value {
        Value::List(items.iter().map(|&i| Value::Int(i64::from(i))).collect())
    }

    /// A Scala immutable `Map(…)` / `.toMap` of these entries, in insertion order.
    pub(crate) fn immutable_map(entries: Vec<(String, Value)>) -> Value {
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        let order = order::immutable_map_order(&keys);
        Value::Map(reorder(entries, &order))
    }

    /// A Scala `mutable.HashMap` with a table of `initial_len` slots that
    /// receives these entries in order.
    pub(crate) fn mutable_map(entries: Vec<(String, Value)>, initial_len: usize) -> Value {
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        let order = order::mutable_hash_map_order(&keys, initial_len);
        Value::Map(reorder(entries, &order))
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Value::Str(s) => write_string(out, s),
            Value::List(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Value::Map(entries) => {
                out.push(b'{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_string(out, k);
                    out.push(b':');
                    v.write(out);
                }
                out.push(b'}');
            }
        }
    }
}

fn reorder(entries: Vec<(String, Value)>, order: &[usize]) -> Vec<(String, Value)> {
    let mut slots: Vec<Option<(String, Value)>> = entries.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Jackson's default string escaping: `"` and `\`, the short escapes
/// `\b \t \n \f \r`, other control characters below U+0020 as `\u00XX` with
/// upper-case hex (`CharTypes.HC`); everything else, `/` and non-ASCII
/// included, as raw UTF-8.
fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x00..=0x1f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_jacksons() {
        let v = Value::str("a\"b\\c/d\u{1}\u{1f}\u{8}\t\n\u{c}\r\u{7f}é");
        assert_eq!(
            String::from_utf8(v.to_bytes()).unwrap(),
            "\"a\\\"b\\\\c/d\\u0001\\u001F\\b\\t\\n\\f\\r\u{7f}é\""
        );
    }

    #[test]
    fn compact_nesting() {
        let v = Value::Map(vec![
            ("a".into(), Value::ints(&[1, -2])),
            ("b".into(), Value::Map(vec![])),
            ("c".into(), Value::List(vec![])),
            ("d".into(), Value::Null),
        ]);
        assert_eq!(v.to_bytes(), br#"{"a":[1,-2],"b":{},"c":[],"d":null}"#);
    }
}
