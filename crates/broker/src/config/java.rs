//! What the JVM does to a config value on its way in and out: `String.trim`,
//! `String.split`, `Integer.parseInt` and friends, `Double.toString`, and the
//! iteration order of a `java.util.Hashtable`. Java 8 behaviour throughout
//! (`coord::jvm`: the playground's hosts run 1.8.0_202).

use kafka_zk::order::java_string_hash;

/// `String.trim()`: drops every char up to U+0020 at both ends (not Unicode
/// white space).
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// A char of the regex class `\s`: `[ \t\n\x0B\f\r]`.
pub fn is_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// The message of the `NumberFormatException` the `parse*` methods throw.
pub fn for_input_string(s: &str) -> String {
    format!("For input string: \"{s}\"")
}

/// The first code point of each run of ten decimal digits in the Basic
/// Multilingual Plane (general category Nd of Unicode 6.2, Java 8's tables):
/// `Character.digit(c, 10)` accepts them all, so `Integer.parseInt` does.
const DIGIT_ZEROS: [u32; 35] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xAA50, 0xABF0, 0xFF10,
];

/// `Character.digit(c, 10)`.
fn digit(c: char) -> Option<i64> {
    let c = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&c))
        .map(|zero| i64::from(c - zero))
}

/// `Long.parseLong(s)` limited to `[min, max]`: Java's loop, which accepts a
/// leading `+` or `-` and any Unicode decimal digit, and nothing else.
fn parse_integer(s: &str, min: i64, max: i64) -> Option<i64> {
    let mut chars = s.chars().peekable();
    let negative = match chars.peek()? {
        '-' => true,
        '+' => false,
        _ => {
            return digits(chars, false, min, max);
        }
    };
    chars.next();
    chars.peek()?;
    digits(chars, negative, min, max)
}

fn digits(chars: impl Iterator<Item = char>, negative: bool, min: i64, max: i64) -> Option<i64> {
    // Accumulate negatively like the JDK, so that the minimum fits.
    let limit = if negative { min } else { -max };
    let mut result: i64 = 0;
    for c in chars {
        let d = digit(c)?;
        result = result.checked_mul(10)?.checked_sub(d)?;
        if result < limit {
            return None;
        }
    }
    Some(if negative { result } else { -result })
}

/// `Integer.parseInt(s)`.
pub fn parse_int(s: &str) -> Option<i32> {
    parse_integer(s, i32::MIN.into(), i32::MAX.into()).map(|v| v as i32)
}

/// `Long.parseLong(s)`.
pub fn parse_long(s: &str) -> Option<i64> {
    parse_integer(s, i64::MIN, i64::MAX)
}

/// `Short.parseShort(s)` (an int out of the short range is an error too).
pub fn parse_short(s: &str) -> Option<i16> {
    parse_integer(s, i16::MIN.into(), i16::MAX.into()).map(|v| v as i16)
}

/// `Double.parseDouble(s)`: optional sign, `NaN`, `Infinity`, or decimal
/// digits with an optional point and exponent, and an optional `f`/`d`
/// suffix. Hexadecimal floating literals (`0x1p3`) are not modelled: they
/// count as not a number.
pub fn parse_double(s: &str) -> Option<f64> {
    let s = trim(s);
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    match body {
        "NaN" => return Some(f64::NAN),
        "Infinity" => return Some(sign * f64::INFINITY),
        _ => {}
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    if let Some(exp) = exponent {
        let unsigned = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if unsigned.is_empty() || !all_digits(unsigned) {
            return None;
        }
    }
    let text = format!(
        "{mantissa}{}",
        exponent.map(|e| format!("e{e}")).unwrap_or_default()
    );
    text.parse::<f64>().ok().map(|v| sign * v)
}

/// `Double.toString(d)`: plain notation for magnitudes in [10^-3, 10^7),
/// computerized scientific notation (`1.0E7`) otherwise, always with a
/// fractional digit. The digits are the shortest that round-trip; Java 8 now
/// and then prints one digit more (JDK-4511638), which is not modelled.
pub fn double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_owned();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if d.is_sign_negative() { "-" } else { "" };
    let magnitude = d.abs();
    if magnitude == 0.0 {
        return format!("{sign}0.0");
    }
    // `{:e}` gives the shortest round-trip digits: "1.7976931348623157e308".
    let sci = format!("{magnitude:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (1e-3..1e7).contains(&magnitude) {
        let point = exp + 1; // digits before the decimal point
        let (int, frac) = if point <= 0 {
            (
                "0".to_owned(),
                format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
            )
        } else if point as usize >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(point as usize - digits.len())),
                String::new(),
            )
        } else {
            let (i, f) = digits.split_at(point as usize);
            (i.to_owned(), f.to_owned())
        };
        let frac = if frac.is_empty() {
            "0".to_owned()
        } else {
            frac
        };
        format!("{sign}{int}.{frac}")
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}

