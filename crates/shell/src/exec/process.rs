//! Running a program of the world (a ZooKeeper server, a console client,
//! `nc`) as a command of the shell: its console output goes to the
//! command's stdout and stderr, the command's input reaches it line by line,
//! Ctrl-C sends it SIGINT (it decides what to do), and its exit status is
//! the command's. A job that is killed takes its process with it (SIGTERM).

use std::future::{poll_fn, Future};
use std::rc::Rc;
use std::task::Poll;

use sim::{Process, ProcessId, Signal, Stdio as WorldStdio};

use crate::builtins::Call;
use crate::exec::io::{read, ReadResult};
use crate::exec::session::Shared;

/// Ends the process if the job goes away before it does.
struct Attached {
    shared: Rc<Shared>,
    pid: ProcessId,
}

impl Drop for Attached {
    fn drop(&mut self) {
        let mut world = self.shared.world.borrow_mut();
        if world.is_running(&self.pid) {
            world.signal(&self.pid, Signal::Term);
        }
        world.reap(&self.pid);
    }
}

/// What woke the command up.
enum Wake {
    Input(ReadResult),
    World,
}

/// Starts `process` on the session's host as this command and waits for it.
/// With `reads_stdin`, the command's input is passed on (a server reads none,
/// so in the background it is not stopped for reading the terminal).
pub async fn run_attached(
    call: &Call,
    argv: Vec<String>,
    process: Box<dyn Process>,
    reads_stdin: bool,
) -> i32 {
    let session = call.session().clone();
    let cwd = call.interp.env().cwd().to_owned();
    let pid = session.shared.world.borrow_mut().spawn(
        &session.host,
        argv,
        &cwd,
        WorldStdio::Capture,
        process,
    );
    let attached = Attached {
        shared: session.shared.clone(),
        pid: pid.clone(),
    };
    call.interp.job.attach_process(pid.clone());
    session.shared.activity.bump();
    let job = call.interp.job.clone();
    let mut interrupted = false;
    let mut input_done = !reads_stdin;
    let mut partial = String::new();
    loop {
        let (out, err) = session.shared.world.borrow_mut().take_output(&pid);
        if !out.is_empty() {
            let _ = call.io.stdout.write_all(out.as_bytes()).await;
        }
        if !err.is_empty() {
            let _ = call.io.stderr.write_all(err.as_bytes()).await;
        }
        let status = session.shared.world.borrow().exit_status(&pid);
        if let Some(status) = status {
            let killed = session.shared.world.borrow().was_killed(&pid);
            job.detach_process(killed);
            drop(attached);
            return status;
        }
        if job.is_interrupted() && !interrupted {
            interrupted = true;
            session.shared.world.borrow_mut().signal(&pid, Signal::Int);
            session.shared.activity.bump();
            continue;
        }
        let wake = poll_fn(|cx| {
            if !input_done {
                let mut reading = std::pin::pin!(read(&call.io.stdin, &job));
                if let Poll::Ready(r) = reading.as_mut().poll(cx) {
                    return Poll::Ready(Wake::Input(r));
                }
            }
            let world = session.shared.world.borrow();
            if world.has_output(&pid) || world.exit_status(&pid).is_some() {
                return Poll::Ready(Wake::World);
            }
            if job.is_interrupted() && !interrupted {
                return Poll::Ready(Wake::World);
            }
            Poll::Pending
        })
        .await;
        if let Wake::Input(result) = wake {
            let mut world = session.shared.world.borrow_mut();
            match result {
                ReadResult::Data(bytes) => {
                    partial.push_str(&String::from_utf8_lossy(&bytes));
                    while let Some(i) = partial.find('\n') {
                        let line: String = partial.drain(..=i).collect();
                        world.write_stdin(&pid, line.trim_end_matches(['\n', '\r']).to_owned());
                    }
                }
                ReadResult::Eof => {
                    if !partial.is_empty() {
                        world.write_stdin(&pid, std::mem::take(&mut partial));
                    }
                    world.close_stdin(&pid);
                    input_done = true;
                }
            }
            session.shared.activity.bump();
        }
    }
}

/// Starts `process` detached from the terminal, its output appended to
/// `log_path` on the host (`nohup ... > file 2>&1 &`); returns its pid.
pub fn spawn_detached(
    call: &Call,
    argv: Vec<String>,
    process: Box<dyn Process>,
    log_path: &str,
) -> ProcessId {
    let session = call.session();
    let cwd = call.interp.env().cwd().to_owned();
    {
        let mut fs = session.fs.borrow_mut();
        let _ = fs.truncate(log_path);
    }
    let pid = session.shared.world.borrow_mut().spawn(
        &session.host,
        argv,
        &cwd,
        WorldStdio::File(log_path.to_owned()),
        process,
    );
    session.shared.activity.bump();
    pid
}
