//! The line editor's escape sequences, checked on a small terminal emulator:
//! after any keys, the screen shows the prompt and the line wrapped at the
//! terminal's width, and the cursor stands where the editor says it is.

use proptest::prelude::*;
use shell::term::keys::{decode, Key};
use shell::term::line_editor::LineEditor;
use unicode_width::UnicodeWidthChar;

/// Just enough of xterm: printing with deferred wrap, wide characters, CR, LF,
/// cursor moves (which cancel a pending wrap) and erasing to the end of screen.
struct Vt {
    cols: usize,
    rows: Vec<Vec<char>>,
    row: usize,
    col: usize,
    pending_wrap: bool,
}

/// The cell after a wide character.
const WIDE_TAIL: char = '\0';

impl Vt {
    fn new(cols: usize) -> Vt {
        Vt {
            cols,
            rows: vec![vec![' '; cols]],
            row: 0,
            col: 0,
            pending_wrap: false,
        }
    }

    fn ensure_row(&mut self, row: usize) {
        while self.rows.len() <= row {
            self.rows.push(vec![' '; self.cols]);
        }
    }

    fn feed(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            match c {
                '\r' => {
                    self.col = 0;
                    self.pending_wrap = false;
                }
                '\n' => {
                    self.row += 1;
                    self.ensure_row(self.row);
                    self.pending_wrap = false;
                }
                '\x1b' => {
                    assert_eq!(chars.get(i), Some(&'['), "only CSI sequences are used");
                    let mut j = i + 1;
                    while chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    let n: usize = chars[i + 1..j]
                        .iter()
                        .collect::<String>()
                        .parse()
                        .unwrap_or(1);
                    self.csi(chars[j], n);
                    i = j + 1;
                }
                c => self.print(c),
            }
        }
    }

    fn csi(&mut self, op: char, n: usize) {
        self.pending_wrap = false;
        match op {
            'A' => self.row = self.row.saturating_sub(n),
            'B' => {
                self.row += n;
                self.ensure_row(self.row);
            }
            'C' => self.col = (self.col + n).min(self.cols - 1),
            'D' => self.col = self.col.saturating_sub(n),
            'J' => {
                for c in self.col..self.cols {
                    self.rows[self.row][c] = ' ';
                }
                self.rows.truncate(self.row + 1);
            }
            other => panic!("unexpected CSI {other}"),
        }
    }

    fn print(&mut self, c: char) {
        let w = c.width().unwrap_or(0);
        if self.pending_wrap || self.col + w > self.cols {
            self.row += 1;
            self.col = 0;
            self.ensure_row(self.row);
        }
        self.pending_wrap = false;
        self.rows[self.row][self.col] = c;
        if w == 2 {
            self.rows[self.row][self.col + 1] = WIDE_TAIL;
        }
        self.col += w;
        if self.col == self.cols {
            self.col = self.cols - 1;
            self.pending_wrap = true;
        }
    }

    fn text(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| {
                r.iter()
                    .filter(|c| **c != WIDE_TAIL)
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }
}

/// Where the prompt and line should be: rows of text and the cursor's cell.
fn expected_screen(
    prompt: &str,
    line: &[char],
    cursor: usize,
    cols: usize,
) -> (Vec<String>, (usize, usize)) {
    let mut rows = vec![String::new()];
    let (mut r, mut c) = (0, 0);
    let mut cursor_at = None;
    let chars: Vec<char> = prompt.chars().chain(line.iter().copied()).collect();
    let prompt_len = prompt.chars().count();
    for (i, ch) in chars.iter().enumerate() {
        let w = ch.width().unwrap_or(0);
        if c + w > cols {
            rows.push(String::new());
            r += 1;
            c = 0;
        }
        if i == prompt_len + cursor {
            cursor_at = Some((r, c));
        }
        rows[r].push(*ch);
        c += w;
    }
    let at_end = cursor_at.unwrap_or(if c == cols { (r + 1, 0) } else { (r, c) });
    let rows = rows.into_iter().map(|s| s.trim_end().to_owned()).collect();
    (rows, at_end)
}

fn key_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z ]",
        1 => Just("카".to_owned()),
        1 => Just("\x1b[D".to_owned()),
        1 => Just("\x1b[C".to_owned()),
        1 => Just("\x1b[H".to_owned()),
        1 => Just("\x1b[F".to_owned()),
        1 => Just("\x7f".to_owned()),
        1 => Just("\x1b[3~".to_owned()),
        1 => Just("\x15".to_owned()),
        1 => Just("\x0b".to_owned()),
        1 => Just("\x17".to_owned()),
        1 => Just("\x19".to_owned()),
        1 => Just("\x14".to_owned()),
        1 => Just("\x1bb".to_owned()),
        1 => Just("\x1bf".to_owned()),
        1 => Just("\x1b[A".to_owned()),
        1 => Just("\x1b[B".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_screen_always_shows_the_prompt_and_line_with_the_cursor_in_place(
        keys in prop::collection::vec(key_strategy(), 0..60),
        cols in 4usize..24,
        prompt in "[$#>] ?",
    ) {
        let history = vec!["echo from history".to_owned(), "카프카 ls".to_owned()];
        let mut editor = LineEditor::new(cols);
        let mut vt = Vt::new(cols);
        let mut out = String::new();
        editor.begin(&prompt, prompt.chars().count(), &mut out);
        vt.feed(&out);
        for key in keys.iter().flat_map(|k| decode(k)) {
            prop_assume!(key != Key::Enter);
            let mut out = String::new();
            editor.key(&key, &history, &mut out);
            vt.feed(&out);
        }
        let line: Vec<char> = editor.line().chars().collect();
        let (rows, cursor) = expected_screen(&prompt, &line, editor.cursor(), cols);
        let mut shown = vt.text();
        while shown.len() > rows.len() && shown.last().is_some_and(String::is_empty) {
            shown.pop();
        }
        prop_assert_eq!(&shown, &rows, "line {:?} cursor {}", editor.line(), editor.cursor());
        let vt_cursor = if vt.pending_wrap { (vt.row + 1, 0) } else { (vt.row, vt.col) };
        prop_assert_eq!(vt_cursor, cursor, "line {:?} cursor {}", editor.line(), editor.cursor());
    }
}
