//! `ZooKeeperMain`, the CLI `bin/zookeeper-shell.sh` runs, as a process:
//! lines typed on its input become requests of a [`ZkClient`], and the
//! answers print as each release prints them — 3.3's terse output (stat on
//! stderr, a stack trace and exit on errors it does not catch) or 3.5's
//! commands with options and one-line errors. Neither distribution ships
//! jline, so there is no prompt.

use std::collections::VecDeque;

use bytes::Bytes;
use sim::{Context, Event, Process, SimTime};

use crate::acl::Acl;
use crate::client::{ClientEvent, ZkClient};
use crate::error::{ErrorCode, KeeperError};
use crate::jvm::log4j_line;
use crate::prep::{CreateMode, WriteOp};
use crate::proto::{Op, ReplyBody};
use crate::tree::{validate_path, Stat};
use crate::watch::KeeperState;
use crate::ZkVersion;

/// The session timeout the CLI asks for (`-timeout`, default 30000).
const SESSION_TIMEOUT_MS: i32 = 30_000;

/// What a command needs from the server, and what to do with the answers.
#[derive(Clone, Debug)]
enum Pending {
    Ls {
        sorted: bool,
        stat: bool,
    },
    Ls2,
    Get {
        stat: bool,
        exception: bool,
    },
    Stat,
    Set {
        stat: bool,
    },
    Create,
    Delete,
    Sync,
    GetAcl {
        stat: bool,
    },
    SetAcl {
        stat: bool,
    },
    /// `deleteall` (`ZKUtil.deleteRecursive`): the tree is listed breadth
    /// first from the root, then deleted in the reverse order.
    DeleteAll {
        asked: String,
        queue: VecDeque<String>,
        found: Vec<String>,
        deleting: bool,
    },
}

/// The CLI process.
#[derive(Debug)]
pub struct ZooKeeperMain {
    version: ZkVersion,
    server: String,
    client: ZkClient,
    /// A command from the command line (2.8.2 only): run once, then exit.
    command: Option<Vec<String>>,
    /// Typed lines waiting for the previous command to finish.
    lines: VecDeque<String>,
    waiting: Option<(String, Pending)>,
    history: Vec<String>,
    print_watches: bool,
    exit_code: i32,
    stdin_closed: bool,
    /// Run with a command on the command line: exit after it.
    one_shot: bool,
    /// The last command line run (3.3 runs it once more at end of input).
    last_words: Option<Vec<String>>,
}

impl ZooKeeperMain {
    /// `server` is the `-server` value; `command` the words after it (2.8.2).
    pub fn new(version: ZkVersion, server: &str, command: Vec<String>) -> ZooKeeperMain {
        ZooKeeperMain {
            version,
            server: server.to_owned(),
            client: ZkClient::new(version, server, SESSION_TIMEOUT_MS),
            one_shot: !command.is_empty(),
            last_words: None,
            command: (!command.is_empty()).then_some(command),
            lines: VecDeque::new(),
            waiting: None,
            history: Vec::new(),
            print_watches: true,
            exit_code: 0,
            stdin_closed: false,
        }
    }

    fn out(&self, ctx: &mut Context<'_>, text: &str) {
        ctx.stdout(text);
    }

    fn err(&self, ctx: &mut Context<'_>, text: &str) {
        ctx.stderr(text);
    }

    /// The stat block goes to stderr in 3.3, stdout in 3.5.
    fn stat_out(&self, ctx: &mut Context<'_>, stat: &Stat) {
        let text = stat_block(stat);
        match self.version {
            ZkVersion::V3_3 => ctx.stderr(&text),
            ZkVersion::V3_5 => ctx.stdout(&text),
        }
    }

