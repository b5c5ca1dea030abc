//! One terminal: a bash session behind a screen and a keyboard.
//!
//! Keys go to the line editor while the prompt is shown, and to the running
//! job's input (a tty in canonical mode: echoed, delivered line by line)
//! while a command runs. What a command does not read goes back to the
//! prompt when it ends, as with a real tty and readline.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::task::{Context, Poll};

use sim::Signal;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::completion;
use super::keys::{decode, Key};
use super::line_editor::{EditorAction, LineEditor};
use crate::exec::env::Env;
use crate::exec::interp::{Flow, Interp};
use crate::exec::io::{Input, Output, Stdio, TtyChunk};
use crate::exec::job::{JobCtl, JobState, LocalFuture, STATUS_INTERRUPTED};
use crate::exec::session::Session;
use crate::syntax::{parse, ParseError, Unterminated};

/// The command line running in the foreground.
struct Foreground {
    ctl: Rc<JobCtl>,
    fut: LocalFuture<Flow>,
}

/// A command typed over several lines (bash's `> ` prompt).
struct Continuation {
    source: String,
    history: String,
    waiting_for: Unterminated,
}

pub struct Terminal {
    session: Rc<Session>,
    env: Rc<RefCell<Env>>,
    editor: LineEditor,
    keys: VecDeque<Key>,
    continuation: Option<Continuation>,
    foreground: Option<Foreground>,
    background: BTreeMap<u32, LocalFuture<i32>>,
    /// The line being typed into a running command (canonical mode).
    cooked: Vec<char>,
    /// Jobs whose end (or stop) bash reports before the next prompt.
    notices: Vec<u32>,
    exited: Option<i32>,
    last_key_was_tab: bool,
}

impl Terminal {
    /// A new session; it shows its first prompt at once.
    pub fn new(session: Rc<Session>, env: Env) -> Terminal {
        let cols = usize::from(session.cols.get());
        let mut t = Terminal {
            session,
            env: Rc::new(RefCell::new(env)),
            editor: LineEditor::new(cols),
            keys: VecDeque::new(),
            continuation: None,
            foreground: None,
            background: BTreeMap::new(),
            cooked: Vec::new(),
            notices: Vec::new(),
            exited: None,
            last_key_was_tab: false,
        };
        t.prompt();
        t
    }

    /// Keys typed or pasted; they are handled by [`Terminal::process_keys`].
    pub fn input(&mut self, text: &str) {
        self.keys.extend(decode(text));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.session.cols.set(cols.max(1));
        self.session.rows.set(rows.max(1));
        self.editor.set_cols(usize::from(cols.max(1)));
    }

    pub fn take_output(&self) -> String {
        self.session.screen.take()
    }

    /// The exit status once the shell has ended (`exit`, Ctrl-D).
    pub fn exited(&self) -> Option<i32> {
        self.exited
    }

    /// Whether the foreground command is in a `sleep` (it holds kplay's next line).
    pub fn foreground_sleeping(&self) -> bool {
        self.foreground
            .as_ref()
            .is_some_and(|f| f.ctl.waits_on_time())
    }

    /// Handles queued keys; stops after starting a command so it can run first.
    /// Returns whether a command was started.
    pub fn process_keys(&mut self) -> bool {
        while let Some(key) = self.keys.pop_front() {
            if self.exited.is_some() {
                self.keys.clear();
                return false;
            }
            if self.foreground.is_some() {
                self.cooked_key(key);
                continue;
            }
            let mut out = String::new();
            let action = {
                let history = self.session.history.borrow();
                self.editor.key(&key, &history, &mut out)
            };
            self.session.screen.write_str(&out);
            let was_tab = std::mem::replace(&mut self.last_key_was_tab, key == Key::Tab);
            match action {
                EditorAction::None => {}
                EditorAction::Submit(line) => {
                    if self.accept_line(line) {
                        return true;
                    }
                }
                EditorAction::Interrupt => {
                    self.continuation = None;
                    self.env.borrow_mut().last_status = STATUS_INTERRUPTED;
                    self.prompt();
                }
                EditorAction::EndOfInput => match self.continuation.take() {
                    Some(c) => {
                        let message = format!("bash: {}\r\n", c.waiting_for.eof_message());
                        self.session.screen.write_str(&message);
                        self.add_history(c.history);
                        self.env.borrow_mut().last_status = 2;
                        self.prompt();
                    }
                    None => {
                        self.session.screen.write_str("exit\r\n");
                        self.exited = Some(self.env.borrow().last_status);
                    }
                },
                EditorAction::Complete => self.complete(was_tab),
            }
        }
        false
    }

