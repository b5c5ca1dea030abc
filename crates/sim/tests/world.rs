//! The world as processes see it: timers, connections that keep their order
//! through loss and partitions and fail as TCP fails, processes that start,
//! read their input, write their output and files, and end — and the same
//! seed giving the same trace, byte for byte.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use kafka_log::{FileOp, Storage};
use sim::{
    downcast, ConnId, Context, Event, LinkConfig, NetError, Process, ProcessId, RawBytes, Signal,
    SimTime, Stdio, Step, TimerKind, TimerOwner, World, WorldConfig,
};

fn world(seed: u64) -> World {
    World::new(WorldConfig::playground(
        seed,
        WorldConfig::DEFAULT_START_TIME,
    ))
}

/// Runs the world until nothing is due before `until`.
fn run(w: &mut World, until: SimTime) -> Vec<u64> {
    let mut shell = Vec::new();
    while let Some(step) = w.step_until(until) {
        if let Step::Shell(fired) = step {
            shell.push(fired.owner.0);
        }
    }
    w.advance_clock_to(until);
    shell
}

fn secs(w: &World, s: f64) -> SimTime {
    w.now() + Duration::from_secs_f64(s)
}

/// What a test process saw, in order, with when.
type Log = Rc<RefCell<Vec<(SimTime, String)>>>;

fn note(log: &Log, ctx: &Context<'_>, text: String) {
    log.borrow_mut().push((ctx.now(), text));
}

/// Echoes what it receives; ends on SIGTERM.
struct Echo {
    port: u16,
    log: Log,
}

impl Process for Echo {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => {
                let result = ctx.listen(self.port);
                note(&self.log, ctx, format!("listen {result:?}"));
                if result.is_err() {
                    ctx.stderr("Address already in use\n");
                    ctx.exit(1);
                }
            }
            Event::Accepted { peer, .. } => note(&self.log, ctx, format!("accepted {peer}")),
            Event::Received { conn, message } => {
                let bytes = downcast::<RawBytes>(message).expect("raw bytes");
                ctx.send(conn, Box::new(bytes));
            }
            Event::Closed { error, .. } => note(&self.log, ctx, format!("closed {error:?}")),
            Event::Signal(Signal::Term) => ctx.exit(143),
            _ => {}
        }
    }
}

/// Connects, sends `count` numbered messages a millisecond apart, and notes
/// what comes back.
struct Client {
    target: (&'static str, u16),
    count: u32,
    sent: u32,
    conn: Option<ConnId>,
    log: Log,
}

impl Client {
    fn new(target: (&'static str, u16), count: u32, log: &Log) -> Client {
        Client {
            target,
            count,
            sent: 0,
            conn: None,
            log: log.clone(),
        }
    }
}

impl Process for Client {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => match ctx.connect(self.target.0, self.target.1) {
                Ok(conn) => self.conn = Some(conn),
                Err(e) => {
                    note(&self.log, ctx, format!("error {e}"));
                    ctx.exit(1);
                }
            },
            Event::Connected { .. } => {
                note(&self.log, ctx, "connected".into());
                ctx.set_timer(Duration::ZERO, 0, TimerKind::OneShot);
            }
            Event::Timer(_) => {
                if let Some(conn) = self.conn {
                    ctx.send(conn, Box::new(RawBytes(self.sent.to_string().into_bytes())));
                    self.sent += 1;
                    if self.sent < self.count {
                        ctx.set_timer(Duration::from_millis(1), 0, TimerKind::OneShot);
                    }
                }
            }
            Event::Received { message, .. } => {
                let bytes = downcast::<RawBytes>(message).expect("raw bytes");
                note(&self.log, ctx, String::from_utf8(bytes.0).unwrap());
            }
            Event::ConnectFailed { error, .. } => {
                note(&self.log, ctx, format!("failed {error}"));
                ctx.exit(1);
            }
            Event::Closed { error, .. } => {
                note(&self.log, ctx, format!("closed {error:?}"));
                ctx.exit(0);
            }
            _ => {}
        }
    }
}

fn texts(log: &Log) -> Vec<String> {
    log.borrow().iter().map(|(_, t)| t.clone()).collect()
}

fn numbers(log: &Log) -> Vec<u32> {
    log.borrow()
        .iter()
        .filter_map(|(_, t)| t.parse().ok())
        .collect()
}

fn spawn(w: &mut World, host: &str, process: impl Process + 'static) -> ProcessId {
    w.spawn(
        host,
        vec!["test".into()],
        "/root",
        Stdio::Capture,
        Box::new(process),
    )
}

