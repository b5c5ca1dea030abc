//! The playground: the world, its hosts' file systems and the terminals open on them.
//!
//! Front ends (the web page, `kplay`) hold one [`Playground`] and only pass it
//! keys, sizes and time. Time moves in two ways: paced by a wall clock
//! ([`Playground::advance_to`]), or "settled" for transcripts
//! ([`Playground::settle`]): run until nothing is due soon, so a script of
//! typed lines gives the same screen on every run.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::task::{Context, Waker};
use std::time::Duration;

use sim::{SimTime, World, WorldConfig};

use crate::exec::env::Env;
use crate::exec::io::{Screen, Tty};
use crate::exec::session::{Session, Shared};
use crate::home;
use crate::term::terminal::Terminal;
use crate::vfs::SharedFs;

/// What a playground starts from. Same config and same typed input: same screens.
#[derive(Clone, Debug)]
pub struct PlaygroundConfig {
    pub seed: u64,
    pub start_time: SimTime,
}

impl Default for PlaygroundConfig {
    fn default() -> Self {
        PlaygroundConfig {
            seed: 0,
            start_time: WorldConfig::DEFAULT_START_TIME,
        }
    }
}

/// A handle to an open terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TerminalId(usize);

/// Rounds of polling in one pump before control returns to the front end,
/// so a command that never waits (an endless loop) cannot freeze the page.
const POLL_ROUNDS_MAX: usize = 1_000;

pub struct Playground {
    shared: Rc<Shared>,
    hosts: BTreeMap<String, SharedFs>,
    terminals: Vec<Option<Terminal>>,
}

impl Playground {
    pub fn new(config: PlaygroundConfig) -> Playground {
        let world = World::new(WorldConfig::playground(config.seed, config.start_time));
        let hosts: BTreeMap<String, SharedFs> = world
            .host_names()
            .map(|h| {
                let fs = world.host_fs(h).expect("a host of the world");
                *fs.borrow_mut() = home::install(config.start_time);
                (h.to_owned(), fs)
            })
            .collect();
        Playground {
            shared: Shared::new(world),
            hosts,
            terminals: Vec::new(),
        }
    }

    pub fn now(&self) -> SimTime {
        self.shared.now()
    }

    pub fn host_names(&self) -> Vec<String> {
        self.hosts.keys().cloned().collect()
    }

    /// Opens a terminal logged in as root on `host`, in the book's distribution.
    pub fn open_terminal(
        &mut self,
        host: &str,
        cols: u16,
        rows: u16,
    ) -> Result<TerminalId, String> {
        let fs = self
            .hosts
            .get(host)
            .ok_or_else(|| format!("no host named {host}"))?
            .clone();
        let pid = self.shared.world.borrow_mut().allocate_pid(host);
        let session = Rc::new(Session {
            shared: self.shared.clone(),
            host: host.to_owned(),
            user: "root".to_owned(),
            fs,
            screen: Rc::new(Screen::default()),
            tty: Rc::new(Tty::default()),
            history: Default::default(),
            jobs: Default::default(),
            cols: cols.max(1).into(),
            rows: rows.max(1).into(),
            exit_request: Default::default(),
            shell_pid: pid,
            last_background_pid: Default::default(),
        });
        let env = Env::login("root", host, home::HOME, &home::start_dir());
        self.terminals.push(Some(Terminal::new(session, env)));
        Ok(TerminalId(self.terminals.len() - 1))
    }

    pub fn close_terminal(&mut self, id: TerminalId) {
        if let Some(slot) = self.terminals.get_mut(id.0) {
            *slot = None;
        }
    }

    fn terminal(&mut self, id: TerminalId) -> &mut Terminal {
        self.terminals
            .get_mut(id.0)
            .and_then(Option::as_mut)
            .expect("a terminal id from open_terminal that was not closed")
    }

    /// Keys typed or pasted into a terminal; commands they start run at once.
    pub fn input(&mut self, id: TerminalId, text: &str) {
        self.terminal(id).input(text);
        self.run_ready();
    }

    pub fn resize(&mut self, id: TerminalId, cols: u16, rows: u16) {
        self.terminal(id).resize(cols, rows);
    }

    /// What the terminal shows since the last call: text with ANSI escape sequences.
    pub fn take_output(&mut self, id: TerminalId) -> String {
        self.terminal(id).take_output()
    }

    /// The shell's exit status once it has ended (`exit`, Ctrl-D).
    pub fn exit_status(&mut self, id: TerminalId) -> Option<i32> {
        self.terminal(id).exited()
    }

    /// Runs the world up to virtual time `t`, firing every timer due on the way.
    pub fn advance_to(&mut self, t: SimTime) {
        self.run_ready();
        loop {
            let step = self.shared.world.borrow_mut().step_until(t);
            if step.is_none() {
                break;
            }
            self.shared.activity.bump();
            self.run_ready();
        }
        self.shared.world.borrow_mut().advance_clock_to(t);
        self.run_ready();
    }

    /// Runs until no one-shot event is due within `quiet` of virtual time
    /// (periodic timers never count), while a foreground `sleep` always runs
    /// to its end: what kplay does before it reads the next typed line.
    pub fn settle(&mut self, quiet: Duration) {
        self.run_ready();
        loop {
            let now = self.now();
            let next = self.shared.world.borrow().next_one_shot_at();
            let sleeping = self
                .terminals
                .iter()
                .flatten()
                .any(Terminal::foreground_sleeping);
            match next {
                Some(t) if t <= now + quiet || sleeping => self.advance_to(t),
                _ => break,
            }
        }
    }

    /// Handles typed keys and polls every job until nothing moves.
    fn run_ready(&mut self) {
        loop {
            let mut started = false;
            for t in self.terminals.iter_mut().flatten() {
                started |= t.process_keys();
            }
            let progressed = self.pump();
            if !started && !progressed {
                break;
            }
        }
    }

    /// Polls all jobs of all terminals until a round changes nothing.
    fn pump(&mut self) -> bool {
        let now = self.now();
        for fs in self.hosts.values() {
            fs.borrow_mut().set_now(now);
        }
        let mut cx = Context::from_waker(Waker::noop());
        let mut any = false;
        for _ in 0..POLL_ROUNDS_MAX {
            let before = self.shared.activity.get();
            let mut progressed = false;
            for t in self.terminals.iter_mut().flatten() {
                progressed |= t.poll(&mut cx);
            }
            any |= progressed;
            if !progressed && self.shared.activity.get() == before {
                break;
            }
        }
        any
    }
}
