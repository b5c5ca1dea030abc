//! The one place the page talks to the engine: a playground with one terminal,
//! its virtual time paced by the page's clock (1 ms of wall time = 1 ms of
//! virtual time).

use std::time::Duration;

use shell::{Playground, PlaygroundConfig, TerminalId};
use sim::SimTime;

/// The longest step of virtual time taken in one frame; a tab that slept
/// for an hour catches up over several frames instead of freezing one.
const FRAME_STEP_MAX: Duration = Duration::from_secs(5);

pub struct Bridge {
    playground: Playground,
    terminal: TerminalId,
    /// The terminal's size on the page, for a new shell after `exit`.
    size: (u16, u16),
    /// Wall-clock milliseconds (the page's `performance.now()`) at virtual time `start`.
    wall_start_ms: f64,
    start: SimTime,
}

impl Bridge {
    pub fn new(config: PlaygroundConfig, cols: u16, rows: u16, wall_now_ms: f64) -> Bridge {
        let start = config.start_time;
        let mut playground = Playground::new(config);
        let terminal = playground
            .open_terminal("kafka-1", cols, rows)
            .expect("kafka-1 is one of the playground's hosts");
        Bridge {
            playground,
            terminal,
            size: (cols, rows),
            wall_start_ms: wall_now_ms,
            start,
        }
    }

    /// Keys from the terminal. After the shell has exited, Enter starts a new one.
    pub fn input(&mut self, text: &str) -> String {
        if self.playground.exit_status(self.terminal).is_some() {
            if text.contains('\r') {
                self.playground.close_terminal(self.terminal);
                self.terminal = self
                    .playground
                    .open_terminal("kafka-1", self.size.0, self.size.1)
                    .expect("kafka-1 is one of the playground's hosts");
            }
        } else {
            self.playground.input(self.terminal, text);
        }
        self.output()
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.size = (cols, rows);
        if self.playground.exit_status(self.terminal).is_none() {
            self.playground.resize(self.terminal, cols, rows);
        }
    }

    /// Moves virtual time up to the wall clock and returns what the terminal shows since.
    pub fn tick(&mut self, wall_now_ms: f64) -> String {
        let elapsed =
            Duration::from_secs_f64(((wall_now_ms - self.wall_start_ms) / 1000.0).max(0.0));
        let target = self.start + elapsed;
        let now = self.playground.now();
        let step_end = if target > now + FRAME_STEP_MAX {
            now + FRAME_STEP_MAX
        } else {
            target
        };
        if step_end > now {
            self.playground.advance_to(step_end);
        }
        self.output()
    }

    fn output(&mut self) -> String {
        let mut out = self.playground.take_output(self.terminal);
        if self.playground.exit_status(self.terminal).is_some() && !out.is_empty() {
            out.push_str(
                "\r\n\x1b[2m[The shell has exited. Press Enter for a new one.]\x1b[0m\r\n",
            );
        }
        out
    }
}
