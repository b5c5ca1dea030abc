//! The transcript contract shared by `kplay` and the tests: lines are typed one
//! by one into a terminal; before each line the world settles; what the
//! terminal shows comes out as plain text.

use std::time::Duration;

use crate::ansi::PlainText;
use crate::{Playground, PlaygroundConfig, TerminalId};

/// How long the world must be quiet before the next line is typed, by default.
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(100);

/// Columns and rows of a transcript's terminal.
pub const DEFAULT_COLS: u16 = 80;
pub const DEFAULT_ROWS: u16 = 24;

/// A terminal driven by typed lines, its screen rendered as plain text.
pub struct TypedSession {
    pub playground: Playground,
    pub terminal: TerminalId,
    settle: Duration,
    plain: PlainText,
}

impl TypedSession {
    /// Opens a terminal on `host`; an unknown host is an error naming the hosts there are.
    pub fn new(
        config: PlaygroundConfig,
        host: &str,
        settle: Duration,
        cols: u16,
        rows: u16,
    ) -> Result<TypedSession, String> {
        let mut playground = Playground::new(config);
        let terminal = playground
            .open_terminal(host, cols, rows)
            .map_err(|e| format!("{e} (the hosts are {})", playground.host_names().join(", ")))?;
        let mut session = TypedSession {
            playground,
            terminal,
            settle,
            plain: PlainText::default(),
        };
        session.playground.settle(settle);
        Ok(session)
    }

    /// Types one line: `^C` and `^D` alone send those keys, anything else is
    /// typed followed by Enter. Returns the lines of screen it completed.
    pub fn type_line(&mut self, line: &str) -> String {
        let keys = match line {
            "^C" => "\x03".to_owned(),
            "^D" => "\x04".to_owned(),
            _ => format!("{line}\r"),
        };
        self.playground.input(self.terminal, &keys);
        self.playground.settle(self.settle);
        let output = self.playground.take_output(self.terminal);
        self.plain.feed(&output)
    }

    /// The unfinished last line of the screen (usually the prompt).
    pub fn partial_line(&mut self) -> String {
        let output = self.playground.take_output(self.terminal);
        let done = self.plain.feed(&output);
        format!("{done}{}", self.plain.partial())
    }

    pub fn exit_status(&mut self) -> Option<i32> {
        self.playground.exit_status(self.terminal)
    }
}

/// Runs a whole script of typed lines and returns the screen as plain text.
pub fn run(config: PlaygroundConfig, script: &str) -> String {
    let mut session = TypedSession::new(
        config,
        "kafka-1",
        DEFAULT_SETTLE,
        DEFAULT_COLS,
        DEFAULT_ROWS,
    )
    .expect("kafka-1 is one of the playground's hosts");
    let mut screen = String::new();
    for line in script.lines() {
        screen.push_str(&session.type_line(line));
        if session.exit_status().is_some() {
            break;
        }
    }
    screen.push_str(&session.partial_line());
    screen
}
