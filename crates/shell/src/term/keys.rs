//! Decodes what a terminal sends (characters and escape sequences) into keys.

/// A key press as the shell sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    /// Ctrl-Left or Alt-B
    WordLeft,
    /// Ctrl-Right or Alt-F
    WordRight,
    /// Alt-Backspace
    KillWordBack,
    /// Alt-D
    KillWordForward,
    /// Ctrl plus a letter, lower case (`Ctrl('c')`).
    Ctrl(char),
    Escape,
    /// A sequence the shell ignores; kept to echo it in a running job's input.
    Other(String),
}

impl Key {
    /// The bytes a terminal sends for this key (used to hand typed-ahead keys back).
    pub fn encode(&self) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Enter => "\r".into(),
            Key::Tab => "\t".into(),
            Key::Backspace => "\x7f".into(),
            Key::Delete => "\x1b[3~".into(),
            Key::Left => "\x1b[D".into(),
            Key::Right => "\x1b[C".into(),
            Key::Up => "\x1b[A".into(),
            Key::Down => "\x1b[B".into(),
            Key::Home => "\x1b[H".into(),
            Key::End => "\x1b[F".into(),
            Key::WordLeft => "\x1bb".into(),
            Key::WordRight => "\x1bf".into(),
            Key::KillWordBack => "\x1b\x7f".into(),
            Key::KillWordForward => "\x1bd".into(),
            Key::Ctrl(c) => ((*c as u8 - b'a' + 1) as char).to_string(),
            Key::Escape => "\x1b".into(),
            Key::Other(s) => s.clone(),
        }
    }
}

/// Splits terminal input into keys. Escape sequences arrive whole from xterm.js
/// and from a raw-mode tty, so no state is kept between calls.
pub fn decode(input: &str) -> Vec<Key> {
    let chars: Vec<char> = input.chars().collect();
    let mut keys = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let key = match c {
            '\r' => {
                if chars.get(i) == Some(&'\n') {
                    i += 1;
                }
                Key::Enter
            }
            '\n' => Key::Enter,
            '\t' => Key::Tab,
            '\x7f' | '\x08' => Key::Backspace,
            '\x1b' => {
                let (key, used) = escape(&chars[i..]);
                i += used;
                key
            }
            '\x01'..='\x1a' => Key::Ctrl((c as u8 - 1 + b'a') as char),
            c if c.is_control() => Key::Other(c.to_string()),
            c => Key::Char(c),
        };
        keys.push(key);
    }
    keys
}

/// Decodes the sequence after an ESC; returns the key and how many chars it used.
fn escape(rest: &[char]) -> (Key, usize) {
    match rest.first() {
        None => (Key::Escape, 0),
        Some('[') => {
            let mut j = 1;
            while j < rest.len() && (rest[j].is_ascii_digit() || rest[j] == ';') {
                j += 1;
            }
            let Some(&last) = rest.get(j) else {
                return (
                    Key::Other(format!("\x1b{}", rest.iter().collect::<String>())),
                    rest.len(),
                );
            };
            let params: String = rest[1..j].iter().collect();
            let seq: String = rest[..=j].iter().collect();
            let key = match (params.as_str(), last) {
                ("", 'A') => Key::Up,
                ("", 'B') => Key::Down,
                ("", 'C') => Key::Right,
                ("", 'D') => Key::Left,
                ("", 'H') | ("1", '~') | ("7", '~') => Key::Home,
                ("", 'F') | ("4", '~') | ("8", '~') => Key::End,
                ("3", '~') => Key::Delete,
                ("1;5", 'C') | ("1;3", 'C') => Key::WordRight,
                ("1;5", 'D') | ("1;3", 'D') => Key::WordLeft,
                _ => Key::Other(format!("\x1b{seq}")),
            };
            (key, j + 1)
        }
        Some('O') => match rest.get(1) {
            Some('A') => (Key::Up, 2),
            Some('B') => (Key::Down, 2),
            Some('C') => (Key::Right, 2),
            Some('D') => (Key::Left, 2),
            Some('H') => (Key::Home, 2),
            Some('F') => (Key::End, 2),
            Some(c) => (Key::Other(format!("\x1bO{c}")), 2),
            None => (Key::Other("\x1bO".into()), 1),
        },
        Some('b') => (Key::WordLeft, 1),
        Some('f') => (Key::WordRight, 1),
        Some('d') => (Key::KillWordForward, 1),
        Some('\x7f') | Some('\x08') => (Key::KillWordBack, 1),
        Some(c) => (Key::Other(format!("\x1b{c}")), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_xterm_keys() {
        assert_eq!(
            decode("a\x1b[D\x1b[1;5C\x1bOH\x1b[3~\x01\x7f\r"),
            vec![
                Key::Char('a'),
                Key::Left,
                Key::WordRight,
                Key::Home,
                Key::Delete,
                Key::Ctrl('a'),
                Key::Backspace,
                Key::Enter
            ]
        );
        assert_eq!(decode("\r\n"), vec![Key::Enter]);
        assert_eq!(decode("\x1b"), vec![Key::Escape]);
        assert_eq!(decode("카"), vec![Key::Char('카')]);
    }

    #[test]
    fn encoding_a_key_decodes_to_the_same_key() {
        for key in decode(
            "x\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[3~\x1bb\x1bf\x1b\x7f\x1bd\x03\t\r\x1b[5~",
        ) {
            assert_eq!(decode(&key.encode()), vec![key.clone()], "{key:?}");
        }
    }
}
