//! The Kafka command-line tools, looked up by the distribution and script a
//! command runs from. The tools arrive issue by issue; a script whose tool is
//! not here answers `NAME: not yet available in this playground` (exit 127).
//! What the scripts share lives here: where a script runs from ([`Script`]),
//! the java command line `kafka-run-class.sh` builds, and the `ps | grep |
//! kill` the stop scripts do.

mod kafka;
mod zookeeper;

use coord::jvm::Environment;
use coord::ZkVersion;
use distribution::{Distribution, Release};
use sim::{Process, ProcessInfo, Signal};

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
use crate::exec::process::{run_attached, spawn_detached};
use crate::vfs::{normalize, Program};

/// A tool's entry point: runs with the call's arguments and streams, returns an exit status.
pub type Tool = fn(Call) -> LocalFuture<i32>;

/// Every tool, by (distribution directory, script name).
const TOOLS: &[(&str, &str, Tool)] = &[
    (
        "kafka_2.8.0-0.8.0",
        "zookeeper-server-start.sh",
        zookeeper::server_start,
    ),
    (
        "kafka_2.13-2.8.2",
        "zookeeper-server-start.sh",
        zookeeper::server_start,
    ),
    (
        "kafka_2.8.0-0.8.0",
        "zookeeper-server-stop.sh",
        zookeeper::server_stop,
    ),
    (
        "kafka_2.13-2.8.2",
        "zookeeper-server-stop.sh",
        zookeeper::server_stop,
    ),
    ("kafka_2.8.0-0.8.0", "zookeeper-shell.sh", zookeeper::shell),
    ("kafka_2.13-2.8.2", "zookeeper-shell.sh", zookeeper::shell),
    (
        "kafka_2.8.0-0.8.0",
        "kafka-server-start.sh",
        kafka::server_start,
    ),
    (
        "kafka_2.13-2.8.2",
        "kafka-server-start.sh",
        kafka::server_start,
    ),
    (
        "kafka_2.8.0-0.8.0",
        "kafka-server-stop.sh",
        kafka::server_stop,
    ),
    (
        "kafka_2.13-2.8.2",
        "kafka-server-stop.sh",
        kafka::server_stop,
    ),
];

pub fn find(program: &Program) -> Option<Tool> {
    TOOLS
        .iter()
        .find(|(dist, script, _)| *dist == program.distribution && *script == program.script)
        .map(|(_, _, tool)| *tool)
}

/// Where a script runs from: `$0` as typed, its distribution and directories.
#[derive(Clone, Debug)]
pub struct Script {
    /// `$0`, as the user typed it (`bin/zookeeper-server-start.sh`).
    pub dollar0: String,
    /// `$(dirname $0)/..` as the scripts compute it (`bin/..`).
    pub base_dir: String,
    /// The distribution's directory, absolute (`/root/kafka_2.8.0-0.8.0`).
    pub home: String,
    pub distribution: &'static Distribution,
}

impl Script {
    pub fn of(call: &Call) -> Script {
        let dollar0 = call.args[0].clone();
        let dirname = match dollar0.rfind('/') {
            Some(0) => "/".to_owned(),
            Some(i) => dollar0[..i].to_owned(),
            None => ".".to_owned(),
        };
        let cwd = call.interp.env().cwd().to_owned();
        let home = normalize(&cwd, &format!("{dirname}/.."));
        let name = home.rsplit('/').next().unwrap_or("");
        let distribution = Distribution::by_dir_name(name).unwrap_or_else(Distribution::book);
        Script {
            base_dir: format!("{dirname}/.."),
            dollar0,
            home,
            distribution,
        }
    }

    pub fn release(&self) -> Release {
        self.distribution.release
    }

    /// `java.class.path` as `kafka-run-class.sh` builds it.
    pub fn class_path(&self) -> String {
        let base = &self.base_dir;
        let libs: Vec<String> = self
            .distribution
            .files()
            .iter()
            .filter_map(|f| f.path.strip_prefix("libs/"))
            .map(|jar| format!("{base}/libs/{jar}"))
            .collect();
        match self.release() {
            Release::V0_8_0 => format!(
                ":{base}/core/target/scala-2.8.0/*.jar:{base}/perf/target/scala-2.8.0/kafka*.jar:{}:{base}/kafka_2.8.0-0.8.0.jar",
                libs.join(":")
            ),
            Release::V2_8_2 => libs.join(":"),
        }
    }

    /// `$base_dir/logs`, created as `kafka-run-class.sh` does; absolute.
    pub fn log_dir(&self, call: &Call) -> String {
        let dir = format!("{}/logs", self.home);
        let _ = call.session().fs.borrow_mut().create_dir_all(&dir);
        dir
    }
}

/// The ZooKeeper client (and server) a distribution bundles.
fn zk_version(release: Release) -> ZkVersion {
    match release {
        Release::V0_8_0 => ZkVersion::V3_3,
        Release::V2_8_2 => ZkVersion::V3_5,
    }
}

/// The java command line `kafka-run-class.sh` builds, as `ps` would show it:
/// the heap options, log4j's configuration, the class path, the class and
/// its arguments.
fn java_argv(script: &Script, heap: &[&str], class: &str, args: &[String]) -> Vec<String> {
    let mut argv: Vec<String> = vec!["java".into()];
    argv.extend(heap.iter().map(|h| (*h).to_owned()));
    argv.extend([
        "-server".into(),
        format!(
            "-Dlog4j.configuration=file:{}/config/log4j.properties",
            script.base_dir
        ),
        "-cp".into(),
        script.class_path(),
        class.into(),
    ]);
    argv.extend(args.iter().cloned());
    argv
}

/// `ps ax | grep ... | awk '{print $1}' | xargs kill -SIGNAL`: signals every
/// process of the call's host whose command line `matches`; returns whether
/// there was one.
fn signal_matching(call: &Call, matches: impl Fn(&ProcessInfo) -> bool, signal: Signal) -> bool {
    let session = call.session().clone();
    let host = session.host.clone();
    let found = {
        let mut world = session.shared.world.borrow_mut();
        let targets: Vec<_> = world
            .processes()
            .into_iter()
            .filter(|p| p.id.host == host && matches(p))
            .map(|p| p.id)
            .collect();
        for pid in &targets {
            world.signal(pid, signal);
        }
        !targets.is_empty()
    };
    session.shared.activity.bump();
    found
}

/// Takes 2.8.2's leading `-daemon` off a start script's arguments.
fn take_daemon(release: Release, args: &mut Vec<String>) -> bool {
    let daemon = release == Release::V2_8_2 && args.first().is_some_and(|a| a == "-daemon");
    if daemon {
        args.remove(0);
    }
    daemon
}

/// The JVM a script starts, as `Environment.logEnv` prints it.
fn environment(call: &Call, script: &Script) -> Environment {
    Environment {
        host_name: call.session().host.clone(),
        class_path: script.class_path(),
        user_dir: call.interp.env().cwd().to_owned(),
    }
}

/// Runs a server in the foreground as the command, or with `-daemon`
/// detached, its console appended to `console_file` (`nohup ... &`).
async fn run_server(
    call: &Call,
    daemon: bool,
    argv: Vec<String>,
    process: Box<dyn Process>,
    console_file: &str,
) -> i32 {
    if daemon {
        spawn_detached(call, argv, process, console_file);
        return 0;
    }
    run_attached(call, argv, process, false).await
}
