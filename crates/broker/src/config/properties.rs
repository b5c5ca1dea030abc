//! `java.util.Properties.load`, as Java 8's `LineReader` and `loadConvert`
//! read a file: natural lines end at `\n`, `\r` or `\r\n`; white space
//! (space, tab, form feed) before a line is skipped; a line whose first
//! other char is `#` or `!` is a comment; a line ending in an odd number of
//! backslashes continues on the next one (whose leading white space is
//! skipped; a comment never continues); the key ends at the first unescaped
//! `=`, `:` or white space, after which white space and at most one `=` or
//! `:` are skipped; escapes are `\t \n \r \f \uXXXX`, and `\x` is `x`
//! otherwise. The value keeps its trailing white space.
//!
//! `Properties.load(InputStream)`, which both releases use, reads the bytes
//! as ISO-8859-1: [`latin1`] turns a UTF-8 file into the chars Java sees.
//!
//! Java 9 rewrote `LineReader`: there, a `#` or `!` that starts the text of a
//! continued line also makes a comment. The playground's JVM is Java 8, so
//! this follows Java 8. Compared with JDK 17's `Properties.load` over random
//! texts without `#` and `!`, the results are the same.

/// The `IllegalArgumentException` a bad `\u` escape throws.
pub const MALFORMED_UNICODE_ESCAPE: &str = "Malformed \\uxxxx encoding.";

/// The chars `Properties.load(InputStream)` reads from the UTF-8 bytes of
/// `text`: one char per byte (ISO-8859-1), so `é` arrives as `Ã©`.
pub fn latin1(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Reads `text` as `Properties.load(Reader)` does and returns each `put`, in
/// file order (a key that comes back replaces the earlier value). A `\u`
/// escape without four hex digits is [`MALFORMED_UNICODE_ESCAPE`].
pub fn load(text: &str) -> Result<Vec<(String, String)>, &'static str> {
    let chars: Vec<char> = text.chars().collect();
    let mut reader = LineReader {
        chars: &chars,
        pos: 0,
    };
    let mut out = Vec::new();
    while let Some(line) = reader.read_line() {
        let (key, value) = split_key_value(&line);
        out.push((convert(key)?, convert(value)?));
    }
    Ok(out)
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{0C}')
}

struct LineReader<'a> {
    chars: &'a [char],
    pos: usize,
}

impl LineReader<'_> {
    /// The next logical line, continuation backslashes removed, or `None` at
    /// the end of the text.
    fn read_line(&mut self) -> Option<Vec<char>> {
        let mut line: Vec<char> = Vec::new();
        let mut skip_white_space = true;
        let mut is_comment = false;
        let mut is_new_line = true;
        let mut appended_line_begin = false;
        let mut preceding_backslash = false;
        let mut skip_lf = false;
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                if line.is_empty() || is_comment {
                    return None;
                }
                if preceding_backslash {
                    line.pop();
                }
                return Some(line);
            };
            self.pos += 1;
            if skip_lf {
                skip_lf = false;
                if c == '\n' {
                    continue;
                }
            }
            if skip_white_space {
                if is_blank(c) || (!appended_line_begin && (c == '\r' || c == '\n')) {
                    continue;
                }
                skip_white_space = false;
                appended_line_begin = false;
            }
            if is_new_line {
                is_new_line = false;
                if c == '#' || c == '!' {
                    is_comment = true;
                    continue;
                }
            }
            if c != '\n' && c != '\r' {
                line.push(c);
                preceding_backslash = c == '\\' && !preceding_backslash;
                continue;
            }
            // The end of a natural line.
            if is_comment || line.is_empty() {
                is_comment = false;
                is_new_line = true;
                skip_white_space = true;
                line.clear();
                continue;
            }
            if self.pos >= self.chars.len() {
                if preceding_backslash {
                    line.pop();
                }
                return Some(line);
            }
            if preceding_backslash {
                line.pop();
                skip_white_space = true;
                appended_line_begin = true;
                preceding_backslash = false;
                skip_lf = c == '\r';
            } else {
                return Some(line);
            }
        }
    }
}

