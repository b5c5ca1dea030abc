//! The interpreter: walks a [`Script`] the way bash runs it.
//!
//! Everything is `async`: a command that waits (for a pipe, for typed input,
//! for virtual time) simply returns `Pending`, and the terminal's executor
//! polls it again later. Pipelines run their commands side by side in
//! subshells; a single command runs in the shell itself, so `cd` and
//! `export` stick.

use std::cell::{Ref, RefCell, RefMut};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;

use crate::exec::env::Env;
use crate::exec::expand::ExpandError;
use crate::exec::io::{pipe, Input, Output, Stdio};
use crate::exec::job::{join_all, JobCtl, LocalFuture, STATUS_INTERRUPTED};
use crate::exec::session::Session;
use crate::syntax::{AndOr, Command, Compound, Connector, Item, Pipeline, Script, SimpleCommand};

/// How a list of commands ended, beyond its exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Normal,
    Break(u32),
    Continue(u32),
    Exit(i32),
}

/// A shell (or subshell) running in a job.
#[derive(Clone)]
pub struct Interp {
    pub session: Rc<Session>,
    pub env: Rc<RefCell<Env>>,
    pub job: Rc<JobCtl>,
    /// The terminal's own shell: `exit` ends the session and `&` prints `[1] 1234`.
    pub is_main: bool,
    /// How many `for`/`while` loops enclose the running command.
    loop_depth: u32,
}

/// Iterations a loop runs before letting other tasks run.
const LOOP_ITERATIONS_PER_YIELD: u32 = 64;

impl Interp {
    pub fn new(session: Rc<Session>, env: Rc<RefCell<Env>>, job: Rc<JobCtl>) -> Interp {
        Interp {
            session,
            env,
            job,
            is_main: true,
            loop_depth: 0,
        }
    }

