//! The prompt's line editor, as readline behaves in bash's default (emacs) mode.
//!
//! It keeps the line being typed and the cursor, and writes the escape
//! sequences that keep the screen in step, including lines that wrap past the
//! terminal's width and wide (Korean) characters. Typing at the end of the
//! line writes just the character, so a transcript of typed lines reads as
//! plain text once escape sequences are removed.

use unicode_width::UnicodeWidthChar;

use super::keys::Key;

/// What a key did to the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditorAction {
    None,
    /// Enter: the line as typed.
    Submit(String),
    /// Ctrl-C: the line is abandoned.
    Interrupt,
    /// Ctrl-D on an empty line.
    EndOfInput,
    /// Tab: the shell completes the word before the cursor.
    Complete,
}

#[derive(Debug)]
pub struct LineEditor {
    buf: Vec<char>,
    cursor: usize,
    prompt: String,
    prompt_width: usize,
    cols: usize,
    /// Where the terminal's cursor is: (row from the prompt's first row, column).
    /// A column equal to the width means the terminal waits to wrap on that row.
    phys: (usize, usize),
    /// Where Up/Down are in the history; `None` while editing a new line.
    history_index: Option<usize>,
    /// The new line put aside while browsing the history.
    saved: Vec<char>,
    /// What Ctrl-U/K/W last removed, for Ctrl-Y.
    kill: Vec<char>,
    /// Whether the previous key killed text: consecutive kills add up, as in readline.
    killing: bool,
}

impl LineEditor {
    pub fn new(cols: usize) -> LineEditor {
        LineEditor {
            buf: Vec::new(),
            cursor: 0,
            prompt: String::new(),
            prompt_width: 0,
            cols: cols.max(1),
            phys: (0, 0),
            history_index: None,
            saved: Vec::new(),
            kill: Vec::new(),
            killing: false,
        }
    }

    pub fn set_cols(&mut self, cols: usize) {
        self.cols = cols.max(1);
    }