    fn client_events(&mut self, ctx: &mut Context<'_>, events: Vec<ClientEvent>) {
        for event in events {
            match event {
                ClientEvent::State(state) => {
                    if self.print_watches {
                        self.out(
                            ctx,
                            &format!(
                                "\nWATCHER::\n\nWatchedEvent state:{} type:None path:null\n",
                                state.name()
                            ),
                        );
                    }
                    if state == KeeperState::Expired || state == KeeperState::Closed {
                        self.fail_waiting(ctx, ErrorCode::SessionExpired);
                    }
                }
                ClientEvent::Watch { event, path } => {
                    if self.print_watches {
                        self.out(ctx, &format!("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:{} path:{path}\n", event.name()));
                    }
                }
                ClientEvent::Reply { result, .. } => self.answer(ctx, result),
                ClientEvent::Log {
                    level,
                    logger,
                    message,
                    trace,
                } => {
                    // Tools log WARN and up: 0.8.0 on stdout, 2.8.2 on stderr.
                    if level == "WARN" || level == "ERROR" {
                        let mut line = log4j_line(ctx.now(), level, &message, logger);
                        line.push_str(trace.as_deref().unwrap_or(""));
                        match self.version {
                            ZkVersion::V3_3 => ctx.stdout(&line),
                            ZkVersion::V3_5 => ctx.stderr(&line),
                        }
                    }
                }
            }
        }
        self.run_lines(ctx);
    }

    fn fail_waiting(&mut self, ctx: &mut Context<'_>, code: ErrorCode) {
        if self.waiting.is_some() {
            self.answer(ctx, Err(KeeperError { code, path: None }));
        }
    }

    /// Runs typed lines while no command waits for the server; at the end
    /// of input, exits (3.3 first runs the last command once more).
    fn run_lines(&mut self, ctx: &mut Context<'_>) {
        while self.waiting.is_none() {
            let Some(line) = self.lines.pop_front() else {
                if self.stdin_closed && !self.one_shot {
                    self.end_of_input(ctx);
                }
                return;
            };
            let words = self.split(&line);
            if words.is_empty() || words[0].is_empty() && self.version == ZkVersion::V3_5 {
                continue;
            }
            self.history.push(line.clone());
            self.last_words = Some(words.clone());
            self.execute(ctx, words);
        }
    }

    fn end_of_input(&mut self, ctx: &mut Context<'_>) {
        match self.version {
            ZkVersion::V3_5 => ctx.exit(self.exit_code),
            ZkVersion::V3_3 => match self.last_words.take() {
                Some(words) => {
                    self.one_shot = true;
                    self.exit_code = 0;
                    self.execute(ctx, words);
                }
                None => {
                    ctx.stderr("Exception in thread \"main\" java.lang.NullPointerException\n\tat org.apache.zookeeper.ZooKeeperMain.getArgArray(ZooKeeperMain.java:176)\n\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:601)\n\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:581)\n\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:340)\n\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:270)\n");
                    ctx.exit(1);
                }
            },
        }
    }

