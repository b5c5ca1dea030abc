//! Job control and time: `jobs`, `fg`, `wait`, `kill`, `sleep`.

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use sim::{ProcessId, Signal};

use super::{Call, Printer};
use crate::exec::job::{JobState, JobTable, LocalFuture, STATUS_TERMINATED};

/// `jobs [-l]`: the job table; finished jobs are dropped once shown.
pub fn jobs(call: &Call, p: &mut Printer) -> i32 {
    let long = call.args.iter().any(|a| a == "-l");
    let mut table = call.session().jobs.borrow_mut();
    let numbers: Vec<u32> = table.entries().map(|e| e.number).collect();
    for n in numbers {
        let line = table.status_line(n).expect("listed job exists");
        if long {
            let pid = table.get(n).expect("exists").pid;
            let (head, tail) = line.split_at(line.find("  ").expect("status line has a gap") + 2);
            p.out(format!("{head}{pid} {tail}\n"));
        } else {
            p.out(format!("{line}\n"));
        }
        if !matches!(
            table.get(n).expect("exists").state,
            JobState::Running | JobState::Stopped
        ) {
            table.remove(n);
        }
    }
    0
}

/// Resolves `%1`, `%+`, `%-`, `%%`, `1` or `%prefix` to a job number.
fn job_number(table: &JobTable, spec: Option<&String>) -> Result<u32, String> {
    let Some(spec) = spec else {
        return table
            .current()
            .ok_or_else(|| "current: no such job".to_owned());
    };
    let body = spec.strip_prefix('%').unwrap_or(spec);
    let found = match body {
        "" | "+" | "%" => table.current(),
        "-" => {
            let mut numbers: Vec<u32> = table.entries().map(|e| e.number).collect();
            numbers.pop();
            numbers.pop().or(table.current())
        }
        n if n.bytes().all(|b| b.is_ascii_digit()) => {
            n.parse().ok().filter(|n| table.get(*n).is_some())
        }
        prefix => table
            .entries()
            .find(|e| e.text.starts_with(prefix))
            .map(|e| e.number),
    };
    found.ok_or_else(|| format!("{spec}: no such job"))
}

/// `fg [%n]`: brings a job to the foreground and waits for it.
pub fn fg(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let spec = call.args.get(1);
        let picked = job_number(&call.session().jobs.borrow(), spec);
        let number = match picked {
            Ok(n) => n,
            Err(message) => {
                call.err(&format!("bash: fg: {message}\n")).await;
                return 1;
            }
        };
        let (text, ctl) = {
            let table = call.session().jobs.borrow();
            let job = table.get(number).expect("resolved job exists");
            (job.text.clone(), job.ctl.clone())
        };
        let _ = call.out(&format!("{text}\n")).await;
        ctl.set_foreground(true);
        call.interp.job.forward_interrupts_to(&ctl);
        let status = wait_for(&call, number).await;
        call.session().jobs.borrow_mut().remove(number);
        status
    })
}

/// Waits until job `number` has ended and returns its exit status.
async fn wait_for(call: &Call, number: u32) -> i32 {
    let target = call
        .session()
        .jobs
        .borrow()
        .get(number)
        .map(|j| j.ctl.clone());
    let _waiting = target.map(|ctl| call.interp.job.await_job(&ctl));
    poll_fn(|_| {
        let table = call.session().jobs.borrow();
        match table.get(number).map(|j| j.state) {
            Some(JobState::Done(status)) => Poll::Ready(status),
            Some(JobState::Signaled(signal)) => Poll::Ready(128 + signal.number()),
            None => Poll::Ready(STATUS_TERMINATED),
            Some(JobState::Running | JobState::Stopped) => Poll::Pending,
        }
    })
    .await
}

/// `wait [%n | pid ...]`: waits for jobs to end; finished jobs leave the table quietly.
pub fn wait(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let mut numbers = Vec::new();
        if call.args.len() == 1 {
            numbers.extend(call.session().jobs.borrow().entries().map(|e| e.number));
        }
        for spec in &call.args[1..] {
            let found = {
                let table = call.session().jobs.borrow();
                if spec.starts_with('%') {
                    job_number(&table, Some(spec)).ok()
                } else {
                    let pid: Option<u32> = spec.parse().ok();
                    table
                        .entries()
                        .find(|e| Some(e.pid) == pid)
                        .map(|e| e.number)
                }
            };
            match found {
                Some(n) => numbers.push(n),
                None if spec.starts_with('%') => {
                    call.err(&format!("bash: wait: {spec}: no such job\n"))
                        .await;
                    return 127;
                }
                None => {
                    call.err(&format!(
                        "bash: wait: pid {spec} is not a child of this shell\n"
                    ))
                    .await;
                    return 127;
                }
            }
        }
        let mut status = 0;
        for n in numbers {
            status = wait_for(&call, n).await;
            call.session().jobs.borrow_mut().remove(n);
        }
        status
    })
}