    pub fn line(&self) -> String {
        self.buf.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Shows a fresh prompt with an empty line.
    pub fn begin(&mut self, prompt: &str, prompt_width: usize, out: &mut String) {
        self.buf.clear();
        self.cursor = 0;
        self.history_index = None;
        self.saved.clear();
        self.prompt = prompt.to_owned();
        self.prompt_width = prompt_width;
        out.push_str(prompt);
        self.phys = self.layout().end;
    }

    pub fn key(&mut self, key: &Key, history: &[String], out: &mut String) -> EditorAction {
        let was_killing = std::mem::replace(&mut self.killing, false);
        match key {
            Key::Char(c) => self.insert(&[*c], out),
            Key::Enter => {
                self.move_to_end(out);
                out.push_str("\r\n");
                return EditorAction::Submit(self.line());
            }
            Key::Tab => return EditorAction::Complete,
            Key::Ctrl('c') => {
                self.move_to_end(out);
                out.push_str("^C\r\n");
                return EditorAction::Interrupt;
            }
            Key::Ctrl('d') if self.buf.is_empty() => return EditorAction::EndOfInput,
            Key::Ctrl('d') | Key::Delete if self.cursor < self.buf.len() => {
                self.buf.remove(self.cursor);
                self.refresh(out);
            }
            Key::Backspace | Key::Ctrl('h') if self.cursor > 0 => {
                self.cursor -= 1;
                self.buf.remove(self.cursor);
                self.refresh(out);
            }
            Key::Left | Key::Ctrl('b') => self.move_to(self.cursor.saturating_sub(1), out),
            Key::Right | Key::Ctrl('f') => self.move_to((self.cursor + 1).min(self.buf.len()), out),
            Key::Home | Key::Ctrl('a') => self.move_to(0, out),
            Key::End | Key::Ctrl('e') => self.move_to(self.buf.len(), out),
            Key::WordLeft => self.move_to(self.word_start_before(self.cursor, is_word_char), out),
            Key::WordRight => self.move_to(self.word_end_after(self.cursor), out),
            Key::Ctrl('u') => self.kill_range(0, self.cursor, was_killing, out),
            Key::Ctrl('k') => self.kill_range(self.cursor, self.buf.len(), was_killing, out),
            Key::Ctrl('w') => {
                let start = self.word_start_before(self.cursor, |c| !c.is_whitespace());
                self.kill_range(start, self.cursor, was_killing, out);
            }
            Key::KillWordBack => {
                let start = self.word_start_before(self.cursor, is_word_char);
                self.kill_range(start, self.cursor, was_killing, out);
            }
            Key::KillWordForward => {
                let end = self.word_end_after(self.cursor);
                self.kill_range(self.cursor, end, was_killing, out);
            }
            Key::Ctrl('y') => {
                let text = self.kill.clone();
                self.insert(&text, out);
            }
            Key::Ctrl('t') => self.transpose(out),
            Key::Ctrl('l') => {
                out.push_str("\x1b[H\x1b[2J");
                out.push_str(&self.prompt);
                self.draw_from_prompt_end(out);
            }
            Key::Up | Key::Ctrl('p') => self.history_step(-1, history, out),
            Key::Down | Key::Ctrl('n') => self.history_step(1, history, out),
            _ => {}
        }
        EditorAction::None
    }

    /// Inserts text at the cursor (typing, yanking, completing, pasting).
    pub fn insert(&mut self, text: &[char], out: &mut String) {
        if text.is_empty() {
            return;
        }
        let text: Vec<char> = text
            .iter()
            .map(|&c| if c == '\t' { ' ' } else { c })
            .collect();
        let at_end = self.cursor == self.buf.len();
        self.buf
            .splice(self.cursor..self.cursor, text.iter().copied());
        self.cursor += text.len();
        if at_end {
            out.extend(text.iter());
            self.phys = self.layout().end;
        } else {
            self.refresh(out);
        }
    }

    /// Prints `text` below the line, then the prompt and the line again (bash's
    /// listing of completions).
    pub fn print_below(&mut self, text: &str, out: &mut String) {
        self.move_to_end(out);
        out.push_str("\r\n");
        out.push_str(&text.replace('\n', "\r\n"));
        out.push_str(&self.prompt);
        self.draw_from_prompt_end(out);
    }

    /// Writes the line after a prompt that was just written at the start of a row.
    fn draw_from_prompt_end(&mut self, out: &mut String) {
        out.extend(self.buf.iter());
        let layout = self.layout();
        self.phys = layout.end;
        self.move_cursor(layout.position(self.cursor), out);
    }

    fn transpose(&mut self, out: &mut String) {
        if self.buf.len() < 2 || self.cursor == 0 {
            return;
        }
        let i = if self.cursor == self.buf.len() {
            self.cursor - 1
        } else {
            self.cursor
        };
        self.buf.swap(i - 1, i);
        self.cursor = i + 1;
        self.refresh(out);
    }

    fn history_step(&mut self, step: i64, history: &[String], out: &mut String) {
        if history.is_empty() {
            return;
        }
        let next = match (self.history_index, step < 0) {
            (None, true) => Some(history.len() - 1),
            (None, false) => return,
            (Some(0), true) => return,
            (Some(i), true) => Some(i - 1),
            (Some(i), false) if i + 1 < history.len() => Some(i + 1),
            (Some(_), false) => None,
        };
        if self.history_index.is_none() {
            self.saved = self.buf.clone();
        }
        self.history_index = next;
        self.buf = match next {
            Some(i) => history[i].replace('\n', "; ").chars().collect(),
            None => std::mem::take(&mut self.saved),
        };
        self.cursor = self.buf.len();
        self.refresh(out);
    }

    fn kill_range(&mut self, start: usize, end: usize, was_killing: bool, out: &mut String) {
        self.killing = true;
        if start >= end {
            return;
        }
        let killed: Vec<char> = self.buf.drain(start..end).collect();
        let backward = end == self.cursor && start < self.cursor;
        if !was_killing {
            self.kill = killed;
        } else if backward {
            self.kill.splice(0..0, killed);
        } else {
            self.kill.extend(killed);
        }
        self.cursor = start;
        self.refresh(out);
    }

    fn word_start_before(&self, from: usize, is_word: fn(char) -> bool) -> usize {
        let mut i = from;
        while i > 0 && !is_word(self.buf[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.buf[i - 1]) {
            i -= 1;
        }
        i
    }

    fn word_end_after(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.buf.len() && !is_word_char(self.buf[i]) {
            i += 1;
        }
        while i < self.buf.len() && is_word_char(self.buf[i]) {
            i += 1;
        }
        i
    }

    fn move_to_end(&mut self, out: &mut String) {
        self.move_to(self.buf.len(), out);
    }

    fn move_to(&mut self, index: usize, out: &mut String) {
        let to = self.layout().position(index);
        self.move_cursor(to, out);
        self.cursor = index;
    }

    /// Redraws the prompt and the line, and puts the cursor where it belongs.
    fn refresh(&mut self, out: &mut String) {
        if self.phys.0 > 0 {
            out.push_str(&format!("\x1b[{}A", self.phys.0));
        }
        out.push_str("\r\x1b[J");
        out.push_str(&self.prompt);
        self.draw_from_prompt_end(out);
    }

    /// Moves the terminal's cursor to a screen position of the line.
    fn move_cursor(&mut self, to: (usize, usize), out: &mut String) {
        let from = self.phys;
        if from == to {
            return;
        }
        if from.0 > to.0 {
            out.push_str(&format!("\x1b[{}A", from.0 - to.0));
        } else if to.0 > from.0 {
            out.push_str(&format!("\x1b[{}B", to.0 - from.0));
        }
        if to.1 == self.cols {
            // The end of a line that fills its last row: start the next row,
            // where the next typed character goes.
            out.push_str("\r\n");
            self.phys = (to.0 + 1, 0);
            return;
        }
        out.push('\r');
        if to.1 > 0 {
            out.push_str(&format!("\x1b[{}C", to.1));
        }
        self.phys = to;
    }

    fn layout(&self) -> Layout {
        Layout::new(self.prompt_width, &self.buf, self.cols)
    }
}

/// Readline's word characters: letters and digits.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Screen positions (row, column) of each character of the line after the prompt.
struct Layout {
    starts: Vec<(usize, usize)>,
    /// Where the cursor stands after the last character. A column equal to the
    /// width means the terminal is waiting to wrap: the cursor is still on that row.
    end: (usize, usize),
}

impl Layout {
    fn new(prompt_width: usize, buf: &[char], cols: usize) -> Layout {
        let mut row = prompt_width / cols;
        let mut col = prompt_width % cols;
        if prompt_width > 0 && col == 0 {
            row -= 1;
            col = cols;
        }
        let mut starts = Vec::with_capacity(buf.len());
        for &c in buf {
            let w = c.width().unwrap_or(0).min(cols);
            if col + w > cols {
                row += 1;
                col = 0;
            }
            starts.push((row, col));
            col += w;
        }
        Layout {
            starts,
            end: (row, col),
        }
    }

    /// The screen position of the cursor standing before character `index`.
    fn position(&self, index: usize) -> (usize, usize) {
        self.starts.get(index).copied().unwrap_or(self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::keys::decode;

    fn type_keys(
        editor: &mut LineEditor,
        input: &str,
        history: &[String],
    ) -> (String, Vec<EditorAction>) {
        let mut out = String::new();
        let actions = decode(input)
            .iter()
            .map(|k| editor.key(k, history, &mut out))
            .collect();
        (out, actions)
    }

    fn editor() -> LineEditor {
        let mut e = LineEditor::new(80);
        let mut out = String::new();
        e.begin("$ ", 2, &mut out);
        e
    }

    #[test]
    fn typing_at_the_end_echoes_plain_text() {
        let mut e = editor();
        let (out, actions) = type_keys(&mut e, "ls bin\r", &[]);
        assert_eq!(out, "ls bin\r\n");
        assert_eq!(actions.last(), Some(&EditorAction::Submit("ls bin".into())));
    }

    #[test]
    fn emacs_editing_keys_change_the_line_as_readline_does() {
        let cases = [
            ("abc\x1b[D\x1b[DX", "aXbc"),
            ("abc\x01X", "Xabc"),
            ("abc\x01\x05X", "abcX"),
            ("hello world\x15", ""),
            ("hello world\x01\x1b[C\x1b[C\x0b", "he"),
            ("echo hello world\x17", "echo hello "),
            ("echo hello world\x17\x17\x19", "echo hello world"),
            ("abc\x1b[H\x1b[3~", "bc"),
            ("abc\x7f\x7f", "a"),
            ("cat foo-bar\x1b\x7f", "cat foo-"),
            ("one two\x1bbX", "one Xtwo"),
        ];
        for (input, expected) in cases {
            let mut e = editor();
            type_keys(&mut e, input, &[]);
            assert_eq!(e.line(), expected, "input {input:?}");
        }
    }

    #[test]
    fn up_and_down_walk_the_history_and_restore_the_new_line() {
        let history = vec!["ls".to_owned(), "pwd".to_owned()];
        let mut e = editor();
        type_keys(&mut e, "ec", &history);
        type_keys(&mut e, "\x1b[A", &history);
        assert_eq!(e.line(), "pwd");
        type_keys(&mut e, "\x1b[A\x1b[A", &history);
        assert_eq!(e.line(), "ls");
        type_keys(&mut e, "\x1b[B", &history);
        assert_eq!(e.line(), "pwd");
        type_keys(&mut e, "\x1b[B", &history);
        assert_eq!(e.line(), "ec");
    }

    #[test]
    fn ctrl_c_and_ctrl_d_end_the_line() {
        let mut e = editor();
        let (out, actions) = type_keys(&mut e, "abc\x03", &[]);
        assert_eq!(out, "abc^C\r\n");
        assert_eq!(actions.last(), Some(&EditorAction::Interrupt));
        let mut e = editor();
        assert_eq!(
            type_keys(&mut e, "\x04", &[]).1,
            vec![EditorAction::EndOfInput]
        );
    }

    #[test]
    fn layout_wraps_at_the_width_and_keeps_wide_characters_whole() {
        let buf: Vec<char> = "abcd".chars().collect();
        let l = Layout::new(2, &buf, 4);
        assert_eq!(l.starts, vec![(0, 2), (0, 3), (1, 0), (1, 1)]);
        assert_eq!(l.end, (1, 2));
        let wide: Vec<char> = "a카".chars().collect();
        let l = Layout::new(2, &wide, 4);
        assert_eq!(l.starts, vec![(0, 2), (1, 0)]);
        let full: Vec<char> = "ab".chars().collect();
        assert_eq!(Layout::new(2, &full, 4).end, (0, 4));
    }

    #[test]
    fn moving_left_on_a_wrapped_line_goes_up_a_row() {
        let mut e = LineEditor::new(10);
        let mut out = String::new();
        e.begin("$ ", 2, &mut out);
        let (out, _) = type_keys(&mut e, "0123456789\x01", &[]);
        // Ten characters after a two-column prompt end on the second row; Home goes up one.
        assert!(out.ends_with("\x1b[1A\r\x1b[2C"), "{out:?}");
    }
}