    /// Runs (polls) the foreground and background jobs once; returns whether anything ended or began.
    pub fn poll(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progressed = false;
        let spawned = self.session.jobs.borrow_mut().take_spawned();
        for (number, fut) in spawned {
            self.background.insert(number, fut);
            progressed = true;
        }
        if let Some(fg) = self.foreground.as_mut() {
            if let Poll::Ready(_flow) = fg.fut.as_mut().poll(cx) {
                let fg = self.foreground.take().expect("polled foreground");
                self.foreground_ended(fg);
                progressed = true;
            }
        }
        let numbers: Vec<u32> = self.background.keys().copied().collect();
        for number in numbers {
            progressed |= self.poll_background(number, cx);
        }
        progressed
    }

    fn poll_background(&mut self, number: u32, cx: &mut Context<'_>) -> bool {
        let (kill, ctl) = {
            let table = self.session.jobs.borrow();
            match table.get(number) {
                Some(job) => (job.kill_requested, job.ctl.clone()),
                None => (Some(Signal::Term), JobCtl::new(false)),
            }
        };
        let result = if let Some(signal) = kill {
            Some(JobState::Signaled(signal))
        } else {
            let fut = self.background.get_mut(&number).expect("listed job");
            match fut.as_mut().poll(cx) {
                Poll::Ready(_) if ctl.was_killed() => Some(JobState::Signaled(Signal::Kill)),
                Poll::Ready(status) => Some(JobState::Done(status)),
                Poll::Pending => None,
            }
        };
        let mut table = self.session.jobs.borrow_mut();
        match result {
            Some(state) => {
                self.background.remove(&number);
                if let Some(job) = table.get_mut(number) {
                    job.state = state;
                    self.notices.push(number);
                }
                true
            }
            None => {
                if let Some(job) = table.get_mut(number) {
                    if ctl.is_stopped() && job.state == JobState::Running {
                        job.state = JobState::Stopped;
                        self.notices.push(number);
                    } else if !ctl.is_stopped() && job.state == JobState::Stopped {
                        job.state = JobState::Running;
                    }
                }
                false
            }
        }
    }

    /// Returns whether the line started a command.
    fn accept_line(&mut self, line: String) -> bool {
        let (source, history) = match self.continuation.take() {
            Some(c) => {
                let history = join_history(&c.history, &line, c.waiting_for);
                (format!("{}\n{line}", c.source), history)
            }
            None => (line.clone(), line),
        };
        match parse(&source) {
            Err(ParseError::Incomplete(waiting_for)) => {
                self.continuation = Some(Continuation {
                    source,
                    history,
                    waiting_for,
                });
                let mut out = String::new();
                self.editor.begin("> ", 2, &mut out);
                self.session.screen.write_str(&out);
                false
            }
            Err(e) => {
                self.add_history(history);
                self.session
                    .screen
                    .write_str(&format!("bash: {}\r\n", e.message()));
                let status = if matches!(e, ParseError::Syntax { .. }) {
                    2
                } else {
                    1
                };
                self.env.borrow_mut().last_status = status;
                self.prompt();
                false
            }
            Ok(script) => {
                self.add_history(history);
                if script.items.is_empty() {
                    self.prompt();
                    return false;
                }
                let ctl = JobCtl::new(true);
                let interp = Interp::new(self.session.clone(), self.env.clone(), ctl.clone());
                let io = Stdio {
                    stdin: Input::Terminal(self.session.tty.clone()),
                    stdout: Output::Terminal(self.session.screen.clone()),
                    stderr: Output::Terminal(self.session.screen.clone()),
                };
                self.foreground = Some(Foreground {
                    ctl,
                    fut: interp.run_script(script, io),
                });
                true
            }
        }
    }

    /// bash's history keeps `ignoreboth`: no lines starting with a space, no repeats.
    fn add_history(&self, line: String) {
        let mut history = self.session.history.borrow_mut();
        if line.trim().is_empty() || line.starts_with(' ') || history.last() == Some(&line) {
            return;
        }
        history.push(line);
    }

    fn foreground_ended(&mut self, fg: Foreground) {
        if let Some(code) = self.session.exit_request.get() {
            self.exited = Some(code);
            self.keys.clear();
            return;
        }
        if fg.ctl.is_interrupted() {
            // bash starts a new line when the command died of Ctrl-C.
            self.session.screen.write_str("\r\n");
            self.env.borrow_mut().last_status = STATUS_INTERRUPTED;
        }
        // What was typed but not read goes back to the prompt, in order.
        let mut unread = String::new();
        for chunk in self.session.tty.take_unread() {
            match chunk {
                TtyChunk::Data(s) => unread.push_str(&s.replace('\n', "\r")),
                TtyChunk::Eof => unread.push('\x04'),
            }
        }
        unread.extend(self.cooked.drain(..));
        for key in decode(&unread).into_iter().rev() {
            self.keys.push_front(key);
        }
        self.prompt();
    }