    pub fn env(&self) -> Ref<'_, Env> {
        self.env.borrow()
    }

    pub fn env_mut(&self) -> RefMut<'_, Env> {
        self.env.borrow_mut()
    }

    pub fn status(&self) -> i32 {
        self.env.borrow().last_status
    }

    pub fn set_status(&self, status: i32) {
        self.env.borrow_mut().last_status = status;
    }

    /// A copy of this shell for a subshell; it runs in the same job.
    pub fn subshell(&self) -> Interp {
        Interp {
            session: self.session.clone(),
            env: Rc::new(RefCell::new(self.env.borrow().clone())),
            job: self.job.clone(),
            is_main: false,
            loop_depth: 0,
        }
    }

    /// Runs a list; `exit` in the main shell asks the terminal to close.
    pub fn run_script(&self, script: Script, io: Stdio) -> LocalFuture<Flow> {
        let this = self.clone();
        Box::pin(async move {
            for item in script.items {
                if this.job.is_interrupted() {
                    this.set_status(STATUS_INTERRUPTED);
                    return Flow::Normal;
                }
                if item.background {
                    this.spawn_background(item, &io).await;
                    continue;
                }
                let flow = this.run_and_or(item.and_or, io.clone()).await;
                if flow != Flow::Normal {
                    return flow;
                }
            }
            Flow::Normal
        })
    }

    /// `command &`: a new job in a copy of this shell.
    async fn spawn_background(&self, item: Item, io: &Stdio) {
        let ctl = JobCtl::new(false);
        let mut child = self.subshell();
        child.job = ctl.clone();
        let child_io = io.clone();
        let and_or = item.and_or;
        let fut: LocalFuture<i32> = Box::pin(async move {
            match child.run_and_or(and_or, child_io).await {
                Flow::Exit(code) => code,
                _ => child.status(),
            }
        });
        let pid = self.session.allocate_pid();
        let number = self.session.jobs.borrow_mut().add(pid, item.text, ctl, fut);
        self.session.shared.activity.bump();
        self.session.last_background_pid.set(Some(pid));
        if self.is_main {
            let _ = io
                .stderr
                .write_all(format!("[{number}] {pid}\n").as_bytes())
                .await;
        }
        self.set_status(0);
    }

    fn run_and_or(&self, and_or: AndOr, io: Stdio) -> LocalFuture<Flow> {
        let this = self.clone();
        Box::pin(async move {
            let mut flow = this.run_pipeline(and_or.first, io.clone()).await;
            for (connector, pipeline) in and_or.rest {
                if flow != Flow::Normal || this.job.is_interrupted() {
                    break;
                }
                let ok = this.status() == 0;
                if (connector == Connector::And) != ok {
                    continue;
                }
                flow = this.run_pipeline(pipeline, io.clone()).await;
            }
            flow
        })
    }

    async fn run_pipeline(&self, pipeline: Pipeline, io: Stdio) -> Flow {
        let mut flow = Flow::Normal;
        if pipeline.commands.len() == 1 {
            let command = pipeline.commands.into_iter().next().expect("one command");
            flow = self.run_command(command, io).await;
        } else {
            let count = pipeline.commands.len();
            let mut futures: Vec<LocalFuture<i32>> = Vec::with_capacity(count);
            let mut stdin = io.stdin.clone();
            for (i, command) in pipeline.commands.into_iter().enumerate() {
                let (stdout, next_stdin) = if i + 1 == count {
                    (io.stdout.clone(), None)
                } else {
                    let (r, w) = pipe(self.session.shared.activity.clone());
                    (Output::Pipe(w), Some(Input::Pipe(Rc::new(r))))
                };
                let child_io = Stdio {
                    stdin,
                    stdout,
                    stderr: io.stderr.clone(),
                };
                let sub = self.subshell();
                futures.push(Box::pin(async move {
                    match sub.run_command(command, child_io).await {
                        Flow::Exit(code) => code,
                        _ => sub.status(),
                    }
                }));
                stdin = next_stdin.unwrap_or(Input::Null);
            }
            drop(stdin);
            let statuses = join_all(futures).await;
            self.set_status(*statuses.last().expect("a pipeline has commands"));
        }
        if pipeline.negate && flow == Flow::Normal {
            let status = self.status();
            self.set_status(if status == 0 { 1 } else { 0 });
        }
        flow
    }

    fn run_command(&self, command: Command, io: Stdio) -> LocalFuture<Flow> {
        let this = self.clone();
        Box::pin(async move {
            match command {
                Command::Simple(simple) => this.run_simple(simple, io).await,
                Command::Compound(compound, redirects) => {
                    let io = match this.apply_redirects(&redirects, &io).await {
                        Ok(io) => io,
                        Err(message) => {
                            this.report(&io, &message).await;
                            this.set_status(1);
                            return Flow::Normal;
                        }
                    };
                    this.run_compound(compound, io).await
                }
            }
        })
    }

    async fn run_compound(&self, compound: Compound, io: Stdio) -> Flow {
        match compound {
            Compound::Brace(body) => self.run_script(body, io).await,
            Compound::Subshell(body) => {
                let sub = self.subshell();
                let status = match sub.run_script(body, io).await {
                    Flow::Exit(code) => code,
                    _ => sub.status(),
                };
                self.set_status(status);
                Flow::Normal
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                for (condition, body) in branches {
                    let flow = self.run_script(condition, io.clone()).await;
                    if flow != Flow::Normal {
                        return flow;
                    }
                    if self.status() == 0 {
                        return self.run_script(body, io).await;
                    }
                }
                match otherwise {
                    Some(body) => self.run_script(body, io).await,
                    None => {
                        self.set_status(0);
                        Flow::Normal
                    }
                }
            }
            Compound::While {
                until,
                condition,
                body,
            } => {
                let inner = self.in_loop();
                let mut body_status = 0;
                let mut iterations = 0u32;
                loop {
                    iterations += 1;
                    if iterations % LOOP_ITERATIONS_PER_YIELD == 0 {
                        self.yield_now().await;
                    }
                    if self.job.is_interrupted() {
                        return Flow::Normal;
                    }
                    let flow = inner.run_script(condition.clone(), io.clone()).await;
                    if flow != Flow::Normal {
                        return flow;
                    }
                    if (self.status() == 0) == until {
                        break;
                    }
                    match self.loop_flow(inner.run_script(body.clone(), io.clone()).await) {
                        LoopStep::Next => body_status = self.status(),
                        LoopStep::Stop => break,
                        LoopStep::Leave(flow) => return flow,
                    }
                }
                self.set_status(body_status);
                Flow::Normal
            }
            Compound::For { name, words, body } => {
                let values = match words {
                    Some(words) => match self.expand_words(&words, &io).await {
                        Ok(v) => v,
                        Err(e) => {
                            self.report_expand_error(&io, e).await;
                            return Flow::Normal;
                        }
                    },
                    None => self.env().positional.clone(),
                };
                let inner = self.in_loop();
                self.set_status(0);
                for (i, value) in values.into_iter().enumerate() {
                    if (i as u32 + 1) % LOOP_ITERATIONS_PER_YIELD == 0 {
                        self.yield_now().await;
                    }
                    if self.job.is_interrupted() {
                        return Flow::Normal;
                    }
                    self.env_mut().set(&name, value);
                    match self.loop_flow(inner.run_script(body.clone(), io.clone()).await) {
                        LoopStep::Next => {}
                        LoopStep::Stop => break,
                        LoopStep::Leave(flow) => return flow,
                    }
                }
                Flow::Normal
            }
        }
    }

    fn in_loop(&self) -> Interp {
        let mut inner = self.clone();
        inner.loop_depth += 1;
        inner
    }

    fn loop_flow(&self, flow: Flow) -> LoopStep {
        match flow {
            Flow::Normal | Flow::Continue(1) => LoopStep::Next,
            Flow::Break(1) => LoopStep::Stop,
            Flow::Break(n) => LoopStep::Leave(Flow::Break(n - 1)),
            Flow::Continue(n) => LoopStep::Leave(Flow::Continue(n - 1)),
            Flow::Exit(_) => LoopStep::Leave(flow),
        }
    }

    /// Lets the other tasks run once (a long loop must not hold the page).
    async fn yield_now(&self) {
        let mut yielded = false;
        let activity = self.session.shared.activity.clone();
        poll_fn(move |_| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                activity.bump();
                Poll::Pending
            }
        })
        .await;
    }

    async fn run_simple(&self, cmd: SimpleCommand, io: Stdio) -> Flow {
        let words = match self.expand_words(&cmd.words, &io).await {
            Ok(w) => w,
            Err(e) => {
                self.report_expand_error(&io, e).await;
                return Flow::Normal;
            }
        };
        let io = match self.apply_redirects(&cmd.redirects, &io).await {
            Ok(io) => io,
            Err(message) => {
                self.report(&io, &message).await;
                self.set_status(1);
                return Flow::Normal;
            }
        };
        let mut values = Vec::with_capacity(cmd.assignments.len());
        for a in &cmd.assignments {
            match self.expand_word_single(&a.value, &io).await {
                Ok(v) => values.push((a.name.clone(), v)),
                Err(e) => {
                    self.report_expand_error(&io, e).await;
                    return Flow::Normal;
                }
            }
        }
        if words.is_empty() {
            let status = self.status();
            let mut env = self.env_mut();
            for (name, value) in values {
                env.set(&name, value);
            }
            // `$?` after `x=$(cmd)` is the substitution's status; plain assignments give 0.
            let had_substitution = cmd
                .assignments
                .iter()
                .any(|a| a.value.has_command_substitution());
            env.last_status = if had_substitution { status } else { 0 };
            return Flow::Normal;
        }
        if let Some(flow) = self.special_builtin(&words, &io).await {
            return flow;
        }
        let runner = if values.is_empty() {
            self.clone()
        } else {
            let sub = self.subshell();
            for (name, value) in values {
                sub.env_mut().export(&name, Some(value));
            }
            sub
        };
        let status = runner.run_words(words, io).await;
        self.set_status(status);
        Flow::Normal
    }

    /// `exit`, `break` and `continue` change the flow of the shell itself.
    async fn special_builtin(&self, words: &[String], io: &Stdio) -> Option<Flow> {
        let name = words[0].as_str();
        if !matches!(name, "exit" | "break" | "continue") {
            return None;
        }
        let arg = words.get(1);
        if name == "exit" {
            if self.is_main {
                let _ = io.stderr.write_all(b"exit\n").await;
            }
            if words.len() > 2 {
                self.report(io, "exit: too many arguments").await;
                self.set_status(1);
                return Some(Flow::Normal);
            }
            let code = match arg {
                None => self.status(),
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => n.rem_euclid(256) as i32,
                    Err(_) => {
                        self.report(io, &format!("exit: {a}: numeric argument required"))
                            .await;
                        2
                    }
                },
            };
            if self.is_main {
                self.session.exit_request.set(Some(code));
            }
            return Some(Flow::Exit(code));
        }
        if self.loop_depth == 0 {
            self.report(
                io,
                &format!("{name}: only meaningful in a `for', `while', or `until' loop"),
            )
            .await;
            self.set_status(0);
            return Some(Flow::Normal);
        }
        let n = match arg.map(|a| a.parse::<u32>()) {
            None => 1,
            Some(Ok(n)) if n >= 1 => n,
            Some(_) => {
                self.report(
                    io,
                    &format!("{name}: {}: loop count out of range", arg.expect("some")),
                )
                .await;
                self.set_status(1);
                return Some(Flow::Normal);
            }
        };
        self.set_status(0);
        let n = n.min(self.loop_depth);
        Some(if name == "break" {
            Flow::Break(n)
        } else {
            Flow::Continue(n)
        })
    }

    /// Writes `bash: message` to the command's standard error.
    pub async fn report(&self, io: &Stdio, message: &str) {
        let _ = io
            .stderr
            .write_all(format!("bash: {message}\n").as_bytes())
            .await;
    }

    async fn report_expand_error(&self, io: &Stdio, error: ExpandError) {
        self.report(io, &error.message()).await;
        self.set_status(1);
    }
}

enum LoopStep {
    Next,
    Stop,
    Leave(Flow),
}