/// An echo server on `kafka-1:2181`.
fn echo_on_2181(w: &mut World, log: Log) -> ProcessId {
    spawn(w, "kafka-1", Echo { port: 2181, log })
}

/// A lossy, jittery three-host workload driven only by the seed.
fn workload(seed: u64) -> String {
    let mut w = world(seed);
    for (a, b) in [
        ("kafka-1", "kafka-2"),
        ("kafka-2", "kafka-3"),
        ("kafka-1", "kafka-3"),
    ] {
        w.set_link(
            a,
            b,
            LinkConfig {
                latency: Duration::from_micros(300),
                jitter: Duration::from_micros(500),
                loss: 0.2,
            },
        );
    }
    let log: Log = Log::default();
    echo_on_2181(&mut w, log.clone());
    for host in ["kafka-2", "kafka-3"] {
        spawn(&mut w, host, Client::new(("kafka-1", 2181), 20, &log));
    }
    let end = secs(&w, 30.0);
    run(&mut w, end);
    w.trace_text()
}

#[test]
fn same_seed_same_trace_byte_for_byte() {
    for seed in 0..20 {
        assert_eq!(workload(seed), workload(seed), "seed {seed}");
    }
    assert_ne!(workload(1), workload(2));
}

#[test]
fn a_connection_keeps_its_order_through_loss() {
    let mut w = world(3);
    w.set_link(
        "kafka-1",
        "kafka-2",
        LinkConfig {
            latency: Duration::from_micros(250),
            jitter: Duration::from_millis(2),
            loss: 0.3,
        },
    );
    let log = Log::default();
    spawn(
        &mut w,
        "kafka-1",
        Echo {
            port: 9092,
            log: Log::default(),
        },
    );
    spawn(&mut w, "kafka-2", Client::new(("kafka-1", 9092), 200, &log));
    let end = secs(&w, 60.0);
    run(&mut w, end);
    assert_eq!(numbers(&log), (0..200).collect::<Vec<_>>());
    assert!(
        w.trace_text().matches("deliver").count() >= 400,
        "every message there and back"
    );
}

#[test]
fn a_port_without_a_listener_refuses_at_once() {
    let mut w = world(1);
    let log = Log::default();
    let client = spawn(&mut w, "kafka-1", Client::new(("localhost", 2181), 1, &log));
    let end = secs(&w, 1.0);
    run(&mut w, end);
    assert_eq!(texts(&log), ["failed Connection refused"]);
    assert!(log.borrow()[0].0 < WorldConfig::DEFAULT_START_TIME + Duration::from_millis(1));
    assert_eq!(w.exit_status(&client), Some(1));
    let unknown = spawn(&mut w, "kafka-1", Client::new(("kafka-9", 2181), 1, &log));
    let end = secs(&w, 1.0);
    run(&mut w, end);
    assert_eq!(texts(&log)[1], "error kafka-9: Name or service not known");
    assert_eq!(w.exit_status(&unknown), Some(1));
}

#[test]
fn connecting_across_a_partition_retries_syns_until_it_heals_or_gives_up() {
    let mut w = world(1);
    echo_on_2181(&mut w, Log::default());
    w.partition("kafka-1", "kafka-2");
    let healed = Log::default();
    let start = w.now();
    spawn(
        &mut w,
        "kafka-2",
        Client::new(("kafka-1", 2181), 1, &healed),
    );
    let at_5s = secs(&w, 5.0);
    run(&mut w, at_5s);
    assert!(texts(&healed).is_empty());
    w.heal("kafka-1", "kafka-2");
    let at_10s = start + Duration::from_secs(10);
    run(&mut w, at_10s);
    let connected = healed.borrow()[0].clone();
    assert_eq!(connected.1, "connected");
    let waited = connected.0.saturating_sub(start);
    assert!(
        waited >= Duration::from_secs(7) && waited < Duration::from_millis(7_010),
        "the SYN sent at 7 s gets through: {waited:?}"
    );

    w.partition("kafka-1", "kafka-3");
    let never = Log::default();
    let start = w.now();
    spawn(&mut w, "kafka-3", Client::new(("kafka-1", 2181), 1, &never));
    let end = secs(&w, 200.0);
    run(&mut w, end);
    let (at, text) = never.borrow()[0].clone();
    assert_eq!(text, "failed Connection timed out");
    assert_eq!(at.saturating_sub(start), Duration::from_secs(127));
}

