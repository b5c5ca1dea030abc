//! Kafka 0.8.0's JSON writer: the hand-built JSON of
//! core/src/main/scala/kafka/utils/Utils.scala@0.8.0 l.471-525.
//!
//! Keys sorted, a space inside the braces and brackets and after each comma,
//! none after a colon, and no escaping at all: a string holding `"` or `\`
//! comes out as broken JSON, exactly as Kafka 0.8.0 writes it. Names Kafka
//! allows (topics, hosts) never contain either.

use std::cmp::Ordering;

/// Java's `String.compareTo`: by UTF-16 code unit.
fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Java's `String.trim`: drops characters up to U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `Utils.mapToJsonFields(map, valueInQuotes)`: `"key":value` per entry, sorted
/// by key, the value wrapped in quotes when asked.
pub(crate) fn map_to_json_fields(map: &[(&str, &str)], value_in_quotes: bool) -> Vec<String> {
    let mut entries = map.to_vec();
    entries.sort_by(|a, b| java_compare(a.0, b.0));
    entries
        .into_iter()
        .map(|(k, v)| {
            if value_in_quotes {
                format!("\"{k}\":\"{v}\"")
            } else {
                format!("\"{k}\":{v}")
            }
        })
        .collect()
}

/// `Utils.mergeJsonFields(fields)`: `"{ " + fields.sorted.map(_.trim).mkString(", ") + " }"`.
/// The fields are sorted again as whole strings.
pub(crate) fn merge_json_fields(mut fields: Vec<String>) -> String {
    fields.sort_by(|a, b| java_compare(a, b));
    let trimmed: Vec<&str> = fields.iter().map(|f| java_trim(f)).collect();
    format!("{{ {} }}", trimmed.join(", "))
}

/// `Utils.mapToJson(map, valueInQuotes)`.
pub(crate) fn map_to_json(map: &[(&str, &str)], value_in_quotes: bool) -> String {
    merge_json_fields(map_to_json_fields(map, value_in_quotes))
}

/// `Utils.seqToJson(seq, valueInQuotes)`: `[ a, b ]`; empty is `[  ]`.
pub(crate) fn seq_to_json<S: AsRef<str>>(items: &[S], value_in_quotes: bool) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|s| {
            if value_in_quotes {
                format!("\"{}\"", s.as_ref())
            } else {
                s.as_ref().to_owned()
            }
        })
        .collect();
    format!("[ {} ]", items.join(", "))
}

/// `seqToJson` of Ints, as every caller builds them (`.map(_.toString)`, raw).
pub(crate) fn ints_to_json(items: &[i32]) -> String {
    let items: Vec<String> = items.iter().map(i32::to_string).collect();
    seq_to_json(&items, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_shapes() {
        assert_eq!(merge_json_fields(vec![]), "{  }");
        assert_eq!(ints_to_json(&[]), "[  ]");
        assert_eq!(ints_to_json(&[1, 2, 0]), "[ 1, 2, 0 ]");
        assert_eq!(seq_to_json(&["a"], true), "[ \"a\" ]");
    }

    #[test]
    fn fields_sort_as_whole_strings() {
        let fields = map_to_json_fields(&[("leader_epoch", "0"), ("leader", "0")], false);
        assert_eq!(
            merge_json_fields(fields),
            "{ \"leader\":0, \"leader_epoch\":0 }"
        );
        // Two calls merged: still one sorted list.
        let mut fields = map_to_json_fields(&[("host", "h")], true);
        fields.extend(map_to_json_fields(
            &[("version", "1"), ("port", "1")],
            false,
        ));
        assert_eq!(
            merge_json_fields(fields),
            "{ \"host\":\"h\", \"port\":1, \"version\":1 }"
        );
        // Partition keys sort as strings.
        let keys: Vec<String> = (0..12).map(|p| p.to_string()).collect();
        let map: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "0")).collect();
        assert_eq!(
            map_to_json(&map, false),
            "{ \"0\":0, \"1\":0, \"10\":0, \"11\":0, \"2\":0, \"3\":0, \"4\":0, \"5\":0, \"6\":0, \"7\":0, \"8\":0, \"9\":0 }"
        );
    }

    #[test]
    fn whole_string_sort_differs_from_key_sort_below_the_quote() {
        // "a!" < "a" as whole fields? `"a":` vs `"a!":` compare `"` (0x22)
        // with `!` (0x21): the longer key sorts first, unlike a key sort.
        let fields = map_to_json_fields(&[("a", "1"), ("a!", "2")], false);
        assert_eq!(fields, ["\"a\":1", "\"a!\":2"]);
        assert_eq!(merge_json_fields(fields), "{ \"a!\":2, \"a\":1 }");
    }

    #[test]
    fn sorting_is_by_utf16_code_unit() {
        // U+FF61 sorts below U+1F600 in UTF-8 byte order but above it in UTF-16.
        let fields = map_to_json_fields(&[("\u{1F600}", "1"), ("\u{FF61}", "2")], false);
        assert_eq!(fields, ["\"\u{1F600}\":1", "\"\u{FF61}\":2"]);
    }
}
