//! The Kafka command-line tools, looked up by the distribution and script a
//! command runs from. The tools arrive issue by issue; a script whose tool is
//! not here answers `NAME: not yet available in this playground` (exit 127).

mod zookeeper;

use distribution::{Distribution, Release};

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
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
