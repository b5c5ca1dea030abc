//! The shell's own commands (`ls`, `cd`, `cat`, ...), run inside the shell
//! process as bash runs its builtins. Each module holds a family of commands.

mod fileops;
mod files;
mod filters;
mod jobs;
mod ls;
mod net;
mod options;
mod procs;
mod test;
mod text;

use std::rc::Rc;

use crate::exec::interp::Interp;
use crate::exec::io::{BrokenPipe, Stdio};
use crate::exec::job::{LocalFuture, STATUS_BROKEN_PIPE};
use crate::exec::session::Session;

/// One invocation of a command: its arguments (`args[0]` is its name) and streams.
pub struct Call {
    pub interp: Interp,
    pub args: Vec<String>,
    pub io: Stdio,
}

impl Call {
    pub fn session(&self) -> &Rc<Session> {
        &self.interp.session
    }

    pub async fn out(&self, text: &str) -> Result<(), BrokenPipe> {
        self.io.stdout.write_all(text.as_bytes()).await
    }

    pub async fn err(&self, text: &str) {
        let _ = self.io.stderr.write_all(text.as_bytes()).await;
    }

    /// Whether standard output is the terminal (`ls` then uses columns and colours).
    pub fn stdout_is_terminal(&self) -> bool {
        matches!(self.io.stdout, crate::exec::io::Output::Terminal(_))
    }
}

/// What a builtin that needs no waiting writes, in order, to stdout and stderr.
#[derive(Default)]
pub struct Printer {
    chunks: Vec<(bool, String)>,
}

impl Printer {
    pub fn out(&mut self, text: impl Into<String>) {
        self.chunks.push((false, text.into()));
    }

    pub fn err(&mut self, text: impl Into<String>) {
        self.chunks.push((true, text.into()));
    }

    async fn flush(self, io: &Stdio) -> Result<(), BrokenPipe> {
        for (is_err, text) in self.chunks {
            if is_err {
                let _ = io.stderr.write_all(text.as_bytes()).await;
            } else {
                io.stdout.write_all(text.as_bytes()).await?;
            }
        }
        Ok(())
    }
}

/// A builtin either answers at once or runs as a future (it waits for input or time).
#[derive(Clone, Copy)]
pub enum Builtin {
    Sync(fn(&Call, &mut Printer) -> i32),
    Async(fn(Call) -> LocalFuture<i32>),
}

/// Every builtin, by name, in the order `help` lists them.
const BUILTINS: &[(&str, Builtin)] = &[
    (":", Builtin::Sync(text::colon)),
    ("[", Builtin::Sync(test::test)),
    ("cat", Builtin::Async(files::cat)),
    ("cd", Builtin::Sync(files::cd)),
    ("chmod", Builtin::Sync(fileops::chmod)),
    ("clear", Builtin::Sync(text::clear)),
    ("cp", Builtin::Sync(fileops::cp)),
    ("date", Builtin::Sync(text::date)),
    ("echo", Builtin::Sync(text::echo)),
    ("env", Builtin::Sync(text::env)),
    ("export", Builtin::Sync(text::export)),
    ("false", Builtin::Sync(text::false_)),
    ("fg", Builtin::Async(jobs::fg)),
    ("grep", Builtin::Async(filters::grep)),
    ("head", Builtin::Async(filters::head)),
    ("help", Builtin::Sync(text::help)),
    ("history", Builtin::Sync(text::history)),
    ("hostname", Builtin::Sync(text::hostname)),
    ("jobs", Builtin::Sync(jobs::jobs)),
    ("jps", Builtin::Sync(procs::jps)),
    ("kill", Builtin::Sync(jobs::kill)),
    ("ls", Builtin::Sync(ls::ls)),
    ("mkdir", Builtin::Sync(fileops::mkdir)),
    ("mv", Builtin::Sync(fileops::mv)),
    ("nc", Builtin::Async(net::nc)),
    ("ps", Builtin::Sync(procs::ps)),
    ("pwd", Builtin::Sync(files::pwd)),
    ("rm", Builtin::Sync(fileops::rm)),
    ("sleep", Builtin::Async(jobs::sleep)),
    ("tail", Builtin::Async(filters::tail)),
    ("telnet", Builtin::Async(net::telnet)),
    ("test", Builtin::Sync(test::test)),
    ("touch", Builtin::Sync(fileops::touch)),
    ("true", Builtin::Sync(text::true_)),
    ("unset", Builtin::Sync(text::unset)),
    ("wait", Builtin::Async(jobs::wait)),
    ("wc", Builtin::Async(filters::wc)),
    ("whoami", Builtin::Sync(text::whoami)),
];

pub fn lookup(name: &str) -> Option<Builtin> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| *n != ":" && *n != "[")
}

/// Runs a builtin; a sync one's output is written after it returns.
pub fn run(builtin: Builtin, call: Call) -> LocalFuture<i32> {
    match builtin {
        Builtin::Async(f) => f(call),
        Builtin::Sync(f) => Box::pin(async move {
            let mut printer = Printer::default();
            let status = f(&call, &mut printer);
            match printer.flush(&call.io).await {
                Ok(()) => status,
                Err(BrokenPipe) => STATUS_BROKEN_PIPE,
            }
        }),
    }
}

/// GNU's answer to an unknown option: `ls: invalid option -- 'z'` and a pointer to --help.
pub fn invalid_option(p: &mut Printer, tool: &str, option: char) {
    p.err(format!(
        "{tool}: invalid option -- '{option}'\nTry '{tool} --help' for more information.\n"
    ));
}

/// GNU's answer to an unknown long option.
pub fn unrecognized_option(p: &mut Printer, tool: &str, option: &str) {
    p.err(format!(
        "{tool}: unrecognized option '{option}'\nTry '{tool} --help' for more information.\n"
    ));
}