    /// 3.3 splits on single spaces; 3.5 on whitespace, with quotes grouping.
    fn split(&self, line: &str) -> Vec<String> {
        match self.version {
            ZkVersion::V3_3 => {
                if line.is_empty() {
                    Vec::new()
                } else {
                    line.split(' ').map(str::to_owned).collect()
                }
            }
            ZkVersion::V3_5 => {
                let mut words = Vec::new();
                let mut chars = line.chars().peekable();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() {
                        chars.next();
                        continue;
                    }
                    let mut word = String::new();
                    if c == '"' || c == '\'' {
                        chars.next();
                        for d in chars.by_ref() {
                            if d == c {
                                break;
                            }
                            word.push(d);
                        }
                    } else {
                        while let Some(&d) = chars.peek() {
                            if d.is_whitespace() {
                                break;
                            }
                            word.push(d);
                            chars.next();
                        }
                    }
                    words.push(word);
                }
                words
            }
        }
    }

    fn submit(&mut self, ctx: &mut Context<'_>, line: String, op: Op, pending: Pending) {
        self.waiting = Some((line, pending));
        let (_, events) = self.client.submit(ctx, op);
        self.client_events(ctx, events);
    }

    fn execute(&mut self, ctx: &mut Context<'_>, words: Vec<String>) {
        let line = words.join(" ");
        match self.version {
            ZkVersion::V3_3 => self.execute_33(ctx, line, words),
            ZkVersion::V3_5 => self.execute_35(ctx, line, words),
        }
        if self.waiting.is_none() {
            self.after_command(ctx);
        }
    }

    fn not_connected(&mut self, ctx: &mut Context<'_>) -> bool {
        if self.client.is_closed() {
            self.out(ctx, "Not connected\n");
            return true;
        }
        false
    }

    /// `printwatches on|off`; anything else leaves it as it is.
    fn set_print_watches(&mut self, arg: Option<&String>) {
        match arg.map(String::as_str) {
            Some("on") => self.print_watches = true,
            Some("off") => self.print_watches = false,
            _ => {}
        }
    }

    fn usage_33(&self, ctx: &mut Context<'_>) {
        ctx.stderr(USAGE_33);
    }

    fn execute_33(&mut self, ctx: &mut Context<'_>, line: String, words: Vec<String>) {
        let cmd = words[0].as_str();
        let args = &words[1..];
        match cmd {
            "quit" => {
                self.out(ctx, "Quitting...\n");
                let events = self.client.close(ctx);
                self.client_events(ctx, events);
                ctx.exit(0);
                return;
            }
            "history" => {
                self.print_history(ctx);
                self.usage_33(ctx);
                return;
            }
            "printwatches" => {
                self.set_print_watches(args.first());
                if args.is_empty() {
                    let state = if self.print_watches { "on" } else { "off" };
                    self.out(ctx, &format!("printwatches is {state}\n"));
                }
                self.usage_33(ctx);
                return;
            }
            "redo" => {
                self.redo(ctx, args);
                self.usage_33(ctx);
                return;
            }
            _ => {}
        }
        if self.not_connected(ctx) {
            return;
        }
        let path = args.first().cloned().unwrap_or_default();
        let watch = args.len() > 1;
        if !path.is_empty()
            && matches!(
                cmd,
                "ls" | "ls2" | "get" | "stat" | "set" | "delete" | "getAcl" | "setAcl" | "create"
            )
        {
            let checked = if cmd == "create" {
                args.iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_default()
            } else {
                path.clone()
            };
            if let Err(reason) = validate_path(&checked) {
                self.err(
                    ctx,
                    &format!("Command failed: java.lang.IllegalArgumentException: {reason}\n"),
                );
                return;
            }
        }
        match (cmd, args.len()) {
            ("ls", 1..) => self.submit(
                ctx,
                line,
                Op::GetChildren {
                    path: path.clone(),
                    watch,
                    with_stat: false,
                },
                Pending::Ls {
                    sorted: false,
                    stat: false,
                },
            ),
            ("ls2", 1..) => self.submit(
                ctx,
                line,
                Op::GetChildren {
                    path,
                    watch,
                    with_stat: true,
                },
                Pending::Ls2,
            ),
            ("get", 1..) => self.submit(
                ctx,
                line,
                Op::GetData { path, watch },
                Pending::Get {
                    stat: true,
                    exception: false,
                },
            ),
            ("stat", 1..) => self.submit(ctx, line, Op::Exists { path, watch }, Pending::Stat),
            ("set", 2..) => {
                let version = match args.get(2).map(|v| v.parse::<i32>()) {
                    Some(Ok(v)) => v,
                    Some(Err(_)) => {
                        self.err(ctx, &format!("Command failed: java.lang.NumberFormatException: For input string: \"{}\"\n", args[2]));
                        return;
                    }
                    None => -1,
                };
                self.submit(
                    ctx,
                    line,
                    Op::set_data(&path, Some(args[1].as_bytes()), version),
                    Pending::Set { stat: true },
                );
            }
            ("delete", 1..) => {
                let version = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(-1);
                self.submit(ctx, line, Op::delete(&path, version), Pending::Delete);
            }
            ("create", 2..) => {
                let flags: Vec<&String> = args.iter().take_while(|a| a.starts_with('-')).collect();
                let rest = &args[flags.len()..];
                if rest.len() < 2 {
                    self.usage_33(ctx);
                    return;
                }
                let mode = create_mode(
                    flags.iter().any(|f| *f == "-e"),
                    flags.iter().any(|f| *f == "-s"),
                );
                let op = Op::Write(WriteOp::Create {
                    path: rest[0].clone(),
                    data: Some(Bytes::copy_from_slice(rest[1].as_bytes())),
                    acl: Acl::open(),
                    mode,
                });
                self.submit(ctx, line, op, Pending::Create);
            }
            ("getAcl", 1..) => self.submit(
                ctx,
                line,
                Op::GetAcl { path },
                Pending::GetAcl { stat: false },
            ),
            ("setAcl", 2..) => match parse_acl(&args[1]) {
                Ok(acl) => self.submit(
                    ctx,
                    line,
                    Op::Write(WriteOp::SetAcl {
                        path,
                        acl,
                        version: -1,
                    }),
                    Pending::SetAcl { stat: true },
                ),
                Err(message) => self.err(ctx, &format!("{message}\n")),
            },
            ("close", _) => {
                let events = self.client.close(ctx);
                self.client_events(ctx, events);
            }
            ("connect", _) => {
                self.reconnect(ctx, args);
                self.usage_33(ctx);
            }
            ("addauth", 1..) => {}
            _ => self.usage_33(ctx),
        }
    }

    fn execute_35(&mut self, ctx: &mut Context<'_>, line: String, words: Vec<String>) {
        let cmd = words[0].clone();
        let args: Vec<String> = words[1..].to_vec();
        match cmd.as_str() {
            "quit" => {
                let events = self.client.close(ctx);
                self.client_events(ctx, events);
                ctx.exit(self.exit_code);
                return;
            }
            "history" => {
                self.print_history(ctx);
                return;
            }
            "printwatches" => {
                self.set_print_watches(args.first());
                let state = if self.print_watches { "on" } else { "off" };
                self.out(ctx, &format!("printwatches is {state}\n"));
                return;
            }
            "redo" => {
                self.redo(ctx, &args);
                return;
            }
            "connect" => {
                self.reconnect(ctx, &args);
                return;
            }
            _ => {}
        }
        let known = USAGE_35
            .lines()
            .skip(1)
            .any(|l| l.trim_start().split(' ').next() == Some(cmd.as_str()));
        if !known {
            self.err(ctx, USAGE_35);
            self.err(
                ctx,
                &format!("Command not found: Command not found {cmd}\n"),
            );
            self.exit_code = 127;
            return;
        }
        if self.not_connected(ctx) {
            return;
        }
        let (flags, positional): (Vec<String>, Vec<String>) = split_options(&args);
        let flag = |f: &str| flags.iter().any(|x| x == f);
        let option_value = |f: &str| {
            args.iter()
                .position(|a| a == f)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let usage = |cmd: &str| -> String {
            USAGE_35
                .lines()
                .skip(1)
                .find(|l| l.trim_start().split(' ').next() == Some(cmd))
                .map(|l| format!("{}\n", l.trim_start()))
                .unwrap_or_default()
        };
        let path = positional.first().cloned();
        let Some(path) = path else {
            if cmd != "close" && cmd != "addauth" {
                self.err(ctx, &usage(&cmd));
                self.exit_code = 1;
                return;
            }
            if cmd == "close" {
                let events = self.client.close(ctx);
                self.client_events(ctx, events);
            }
            return;
        };
        if let Err(reason) = validate_path(&path) {
            self.err(ctx, &format!("{reason}\n"));
            self.exit_code = 1;
            return;
        }
        let old_watch = positional.len() > 1 && matches!(cmd.as_str(), "ls" | "get" | "stat");
        if old_watch {
            let text = match cmd.as_str() {
                "ls" => "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.",
                "get" => "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.",
                _ => "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.",
            };
            self.err(ctx, &format!("{text}\n"));
        }
        let watch = flag("-w") || old_watch;
        match cmd.as_str() {
            "ls" => self.submit(
                ctx,
                line,
                Op::GetChildren {
                    path: path.clone(),
                    watch,
                    with_stat: flag("-s"),
                },
                Pending::Ls {
                    sorted: true,
                    stat: flag("-s"),
                },
            ),
            "ls2" => {
                self.err(
                    ctx,
                    "'ls2' has been deprecated. Please use 'ls [-s] path' instead.\n",
                );
                self.submit(
                    ctx,
                    line,
                    Op::GetChildren {
                        path,
                        watch: positional.len() > 1,
                        with_stat: true,
                    },
                    Pending::Ls2,
                );
            }
            "get" => self.submit(
                ctx,
                line,
                Op::GetData { path, watch },
                Pending::Get {
                    stat: flag("-s"),
                    exception: true,
                },
            ),
            "stat" => self.submit(ctx, line, Op::Exists { path, watch }, Pending::Stat),
            "set" => {
                let Some(data) = positional.get(1) else {
                    self.err(ctx, &usage("set"));
                    self.exit_code = 1;
                    return;
                };
                let version = option_value("-v")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(-1);
                self.submit(
                    ctx,
                    line,
                    Op::set_data(&path, Some(data.as_bytes()), version),
                    Pending::Set { stat: flag("-s") },
                );
            }
            "create" => {
                let mode = create_mode(flag("-e"), flag("-s"));
                let data = positional
                    .get(1)
                    .map(|d| Bytes::copy_from_slice(d.as_bytes()));
                self.submit(
                    ctx,
                    line,
                    Op::Write(WriteOp::Create {
                        path,
                        data,
                        acl: Acl::open(),
                        mode,
                    }),
                    Pending::Create,
                );
            }
            "delete" => {
                if positional.len() > 1 {
                    self.err(ctx, "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.\n");
                }
                let version = option_value("-v")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(-1);
                self.submit(ctx, line, Op::delete(&path, version), Pending::Delete);
            }
            "rmr" | "deleteall" => {
                if cmd == "rmr" {
                    self.err(
                        ctx,
                        "The command 'rmr' has been deprecated. Please use 'deleteall' instead.\n",
                    );
                }
                let pending = Pending::DeleteAll {
                    asked: path.clone(),
                    queue: VecDeque::new(),
                    found: vec![path.clone()],
                    deleting: false,
                };
                self.submit(
                    ctx,
                    line,
                    Op::GetChildren {
                        path,
                        watch: false,
                        with_stat: false,
                    },
                    pending,
                );
            }
            "sync" => self.submit(ctx, line, Op::Sync { path }, Pending::Sync),
            "getAcl" => self.submit(
                ctx,
                line,
                Op::GetAcl { path },
                Pending::GetAcl { stat: flag("-s") },
            ),
            "setAcl" => {
                let Some(text) = positional.get(1) else {
                    self.err(ctx, &usage("setAcl"));
                    return;
                };
                match parse_acl(text) {
                    Ok(acl) => {
                        let version = option_value("-v")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(-1);
                        self.submit(
                            ctx,
                            line,
                            Op::Write(WriteOp::SetAcl { path, acl, version }),
                            Pending::SetAcl { stat: flag("-s") },
                        );
                    }
                    Err(message) => {
                        self.err(ctx, &format!("{message}\n"));
                        self.exit_code = 1;
                    }
                }
            }
            "addauth" => {}
            other => {
                self.err(
                    ctx,
                    &format!("{other}: not yet available in this playground\n"),
                );
                self.exit_code = 1;
            }
        }
    }

    fn print_history(&self, ctx: &mut Context<'_>) {
        let start = self.history.len().saturating_sub(11);
        let text: String = self.history[start..]
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{} - {l}\n", start + i))
            .collect();
        ctx.stdout(&text);
    }

    fn redo(&mut self, ctx: &mut Context<'_>, args: &[String]) {
        let index: Option<usize> = args.first().and_then(|a| a.parse().ok());
        let current = self.history.len().saturating_sub(1);
        let say = |me: &Self, ctx: &mut Context<'_>, text: &str| match me.version {
            ZkVersion::V3_3 => ctx.stdout(text),
            ZkVersion::V3_5 => ctx.stderr(text),
        };
        match index {
            Some(i) if i < current => {
                let line = self.history[i].clone();
                if line.starts_with("redo") {
                    say(self, ctx, "No redoing redos\n");
                    return;
                }
                self.history.pop();
                self.history.push(line.clone());
                let words = self.split(&line);
                self.execute(ctx, words);
            }
            _ => say(self, ctx, "Command index out of range\n"),
        }
    }

    fn reconnect(&mut self, ctx: &mut Context<'_>, args: &[String]) {
        if let Some(server) = args.first() {
            self.server = server.clone();
        }
        let events = self.client.close(ctx);
        self.client_events(ctx, events);
        self.client = ZkClient::new(self.version, &self.server, SESSION_TIMEOUT_MS);
        let events = self.client.start(ctx);
        self.client_events(ctx, events);
    }

    /// The server answered the command that waits.
    fn answer(&mut self, ctx: &mut Context<'_>, result: Result<ReplyBody, KeeperError>) {
        let Some((line, pending)) = self.waiting.take() else {
            return;
        };
        let path = line
            .split_whitespace()
            .rfind(|w| w.starts_with('/'))
            .unwrap_or("")
            .to_owned();
        let error = match result {
            Ok(body) => {
                self.exit_code = 0;
                self.success(ctx, &line, pending, body);
                return;
            }
            Err(e) => e,
        };
        let path = error.path.clone().unwrap_or(path);
        match self.version {
            ZkVersion::V3_3 => self.error_33(ctx, &line, &pending, error.code, &path),
            ZkVersion::V3_5 => {
                self.exit_code = 1;
                let text = match (&pending, error.code) {
                    (
                        Pending::Get {
                            exception: true, ..
                        },
                        code,
                    ) => format!(
                        "org.apache.zookeeper.KeeperException${}: {}",
                        code.exception(),
                        KeeperError::new(code, &path)
                    ),
                    (Pending::Sync, code) => format!("Sync has failed. rc={}", code.value()),
                    (_, ErrorCode::NoNode) => format!("Node does not exist: {path}"),
                    (_, ErrorCode::NoChildrenForEphemerals) => {
                        format!("Ephemerals cannot have children: {path}")
                    }
                    (_, ErrorCode::NodeExists) => format!("Node already exists: {path}"),
                    (_, ErrorCode::NotEmpty) => format!("Node not empty: {path}"),
                    (_, ErrorCode::InvalidAcl) => format!("Acl is not valid : {path}"),
                    (_, ErrorCode::NoAuth) => format!("Authentication is not valid : {path}"),
                    (_, ErrorCode::BadArguments) => format!("Arguments are not valid : {path}"),
                    (_, ErrorCode::BadVersion) => format!("version No is not valid : {path}"),
                    (_, code) => KeeperError::new(code, &path).to_string(),
                };
                self.err(ctx, &format!("{text}\n"));
            }
        }
        self.after_command(ctx);
    }

    /// 3.3 catches NoNode, NoChildrenForEphemerals, NodeExists and NotEmpty;
    /// anything else ends the shell with the exception's stack trace.
    fn error_33(
        &mut self,
        ctx: &mut Context<'_>,
        line: &str,
        pending: &Pending,
        code: ErrorCode,
        path: &str,
    ) {
        let caught = match (pending, code) {
            (Pending::Stat, ErrorCode::NoNode) => None,
            (_, ErrorCode::NoNode) => Some(format!("Node does not exist: {path}")),
            (_, ErrorCode::NoChildrenForEphemerals) => {
                Some(format!("Ephemerals cannot have children: {path}"))
            }
            (_, ErrorCode::NodeExists) => Some(format!("Node already exists: {path}")),
            (_, ErrorCode::NotEmpty) => Some(format!("Node not empty: {path}")),
            _ => None,
        };
        if let Some(text) = caught {
            self.err(ctx, &format!("{text}\n"));
            return;
        }
        let (exception, frames) = match (pending, code) {
            (Pending::Stat, ErrorCode::NoNode) => (
                "java.lang.NullPointerException".to_owned(),
                "\tat org.apache.zookeeper.ZooKeeperMain.printStat(ZooKeeperMain.java:130)\n\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:722)\n".to_owned(),
            ),
            (_, code) => {
                let call = match pending {
                    Pending::Set { .. } => "\tat org.apache.zookeeper.ZooKeeper.setData(ZooKeeper.java:1044)\n\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:686)\n",
                    Pending::Delete => "\tat org.apache.zookeeper.ZooKeeper.delete(ZooKeeper.java:734)\n\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:683)\n",
                    _ => "\tat org.apache.zookeeper.ZooKeeper.getChildren(ZooKeeper.java:1249)\n\tat org.apache.zookeeper.ZooKeeper.getChildren(ZooKeeper.java:1277)\n\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:700)\n",
                };
                let create_line = if code == ErrorCode::ConnectionLoss { 90 } else { 106 };
                (
                    format!("org.apache.zookeeper.KeeperException${}: {}", code.exception(), KeeperError::new(code, path)),
                    format!("\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:{create_line})\n\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:42)\n{call}"),
                )
            }
        };
        let _ = line;
        self.err(ctx, &format!("Exception in thread \"main\" {exception}\n{frames}\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:581)\n\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:353)\n\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:337)\n\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:270)\n"));
        ctx.exit(1);
    }

    fn success(&mut self, ctx: &mut Context<'_>, line: &str, pending: Pending, body: ReplyBody) {
        match (pending, body) {
            (
                Pending::Ls { sorted, stat, .. },
                ReplyBody::Children {
                    mut children,
                    stat: node_stat,
                },
            ) => {
                if sorted {
                    children.sort();
                }
                let list = format!("[{}]", children.join(", "));
                match (stat, node_stat) {
                    // 3.5.9's `ls -s` prints no newline before the stat (ZOOKEEPER-3649).
                    (true, Some(s)) => self.out(ctx, &format!("{list}{}\n", stat_block(&s))),
                    _ => self.out(ctx, &format!("{list}\n")),
                }
            }
            (Pending::Ls2, ReplyBody::Children { children, stat }) => {
                self.out(ctx, &format!("[{}]\n", children.join(", ")));
                if let Some(s) = stat {
                    self.stat_out(ctx, &s);
                }
            }
            (Pending::Get { stat, .. }, ReplyBody::Data { data, stat: s }) => {
                let text = data.map_or("null".to_owned(), |d| {
                    String::from_utf8_lossy(&d).into_owned()
                });
                self.out(ctx, &format!("{text}\n"));
                if stat {
                    self.stat_out(ctx, &s);
                }
            }
            (Pending::Stat, ReplyBody::Stat(s)) => self.stat_out(ctx, &s),
            (Pending::Set { stat: true }, ReplyBody::Stat(s))
            | (Pending::SetAcl { stat: true }, ReplyBody::Stat(s)) => self.stat_out(ctx, &s),
            (Pending::Create, ReplyBody::Created { path }) => {
                self.err(ctx, &format!("Created {path}\n"))
            }
            (Pending::Sync, _) => self.out(ctx, "Sync is OK\n"),
            (Pending::GetAcl { stat }, ReplyBody::Acl { acl, stat: s }) => {
                for a in &acl {
                    self.out(ctx, &format!("{a}\n"));
                }
                if stat {
                    self.stat_out(ctx, &s);
                }
            }
            (
                Pending::DeleteAll {
                    asked,
                    mut queue,
                    mut found,
                    deleting,
                },
                body,
            ) => {
                if !deleting {
                    if let ReplyBody::Children { children, .. } = body {
                        for child in children {
                            let path = child_path(&asked, &child);
                            queue.push_back(path.clone());
                            found.push(path);
                        }
                    }
                }
                self.delete_all_next(ctx, line, queue, found, deleting);
                return;
            }
            _ => {}
        }
        self.after_command(ctx);
    }

    /// The next step of `deleteall`: list the next node found, or delete
    /// the deepest node left.
    fn delete_all_next(
        &mut self,
        ctx: &mut Context<'_>,
        line: &str,
        mut queue: VecDeque<String>,
        mut found: Vec<String>,
        deleting: bool,
    ) {
        let (op, asked, now_deleting) = match (deleting, queue.pop_front()) {
            (false, Some(path)) => (
                Op::GetChildren {
                    path: path.clone(),
                    watch: false,
                    with_stat: false,
                },
                path,
                false,
            ),
            _ => match found.pop() {
                Some(path) => (Op::delete(&path, -1), path, true),
                None => {
                    self.after_command(ctx);
                    return;
                }
            },
        };
        let pending = Pending::DeleteAll {
            asked,
            queue,
            found,
            deleting: now_deleting,
        };
        self.waiting = Some((line.to_owned(), pending));
        let (_, events) = self.client.submit(ctx, op);
        self.client_events(ctx, events);
    }

    /// A command is done: a one-shot CLI exits with its status.
    fn after_command(&mut self, ctx: &mut Context<'_>) {
        if self.one_shot && self.waiting.is_none() && self.command.is_none() {
            let code = if self.version == ZkVersion::V3_3 {
                0
            } else {
                self.exit_code
            };
            ctx.exit(code);
        }
    }
}