    /// Input to a running command: echoed and collected into lines, as a tty does.
    fn cooked_key(&mut self, key: Key) {
        let screen = self.session.screen.clone();
        match key {
            Key::Ctrl('c') => {
                screen.write_str("^C");
                self.cooked.clear();
                self.session.tty.take_unread();
                if let Some(fg) = &self.foreground {
                    fg.ctl.interrupt();
                }
            }
            Key::Ctrl('d') => {
                let chunk = if self.cooked.is_empty() {
                    TtyChunk::Eof
                } else {
                    TtyChunk::Data(self.cooked.drain(..).collect())
                };
                self.session.tty.deliver(chunk);
                self.session.shared.activity.bump();
            }
            Key::Enter => {
                screen.write_str("\r\n");
                let mut line: String = self.cooked.drain(..).collect();
                line.push('\n');
                self.session.tty.deliver(TtyChunk::Data(line));
                self.session.shared.activity.bump();
            }
            Key::Backspace => {
                if let Some(c) = self.cooked.pop() {
                    screen.write_str(&"\x08 \x08".repeat(echo_width(c)));
                }
            }
            Key::Ctrl('u') => {
                let width: usize = self.cooked.drain(..).map(echo_width).sum();
                screen.write_str(&"\x08 \x08".repeat(width));
            }
            Key::Ctrl('w') => {
                let mut width = 0;
                while self.cooked.last().is_some_and(|c| c.is_whitespace()) {
                    width += echo_width(self.cooked.pop().expect("checked"));
                }
                while self.cooked.last().is_some_and(|c| !c.is_whitespace()) {
                    width += echo_width(self.cooked.pop().expect("checked"));
                }
                screen.write_str(&"\x08 \x08".repeat(width));
            }
            other => {
                for c in other.encode().chars() {
                    self.cooked.push(c);
                    screen.write_str(&echo_text(c));
                }
            }
        }
    }

    /// Tab: completes a command or file name; a second Tab lists the choices.
    fn complete(&mut self, second_tab: bool) {
        let line = self.editor.line();
        let before: String = line.chars().take(self.editor.cursor()).collect();
        let cwd = self.env.borrow().cwd().to_owned();
        let home = self.env.borrow().home();
        let found = completion::complete(&self.session.fs.borrow(), &cwd, &home, &before);
        let mut out = String::new();
        match found {
            completion::Completion::Insert(text) => {
                let chars: Vec<char> = text.chars().collect();
                self.editor.insert(&chars, &mut out);
            }
            completion::Completion::Choices(choices) if second_tab => {
                let cells: Vec<crate::columns::Cell> = choices
                    .iter()
                    .map(|c| crate::columns::Cell::plain(c))
                    .collect();
                let listing = crate::columns::layout(&cells, usize::from(self.session.cols.get()));
                self.editor.print_below(&listing, &mut out);
            }
            completion::Completion::Choices(_) | completion::Completion::Nothing => {
                out.push('\x07')
            }
        }
        self.session.screen.write_str(&out);
    }

    /// Reports finished jobs, then shows the prompt (PS1).
    fn prompt(&mut self) {
        let notices = std::mem::take(&mut self.notices);
        {
            let mut table = self.session.jobs.borrow_mut();
            for number in notices {
                let Some(line) = table.status_line(number) else {
                    continue;
                };
                self.session.screen.write_str(&format!("{line}\n"));
                if matches!(
                    table.get(number).map(|j| j.state),
                    Some(JobState::Done(_) | JobState::Signaled(_))
                ) {
                    table.remove(number);
                }
            }
        }
        let env = self.env.borrow();
        let user_host = format!("{}@{}", self.session.user, self.session.host);
        let dir = env.cwd_for_prompt();
        let sign = if self.session.user == "root" {
            '#'
        } else {
            '$'
        };
        let text = format!("\x1b[01;32m{user_host}\x1b[00m:\x1b[01;34m{dir}\x1b[00m{sign} ");
        let width = user_host.width() + 1 + dir.width() + 2;
        drop(env);
        let mut out = String::new();
        self.editor.begin(&text, width, &mut out);
        self.session.screen.write_str(&out);
    }
}

/// How a typed character shows in canonical mode's echo (`^C`, `^[`).
fn echo_text(c: char) -> String {
    match c {
        '\t' => "\t".to_owned(),
        c if (c as u32) < 0x20 => format!("^{}", ((c as u8) + b'@') as char),
        '\x7f' => "^?".to_owned(),
        c => c.to_string(),
    }
}

fn echo_width(c: char) -> usize {
    if (c as u32) < 0x20 || c == '\x7f' {
        2
    } else {
        c.width().unwrap_or(0)
    }
}

/// How bash's history joins the lines of one command typed over several lines.
fn join_history(previous: &str, line: &str, waiting_for: Unterminated) -> String {
    if let Some(stripped) = previous.strip_suffix('\\') {
        return format!("{stripped}{line}");
    }
    if matches!(waiting_for, Unterminated::Quote(_)) {
        return format!("{previous}\n{line}");
    }
    let trimmed = previous.trim_end();
    let joins_with_space = ["|", "&&", "||", "(", "{", "then", "do", "else", ";"]
        .iter()
        .any(|end| trimmed.ends_with(end));
    if joins_with_space {
        format!("{previous} {line}")
    } else {
        format!("{previous}; {line}")
    }
}