#[test]
fn data_waits_out_a_short_partition_and_a_long_one_times_the_sender_out() {
    let mut w = world(1);
    let server_log = Log::default();
    echo_on_2181(&mut w, server_log.clone());
    let log = Log::default();
    spawn(&mut w, "kafka-2", Client::new(("kafka-1", 2181), 10, &log));
    let t = secs(&w, 0.003);
    run(&mut w, t);
    w.partition("kafka-1", "kafka-2");
    let t = secs(&w, 2.0);
    run(&mut w, t);
    let before = numbers(&log).len();
    assert!(before < 10, "some replies wait behind the cut: {before}");
    w.heal("kafka-1", "kafka-2");
    let t = secs(&w, 10.0);
    run(&mut w, t);
    assert_eq!(
        numbers(&log),
        (0..10).collect::<Vec<_>>(),
        "all of them, in order"
    );

    // A cut longer than TCP's retries: the side with data in flight times out.
    let lonely = Log::default();
    spawn(
        &mut w,
        "kafka-3",
        Client::new(("kafka-1", 2181), 3, &lonely),
    );
    let t = secs(&w, 0.001);
    run(&mut w, t);
    w.partition("kafka-1", "kafka-3");
    let t = secs(&w, 1_000.0);
    run(&mut w, t);
    assert!(
        texts(&lonely).contains(&"closed Some(TimedOut)".to_owned()),
        "{:?}",
        texts(&lonely)
    );
}

#[test]
fn a_killed_process_closes_its_connections_and_frees_its_port() {
    let mut w = world(1);
    let server = echo_on_2181(&mut w, Log::default());
    let log = Log::default();
    let client = spawn(&mut w, "kafka-2", Client::new(("kafka-1", 2181), 1, &log));
    let t = secs(&w, 1.0);
    run(&mut w, t);
    assert!(w.signal(&server, Signal::Kill));
    assert_eq!(w.exit_status(&server), Some(137));
    let t = secs(&w, 1.0);
    run(&mut w, t);
    assert_eq!(
        texts(&log).last().unwrap(),
        "closed None",
        "the kernel's FIN"
    );
    assert_eq!(w.exit_status(&client), Some(0));

    let again = Log::default();
    echo_on_2181(&mut w, again.clone());
    let twice = echo_on_2181(&mut w, again.clone());
    let t = secs(&w, 1.0);
    run(&mut w, t);
    assert_eq!(texts(&again), ["listen Ok(())", "listen Err(AddressInUse)"]);
    assert_eq!(w.exit_status(&twice), Some(1));
    assert_eq!(w.take_output(&twice).1, "Address already in use\n");
}

#[test]
fn sigterm_reaches_the_process_and_sigkill_does_not() {
    let mut w = world(1);
    let server = echo_on_2181(&mut w, Log::default());
    let t = secs(&w, 0.1);
    run(&mut w, t);
    assert!(w.signal(&server, Signal::Term));
    assert_eq!(
        w.exit_status(&server),
        None,
        "it handles the signal in turn"
    );
    let t = secs(&w, 0.1);
    run(&mut w, t);
    assert_eq!(w.exit_status(&server), Some(143));
    assert!(
        !w.signal(&server, Signal::Term),
        "an ended process gets nothing"
    );
    assert!(w.processes().is_empty());
}

/// Writes each input line to its data directory and to its output.
struct Writer;

impl Process for Writer {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Stdin(line) => {
                let mut storage = ctx.storage("/tmp/data");
                storage
                    .submit(vec![FileOp::Append {
                        path: "dir/lines".into(),
                        data: format!("{line}\n").into(),
                    }])
                    .unwrap();
                ctx.stdout(&format!("wrote {line}\n"));
            }
            Event::StdinClosed => ctx.exit(0),
            _ => {}
        }
    }
}

#[test]
fn processes_read_input_write_output_and_their_files_are_the_hosts() {
    let mut w = world(1);
    let p = spawn(&mut w, "kafka-2", Writer);
    w.write_stdin(&p, "hello".into());
    w.write_stdin(&p, "kafka".into());
    w.close_stdin(&p);
    let t = secs(&w, 0.1);
    run(&mut w, t);
    assert_eq!(w.take_output(&p).0, "wrote hello\nwrote kafka\n");
    assert_eq!(w.exit_status(&p), Some(0));
    let fs = w.host_fs("kafka-2").unwrap();
    assert_eq!(
        fs.borrow().read("/tmp/data/dir/lines").unwrap(),
        b"hello\nkafka\n"
    );
    assert!(w
        .host_fs("kafka-1")
        .unwrap()
        .borrow()
        .read("/tmp/data/dir/lines")
        .is_err());

    w.host_fs("kafka-1")
        .unwrap()
        .borrow_mut()
        .create_dir_all("/root")
        .unwrap();
    let daemon = w.spawn(
        "kafka-1",
        vec!["writer".into()],
        "/root",
        Stdio::File("/root/writer.out".into()),
        Box::new(Writer),
    );
    w.write_stdin(&daemon, "to a file".into());
    let t = secs(&w, 0.1);
    run(&mut w, t);
    let out = w
        .host_fs("kafka-1")
        .unwrap()
        .borrow()
        .read("/root/writer.out")
        .unwrap();
    assert_eq!(out, b"wrote to a file\n");

    let storage = sim::HostStorage::new(fs.clone(), "/tmp/data");
    let snapshot = storage.load("").unwrap();
    assert_eq!(snapshot.files["dir/lines"], &b"hello\nkafka\n"[..]);
    assert_eq!(snapshot.dirs, ["dir"]);
    let mut storage = storage;
    assert!(storage
        .submit(vec![FileOp::Append {
            path: "../escape".into(),
            data: "x".into(),
        }])
        .is_err());
}