fn child_path(parent: &str, child: &str) -> String {
    if parent == "/" {
        format!("/{child}")
    } else {
        format!("{parent}/{child}")
    }
}

fn create_mode(ephemeral: bool, sequential: bool) -> CreateMode {
    match (ephemeral, sequential) {
        (false, false) => CreateMode::Persistent,
        (true, false) => CreateMode::Ephemeral,
        (false, true) => CreateMode::PersistentSequential,
        (true, true) => CreateMode::EphemeralSequential,
    }
}

/// Options (`-s`, `-w`, `-v 3`) apart from positional arguments, wherever
/// they stand (commons-cli's `PosixParser`).
fn split_options(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut flags = Vec::new();
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with('-') && a.len() > 1 && a.parse::<i64>().is_err() {
            flags.push(a.clone());
            if matches!(a.as_str(), "-v" | "-t") {
                i += 1;
            }
        } else {
            positional.push(a.clone());
        }
        i += 1;
    }
    (flags, positional)
}

/// `scheme:id:perms[,...]` as `setAcl` takes it.
fn parse_acl(text: &str) -> Result<Vec<Acl>, String> {
    text.split(',')
        .map(|part| {
            let Some((_, perms)) = part.rsplit_once(':') else {
                return Err(format!("{part} does not have the form scheme:id:perm"));
            };
            if let Some(bad) = perms.chars().find(|c| !"rwcda".contains(*c)) {
                return Err(format!("Unknown perm type: {bad}"));
            }
            Acl::parse(part).ok_or_else(|| format!("{part} does not have the form scheme:id:perm"))
        })
        .collect()
}