/// `kill [-s SIGNAL | -n NUM | -SIGNAL] %n | pid ...`: sends a signal to
/// jobs of this shell and to programs of the world on this host. A program
/// decides what a signal does (Java exits with 128 + its number); SIGKILL
/// ends it at once. A job that runs no program ends as bash reports it.
pub fn kill(call: &Call, p: &mut Printer) -> i32 {
    const USAGE: &str = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";
    let mut args = call.args[1..].iter().peekable();
    let mut signal = Signal::Term;
    if let Some(first) = args.peek().filter(|a| a.starts_with('-') && a.len() > 1) {
        let first = first.as_str();
        args.next();
        let spec = match first {
            "-l" => {
                p.out(" 1) SIGHUP\t 2) SIGINT\t 9) SIGKILL\t15) SIGTERM\n");
                return 0;
            }
            "-s" | "-n" => match args.next() {
                Some(spec) => spec.as_str(),
                None => {
                    p.err(format!(
                        "bash: kill: {first}: option requires an argument\n{USAGE}"
                    ));
                    return 2;
                }
            },
            "--" => "TERM",
            other => &other[1..],
        };
        signal = match spec
            .parse::<i32>()
            .ok()
            .map_or_else(|| Signal::from_name(spec), Signal::from_number)
        {
            Some(s) => s,
            None => {
                p.err(format!(
                    "bash: kill: {spec}: invalid signal specification\n"
                ));
                return 1;
            }
        };
    }
    let targets: Vec<&String> = args.collect();
    if targets.is_empty() {
        p.err(format!("bash: {USAGE}"));
        return 2;
    }
    let session = call.session();
    let mut status = 0;
    let mut table = session.jobs.borrow_mut();
    let mut world = session.shared.world.borrow_mut();
    for target in targets {
        let job = if target.starts_with('%') {
            match job_number(&table, Some(target)) {
                Ok(n) => Some(n),
                Err(m) => {
                    p.err(format!("bash: kill: {m}\n"));
                    status = 1;
                    continue;
                }
            }
        } else {
            let Ok(pid) = target.parse::<u32>() else {
                p.err(format!(
                    "bash: kill: {target}: arguments must be process or job IDs\n"
                ));
                status = 1;
                continue;
            };
            match table.entries().find(|e| e.pid == pid) {
                Some(e) => Some(e.number),
                None => {
                    let program = ProcessId {
                        host: session.host.clone(),
                        pid,
                    };
                    if !world.signal(&program, signal) {
                        p.err(format!("bash: kill: ({pid}) - No such process\n"));
                        status = 1;
                    }
                    None
                }
            }
        };
        if let Some(n) = job {
            let entry = table.get_mut(n).expect("resolved job exists");
            let signalled = entry
                .ctl
                .process()
                .is_some_and(|program| world.signal(&program, signal));
            if !signalled {
                entry.kill_requested = Some(signal);
            }
        }
    }
    session.shared.activity.bump();
    status
}

/// `sleep NUMBER[smhd]...`: waits that long in virtual time.
pub fn sleep(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        if call.args.len() < 2 {
            call.err("sleep: missing operand\nTry 'sleep --help' for more information.\n")
                .await;
            return 1;
        }
        let mut total = Duration::ZERO;
        for arg in &call.args[1..] {
            match parse_interval(arg) {
                Some(d) => total += d,
                None => {
                    call.err(&format!(
                        "sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"
                    ))
                    .await;
                    return 1;
                }
            }
        }
        call.session().sleep(&call.interp.job, total).await;
        0
    })
}

/// GNU sleep's intervals: a decimal number with an optional s, m, h or d.
fn parse_interval(arg: &str) -> Option<Duration> {
    let (number, unit) = match arg.char_indices().last()? {
        (i, c @ ('s' | 'm' | 'h' | 'd')) => (&arg[..i], c),
        _ => (arg, 's'),
    };
    let value: f64 = number
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let seconds = value
        * match unit {
            'm' => 60.0,
            'h' => 3_600.0,
            'd' => 86_400.0,
            _ => 1.0,
        };
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gnu_sleep_intervals() {
        assert_eq!(parse_interval("5"), Some(Duration::from_secs(5)));
        assert_eq!(parse_interval("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_interval("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_interval("1d"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_interval("abc"), None);
        assert_eq!(parse_interval("-1"), None);
        assert_eq!(parse_interval(""), None);
    }
}