/// `String.split(regex)` for the regex `\s*<sep>\s*` (Kafka's comma lists
/// and `key:value` maps). With `keep_trailing` false this is `split(regex)`
/// (trailing empty strings dropped); with it true, `split(regex, -1)`.
pub fn split_around(s: &str, sep: char, keep_trailing: bool) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0; // where the current piece starts
    let mut i = 0;
    let mut matched = false;
    while i < chars.len() {
        if chars[i] != sep {
            i += 1;
            continue;
        }
        // The leftmost match starts at the white space run before the separator.
        let mut from = i;
        while from > start && is_regex_space(chars[from - 1]) {
            from -= 1;
        }
        let mut to = i + 1;
        while to < chars.len() && is_regex_space(chars[to]) {
            to += 1;
        }
        pieces.push(chars[start..from].iter().collect::<String>());
        matched = true;
        start = to;
        i = to;
    }
    if !matched {
        return vec![s.to_owned()];
    }
    pieces.push(chars[start..].iter().collect());
    if !keep_trailing {
        while pieces.last().is_some_and(String::is_empty) {
            pieces.pop();
        }
    }
    pieces
}

/// `String.split(literal)` for a single-char separator: trailing empty
/// strings dropped, and a string without the separator is one piece.
pub fn split_literal(s: &str, sep: char) -> Vec<&str> {
    if !s.contains(sep) {
        return vec![s];
    }
    let mut pieces: Vec<&str> = s.split(sep).collect();
    while pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    pieces
}