/// The 11 lines `stat` prints.
pub fn stat_block(s: &Stat) -> String {
    let date = |ms: i64| SimTime::from_unix_millis(ms.max(0) as u64).java_date();
    format!(
        "cZxid = 0x{:x}\nctime = {}\nmZxid = 0x{:x}\nmtime = {}\npZxid = 0x{:x}\ncversion = {}\ndataVersion = {}\naclVersion = {}\nephemeralOwner = 0x{:x}\ndataLength = {}\nnumChildren = {}\n",
        s.czxid,
        date(s.ctime),
        s.mzxid,
        date(s.mtime),
        s.pzxid,
        s.cversion,
        s.version,
        s.aversion,
        s.ephemeral_owner,
        s.data_length,
        s.num_children
    )
}

impl Process for ZooKeeperMain {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => {
                self.out(ctx, &format!("Connecting to {}\n", self.server));
                if self.command.is_none() {
                    self.out(ctx, "Welcome to ZooKeeper!\nJLine support is disabled\n");
                }
                let events = self.client.start(ctx);
                self.client_events(ctx, events);
                // 3.5 runs a command from the command line at once: it waits
                // in the client's queue and fails with ConnectionLoss if no
                // server answers.
                if let Some(words) = self.command.take() {
                    self.execute(ctx, words);
                }
            }
            Event::Stdin(line) => {
                self.lines.push_back(line);
                self.run_lines(ctx);
            }
            Event::StdinClosed => {
                self.stdin_closed = true;
                self.run_lines(ctx);
            }
            Event::Signal(signal) => ctx.exit(128 + signal.number()),
            event => {
                if let Ok(events) = self.client.handle(ctx, event) {
                    self.client_events(ctx, events);
                }
            }
        }
    }
}

