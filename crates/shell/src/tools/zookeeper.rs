//! The ZooKeeper scripts of each distribution: `zookeeper-server-start.sh`
//! (in the foreground; 2.8.2 also `-daemon`), `zookeeper-server-stop.sh`
//! and `zookeeper-shell.sh`, with each release's usage lines and exit codes.

use coord::cli::ZooKeeperMain;
use coord::server::QuorumPeerMain;
use distribution::Release;
use sim::Signal;

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
use crate::exec::process::run_attached;
use crate::tools::{
    environment, java_argv, run_server, signal_matching, take_daemon, zk_version, Script,
};

/// `bin/zookeeper-server-start.sh [-daemon] config/zookeeper.properties`.
pub fn server_start(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let script = Script::of(&call);
        let release = script.release();
        let mut args: Vec<String> = call.args[1..].to_vec();
        let usage_ok = match release {
            Release::V0_8_0 => args.len() == 1,
            Release::V2_8_2 => !args.is_empty(),
        };
        if !usage_ok {
            let usage = match release {
                Release::V0_8_0 => format!("USAGE: {} zookeeper.properties\n", script.dollar0),
                Release::V2_8_2 => {
                    format!("USAGE: {} [-daemon] zookeeper.properties\n", script.dollar0)
                }
            };
            let _ = call.out(&usage).await;
            return 1;
        }
        let daemon = take_daemon(release, &mut args);
        let logs = script.log_dir(&call);
        let env = environment(&call, &script);
        // 2.8.2's log4j also writes the server's lines to logs/server.log.
        let log_file = (release == Release::V2_8_2).then(|| format!("{logs}/server.log"));
        let server = QuorumPeerMain::new(zk_version(release), args.clone(), env, log_file);
        let argv = java_argv(
            &script,
            &["-Xmx512M"],
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            &args,
        );
        let console = format!("{logs}/zookeeper.out");
        run_server(&call, daemon, argv, Box::new(server), &console).await
    })
}

/// `bin/zookeeper-server-stop.sh`: 0.8.0 interrupts every process whose
/// command line mentions zookeeper (Kafka's own JVMs too: their class path
/// holds the zookeeper jar); 2.8.2 terminates `QuorumPeerMain`.
pub fn server_stop(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let script = Script::of(&call);
        let release = script.release();
        let signal = match release {
            Release::V0_8_0 => Signal::Int,
            Release::V2_8_2 => Signal::Term,
        };
        let stopped = signal_matching(
            &call,
            |p| {
                let line = p.argv.join(" ").to_lowercase();
                match release {
                    Release::V0_8_0 => line.contains("zookeeper"),
                    Release::V2_8_2 => line.contains("java") && line.contains("quorumpeermain"),
                }
            },
            signal,
        );
        if !stopped && release == Release::V2_8_2 {
            let _ = call.out("No zookeeper server to stop\n").await;
            return 1;
        }
        0
    })
}

/// `bin/zookeeper-shell.sh host:port [command...]`.
pub fn shell(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let script = Script::of(&call);
        let release = script.release();
        let args: Vec<String> = call.args[1..].to_vec();
        let usage_ok = match release {
            Release::V0_8_0 => args.len() == 1,
            Release::V2_8_2 => !args.is_empty(),
        };
        if !usage_ok {
            let usage = match release {
                Release::V0_8_0 => {
                    format!("USAGE: {} zookeeper_host:port[/path]\n", script.dollar0)
                }
                Release::V2_8_2 => format!(
                    "USAGE: {} zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]\n",
                    script.dollar0
                ),
            };
            let _ = call.out(&usage).await;
            return 1;
        }
        let class = match release {
            Release::V0_8_0 => "org.apache.zookeeper.ZooKeeperMain",
            Release::V2_8_2 => "org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka",
        };
        let mut java_args = vec!["-server".to_owned()];
        java_args.extend(args.iter().cloned());
        let argv = java_argv(&script, &["-Xmx256M"], class, &java_args);
        let cli = ZooKeeperMain::new(zk_version(release), &args[0], args[1..].to_vec());
        run_attached(&call, argv, Box::new(cli), true).await
    })
}