/// `String.equalsIgnoreCase`: char by char, equal, or equal upper cased, or
/// equal lower cased after upper casing.
pub fn equals_ignore_case(a: &str, b: &str) -> bool {
    fn upper(c: char) -> char {
        let mut up = c.to_uppercase();
        match (up.next(), up.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }
    fn lower(c: char) -> char {
        let mut low = c.to_lowercase();
        match (low.next(), low.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(&x, &y)| x == y || upper(x) == upper(y) || lower(upper(x)) == lower(upper(y)))
}

/// A `java.util.Hashtable<String, _>` as Java 8 keeps it, for its key order:
/// 11 buckets to start, rehashed to `2n + 1` when the count reaches 3/4 of
/// the buckets; a new key goes to the head of its bucket's chain; `keys()`
/// walks the buckets from the last to the first, each chain from its head.
#[derive(Debug)]
pub struct Hashtable {
    buckets: Vec<Vec<(i32, String)>>,
    count: usize,
    threshold: usize,
}

impl Default for Hashtable {
    fn default() -> Self {
        Hashtable::new()
    }
}

impl Hashtable {
    /// `new Hashtable()` (and `new Properties()`): capacity 11, load factor 0.75.
    pub fn new() -> Hashtable {
        Hashtable {
            buckets: vec![Vec::new(); 11],
            count: 0,
            threshold: 8,
        }
    }

    fn index(hash: i32, len: usize) -> usize {
        (hash & 0x7fff_ffff) as usize % len
    }

    /// `put(key, …)`: a key already present keeps its place.
    pub fn put(&mut self, key: &str) {
        let hash = java_string_hash(key);
        let index = Self::index(hash, self.buckets.len());
        if self.buckets[index]
            .iter()
            .any(|(h, k)| *h == hash && k == key)
        {
            return;
        }
        if self.count >= self.threshold {
            self.rehash();
        }
        let index = Self::index(hash, self.buckets.len());
        self.buckets[index].insert(0, (hash, key.to_owned()));
        self.count += 1;
    }

    fn rehash(&mut self) {
        let old = std::mem::take(&mut self.buckets);
        let capacity = old.len() * 2 + 1;
        // (int) (capacity * 0.75f): exact, as 0.75 is a binary fraction.
        self.threshold = capacity * 3 / 4;
        self.buckets = vec![Vec::new(); capacity];
        for chain in old.into_iter().rev() {
            for (hash, key) in chain {
                let index = Self::index(hash, capacity);
                self.buckets[index].insert(0, (hash, key));
            }
        }
    }

    /// `keys()`, in the order the enumeration yields them.
    pub fn keys(&self) -> Vec<&str> {
        self.buckets
            .iter()
            .rev()
            .flat_map(|chain| chain.iter().map(|(_, k)| k.as_str()))
            .collect()
    }
}

/// The order of `Properties.propertyNames()` for a `Properties` that
/// received `keys` (`put`, in order, duplicates allowed): Java 8 copies the
/// table's keys into a fresh `Hashtable` and enumerates that one.
pub fn property_names<S: AsRef<str>>(keys: &[S]) -> Vec<String> {
    let mut table = Hashtable::new();
    for k in keys {
        table.put(k.as_ref());
    }
    let mut copy = Hashtable::new();
    for k in table.keys() {
        copy.put(k);
    }
    copy.keys().into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_follows_the_jdk() {
        assert_eq!(parse_int("0"), Some(0));
        assert_eq!(parse_int("+7"), Some(7));
        assert_eq!(parse_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_int("2147483647"), Some(i32::MAX));
        assert_eq!(parse_int("2147483648"), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int("+"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int(" 1"), None);
        assert_eq!(parse_int("1 "), None);
        assert_eq!(parse_int("٣"), Some(3), "Arabic-Indic digit");
        assert_eq!(parse_int("１２"), Some(12), "fullwidth digits");
        assert_eq!(parse_long("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_long("9223372036854775808"), None);
        assert_eq!(parse_short("32768"), None);
        assert_eq!(parse_short("-32768"), Some(i16::MIN));
    }

    #[test]
    fn parse_double_follows_the_jdk_grammar() {
        assert_eq!(parse_double("0.5"), Some(0.5));
        assert_eq!(parse_double(" 5. "), Some(5.0));
        assert_eq!(parse_double(".5d"), Some(0.5));
        assert_eq!(parse_double("1e3"), Some(1000.0));
        assert_eq!(parse_double("-1E-3f"), Some(-0.001));
        assert_eq!(parse_double("Infinity"), Some(f64::INFINITY));
        assert!(parse_double("NaN").unwrap().is_nan());
        assert_eq!(parse_double("inf"), None);
        assert_eq!(parse_double("."), None);
        assert_eq!(parse_double("1e"), None);
        assert_eq!(parse_double("abc"), None);
    }

    #[test]
    fn double_to_string_matches_java() {
        assert_eq!(double_to_string(f64::MAX), "1.7976931348623157E308");
        assert_eq!(double_to_string(0.9), "0.9");
        assert_eq!(double_to_string(0.05), "0.05");
        assert_eq!(double_to_string(100.0), "100.0");
        assert_eq!(double_to_string(1e7), "1.0E7");
        assert_eq!(double_to_string(0.001), "0.001");
        assert_eq!(double_to_string(0.0001), "1.0E-4");
        assert_eq!(double_to_string(1234567.5), "1234567.5");
        assert_eq!(double_to_string(-2.5), "-2.5");
        assert_eq!(double_to_string(0.0), "0.0");
    }

    #[test]
    fn split_around_is_java_split() {
        assert_eq!(split_around("a , b,c", ',', false), ["a", "b", "c"]);
        assert_eq!(split_around("a,,b,", ',', false), ["a", "", "b"]);
        assert_eq!(split_around("a,,b,", ',', true), ["a", "", "b", ""]);
        assert_eq!(split_around(",a", ',', false), ["", "a"]);
        assert_eq!(split_around(",", ',', false), Vec::<String>::new());
        assert_eq!(split_around("", ',', false), [""]);
        assert_eq!(split_around(" x ", ',', false), [" x "]);
        assert_eq!(split_literal("2.8.", '.'), ["2", "8"]);
        assert_eq!(split_literal("", '.'), [""]);
    }

    #[test]
    fn hashtable_order_matches_java_8() {
        // Worked by hand from String.hashCode: "a"=97, "b"=98, "c"=99 land in
        // buckets 9, 10, 0 of 11; keys() walks 10, 9, …, 0.
        assert_eq!(property_names(&["a", "b", "c"]), ["b", "a", "c"]);
        // Duplicates keep one place.
        assert_eq!(property_names(&["a", "b", "a"]), ["b", "a"]);
    }
}
