//! Turns what a terminal is sent into the plain text it shows, line by line:
//! escape sequences are removed, carriage returns and backspaces move the
//! cursor within the line. kplay prints transcripts with it.

/// Renders a stream of terminal output as plain lines.
#[derive(Default, Debug)]
pub struct PlainText {
    line: Vec<char>,
    col: usize,
    /// An escape sequence cut in two by the stream.
    pending_escape: String,
}

impl PlainText {
    /// Feeds output; returns the lines it completed, each ending in `\n`.
    pub fn feed(&mut self, text: &str) -> String {
        let mut input: Vec<char> = std::mem::take(&mut self.pending_escape).chars().collect();
        input.extend(text.chars());
        let mut done = String::new();
        let mut i = 0;
        while i < input.len() {
            let c = input[i];
            i += 1;
            match c {
                '\n' => {
                    done.extend(self.line.drain(..));
                    done.push('\n');
                    self.col = 0;
                }
                '\r' => self.col = 0,
                '\x08' => self.col = self.col.saturating_sub(1),
                '\x07' => {}
                '\x1b' => match escape_len(&input[i..]) {
                    Some(len) => {
                        self.apply_escape(&input[i..i + len]);
                        i += len;
                    }
                    None => {
                        self.pending_escape = std::iter::once('\x1b')
                            .chain(input[i..].iter().copied())
                            .collect();
                        break;
                    }
                },
                c => {
                    if self.col < self.line.len() {
                        self.line[self.col] = c;
                    } else {
                        self.line.resize(self.col, ' ');
                        self.line.push(c);
                    }
                    self.col += 1;
                }
            }
        }
        done
    }

    /// The line not yet ended (such as a prompt waiting for input).
    pub fn partial(&self) -> String {
        self.line.iter().collect()
    }

    fn apply_escape(&mut self, seq: &[char]) {
        if seq.first() != Some(&'[') {
            return;
        }
        let params: String = seq[1..seq.len() - 1].iter().collect();
        let n = params.parse::<usize>().unwrap_or(1);
        match seq.last() {
            Some('C') => self.col += n,
            Some('D') => self.col = self.col.saturating_sub(n),
            Some('K') | Some('J') if params.is_empty() || params == "0" => {
                self.line.truncate(self.col)
            }
            _ => {}
        }
    }
}

/// The length of the escape sequence after an ESC, or `None` if it is cut off.
fn escape_len(rest: &[char]) -> Option<usize> {
    match rest.first()? {
        '[' => {
            let end = rest[1..]
                .iter()
                .position(|c| ('\x40'..='\x7e').contains(c))?;
            Some(end + 2)
        }
        ']' => {
            // OSC: ends with BEL or ESC \.
            let mut j = 1;
            while j < rest.len() {
                if rest[j] == '\x07' {
                    return Some(j + 1);
                }
                if rest[j] == '\x1b' && rest.get(j + 1) == Some(&'\\') {
                    return Some(j + 2);
                }
                j += 1;
            }
            None
        }
        _ => Some(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colours_and_applies_carriage_returns() {
        let mut p = PlainText::default();
        let out = p.feed("\x1b[01;32mroot@kafka-1\x1b[00m:~# ls\r\nabc\rX\r\n$ ");
        assert_eq!(out, "root@kafka-1:~# ls\nXbc\n");
        assert_eq!(p.partial(), "$ ");
    }

    #[test]
    fn handles_sequences_split_between_writes_and_erasing() {
        let mut p = PlainText::default();
        assert_eq!(p.feed("ab\x1b["), "");
        assert_eq!(p.feed("1Dc\x1b[K\n"), "ac\n");
        // A tty erases a character with backspace, space, backspace.
        assert_eq!(p.feed("hello\x08 \x08\x08 \x08\n"), "hel  \n");
    }
}