/// Splits a logical line into its raw (still escaped) key and value.
fn split_key_value(line: &[char]) -> (&[char], &[char]) {
    let mut key_len = 0;
    let mut value_start = line.len();
    let mut has_separator = false;
    let mut preceding_backslash = false;
    while key_len < line.len() {
        let c = line[key_len];
        if (c == '=' || c == ':') && !preceding_backslash {
            value_start = key_len + 1;
            has_separator = true;
            break;
        }
        if is_blank(c) && !preceding_backslash {
            value_start = key_len + 1;
            break;
        }
        preceding_backslash = c == '\\' && !preceding_backslash;
        key_len += 1;
    }
    while value_start < line.len() {
        let c = line[value_start];
        if !is_blank(c) {
            if !has_separator && (c == '=' || c == ':') {
                has_separator = true;
            } else {
                break;
            }
        }
        value_start += 1;
    }
    (&line[..key_len], &line[value_start..])
}

/// `loadConvert`: resolves the escapes. UTF-16 surrogates written as `\u`
/// escapes are paired into one char; a lone one becomes U+FFFD (Rust strings
/// cannot hold it).
fn convert(raw: &[char]) -> Result<String, &'static str> {
    let mut units: Vec<u16> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if c != '\\' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        // A lone backslash at the end: the line reader removes a continuation
        // backslash, but Java 8 does not reset its backslash flag after a
        // comment line, so `#…\` followed by a line `\` leaves one; Java 8
        // then reads a stale char of its line buffer, which is not modelled.
        let Some(&e) = raw.get(i) else { break };
        i += 1;
        let unit = match e {
            'u' => {
                let hex = raw.get(i..i + 4).ok_or(MALFORMED_UNICODE_ESCAPE)?;
                i += 4;
                let mut value: u32 = 0;
                for h in hex {
                    value = value * 16 + h.to_digit(16).ok_or(MALFORMED_UNICODE_ESCAPE)?;
                }
                value as u16
            }
            't' => u16::from(b'\t'),
            'r' => u16::from(b'\r'),
            'n' => u16::from(b'\n'),
            'f' => 0x0C,
            other => {
                let mut buf = [0u16; 2];
                units.extend_from_slice(other.encode_utf16(&mut buf));
                continue;
            }
        };
        units.push(unit);
    }
    Ok(String::from_utf16_lossy(&units))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        load(text).unwrap()
    }

    fn kv(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn separators_comments_and_blanks() {
        assert_eq!(
            pairs("# c\n! c\n\n  a=1\nb: 2\nc 3\nd\ne = =x \n"),
            [
                kv("a", "1"),
                kv("b", "2"),
                kv("c", "3"),
                kv("d", ""),
                kv("e", "=x ")
            ]
        );
    }

    #[test]
    fn continuation_lines_and_line_ends() {
        assert_eq!(
            pairs("a=1\\\n   2\r\nb=3\rc=4"),
            [kv("a", "12"), kv("b", "3"), kv("c", "4")]
        );
        // A comment does not continue; a continued line may start with '#'.
        assert_eq!(pairs("# x\\\na=1\\\n#2"), [kv("a", "1#2")]);
        // A trailing backslash at the end of the text is dropped.
        assert_eq!(pairs("a=1\\"), [kv("a", "1")]);
        // An even number of backslashes does not continue.
        assert_eq!(pairs("a=1\\\\\nb=2"), [kv("a", "1\\"), kv("b", "2")]);
    }

    #[test]
    fn escapes() {
        assert_eq!(pairs("a\\=b=c\\td"), [kv("a=b", "c\td")]);
        assert_eq!(pairs("k=\\u0041\\q"), [kv("k", "Aq")]);
        assert_eq!(load("k=\\u00G1"), Err(MALFORMED_UNICODE_ESCAPE));
        assert_eq!(load("k=\\u00"), Err(MALFORMED_UNICODE_ESCAPE));
        assert_eq!(pairs("k=\\uD83D\\uDE00"), [kv("k", "😀")]);
    }

    #[test]
    fn latin1_is_how_java_sees_utf8() {
        assert_eq!(latin1("é"), "Ã©");
    }
}