const USAGE_33: &str = "ZooKeeper -server host:port cmd args\n\tstat path [watch]\n\tset path data [version]\n\tls path [watch]\n\tdelquota [-n|-b] path\n\tls2 path [watch]\n\tsetAcl path acl\n\tsetquota -n|-b val path\n\thistory \n\tredo cmdno\n\tprintwatches on|off\n\tdelete path [version]\n\tsync path\n\tlistquota path\n\tget path [watch]\n\tcreate [-s] [-e] path data acl\n\taddauth scheme auth\n\tquit \n\tgetAcl path\n\tclose \n\tconnect host:port\n";

const USAGE_35: &str = "ZooKeeper -server host:port [-zk-tls-config-file <file>] cmd args\n\taddauth scheme auth\n\tclose \n\tconfig [-c] [-w] [-s]\n\tconnect host:port\n\tcreate [-s] [-e] [-c] [-t ttl] path [data] [acl]\n\tdelete [-v version] path\n\tdeleteall path\n\tdelquota [-n|-b] path\n\tget [-s] [-w] path\n\tgetAcl [-s] path\n\thistory \n\tlistquota path\n\tls [-s] [-w] [-R] path\n\tls2 path [watch]\n\tprintwatches on|off\n\tquit \n\treconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]\n\tredo cmdno\n\tremovewatches path [-c|-d|-a] [-l]\n\trmr path\n\tset [-s] [-v version] path data\n\tsetAcl [-s] [-v version] [-R] path acl\n\tsetquota -n|-b val path\n\tstat [-w] path\n\tsync path\n";