#[test]
fn shell_timers_fire_in_time_then_sequence_order_and_periodic_ones_do_not_count() {
    let mut w = world(7);
    let t = secs(&w, 1.0);
    w.set_timer(t, TimerOwner(2), TimerKind::OneShot);
    w.set_timer(t, TimerOwner(1), TimerKind::OneShot);
    let start = w.now();
    w.set_timer(start, TimerOwner(3), TimerKind::Periodic);
    assert_eq!(w.next_timer_at(), Some(start));
    assert_eq!(w.next_one_shot_at(), Some(t));
    assert_eq!(run(&mut w, t), [3, 2, 1]);
    assert_eq!(w.now(), t);
    let later = secs(&w, 5.0);
    w.set_timer(later, TimerOwner(4), TimerKind::OneShot);
    let t4 = secs(&w, 4.0);
    assert_eq!(run(&mut w, t4), Vec::<u64>::new());
    assert_eq!(
        w.now(),
        t + Duration::from_secs(4),
        "time moves to the limit"
    );
}

#[test]
fn an_unknown_payload_is_handed_back() {
    #[derive(Debug)]
    struct Other;
    impl sim::Payload for Other {
        fn summary(&self) -> String {
            "other".into()
        }
    }
    let message: sim::Message = Box::new(Other);
    let back = downcast::<RawBytes>(message).unwrap_err();
    assert_eq!(back.summary(), "other");
    let _ = NetError::Refused;
}

/// Takes a lock at start and notes whether it got it; exits on SIGTERM.
struct Locker {
    path: &'static str,
    log: Log,
}

impl Process for Locker {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => {
                let first = ctx.try_lock(self.path);
                // Taking a lock one already holds succeeds again.
                let again = ctx.try_lock(self.path);
                note(&self.log, ctx, format!("{first} {again}"));
            }
            Event::Signal(Signal::Term) => ctx.exit(143),
            _ => {}
        }
    }
}

#[test]
fn a_file_lock_is_held_until_its_process_ends_however_it_ends() {
    let mut w = world(1);
    let log = Log::default();
    let locker = |log: &Log, path| Locker {
        path,
        log: log.clone(),
    };
    let first = spawn(&mut w, "kafka-1", locker(&log, "/tmp/kafka-logs/.lock"));
    let soon = secs(&w, 0.1);
    run(&mut w, soon);
    // The same file by another spelling, on the same host: refused.
    spawn(&mut w, "kafka-1", locker(&log, "/tmp//kafka-logs/./.lock"));
    // Another file, and the same path on another host: granted.
    spawn(&mut w, "kafka-1", locker(&log, "/tmp/kafka-logs-1/.lock"));
    spawn(&mut w, "kafka-2", locker(&log, "/tmp/kafka-logs/.lock"));
    let soon = secs(&w, 0.1);
    run(&mut w, soon);
    assert_eq!(
        texts(&log),
        ["true true", "false false", "true true", "true true"]
    );
    // A process that exits lets go of its locks.
    w.signal(&first, Signal::Term);
    let soon = secs(&w, 0.1);
    run(&mut w, soon);
    assert_eq!(w.exit_status(&first), Some(143));
    let second = spawn(&mut w, "kafka-1", locker(&log, "/tmp/kafka-logs/.lock"));
    let soon = secs(&w, 0.1);
    run(&mut w, soon);
    assert_eq!(texts(&log)[4], "true true");
    // So does one SIGKILL ends.
    w.signal(&second, Signal::Kill);
    spawn(&mut w, "kafka-1", locker(&log, "/tmp/kafka-logs/.lock"));
    let soon = secs(&w, 0.1);
    run(&mut w, soon);
    assert_eq!(texts(&log)[5], "true true");
}
