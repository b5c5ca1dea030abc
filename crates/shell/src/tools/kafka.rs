//! The broker's scripts of each distribution: `kafka-server-start.sh` (in
//! the foreground; 2.8.2 also `-daemon` and `--override`) runs
//! `kafka.Kafka` ([`broker::server::KafkaServer`]), and
//! `kafka-server-stop.sh` signals it — 0.8.0 with SIGINT through `xargs
//! kill` (whose usage, exit 123, is all it says when no broker runs), 2.8.2
//! with SIGTERM (`No kafka server to stop`, exit 1). BROKER-LIFECYCLE.md
//! A.1 and B.1 quote both scripts.

use broker::server::KafkaServer;
use distribution::Release;
use sim::Signal;

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
use crate::tools::{environment, java_argv, run_server, signal_matching, take_daemon, Script};

/// What procps-ng's `kill` prints when `xargs` runs it with no pid.
const KILL_USAGE: &str = "
Usage:
 kill [options] <pid> [...]

Options:
 <pid> [...]            send signal to every <pid> listed
 -<signal>, -s, --signal <signal>
                        specify the <signal> to be sent
 -q, --queue <value>    integer value to be sent with the signal
 -l, --list=[<signal>]  list all signal names, or convert one to a name
 -L, --table            list all signal names in a nice table

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see kill(1).
";

/// `bin/kafka-server-start.sh [-daemon] config/server.properties [--override k=v]*`.
pub fn server_start(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let script = Script::of(&call);
        let release = script.release();
        let mut args: Vec<String> = call.args[1..].to_vec();
        if args.is_empty() {
            let usage = match release {
                Release::V0_8_0 => format!("USAGE: {} server.properties\n", script.dollar0),
                Release::V2_8_2 => format!(
                    "USAGE: {} [-daemon] server.properties [--override property=value]*\n",
                    script.dollar0
                ),
            };
            let _ = call.out(&usage).await;
            return 1;
        }
        let daemon = take_daemon(release, &mut args);
        // kafka-run-class.sh creates $base_dir/logs. 0.8.0's log4j writes
        // `logs/server.log` relative to the JVM's working directory; 2.8.2's
        // to `-Dkafka.logs.dir=$base_dir/logs`.
        let logs = script.log_dir(&call);
        let log4j_dir = match release {
            Release::V0_8_0 => format!("{}/logs", call.interp.env().cwd()),
            Release::V2_8_2 => logs.clone(),
        };
        let server = KafkaServer::new(
            release,
            args.clone(),
            environment(&call, &script),
            &log4j_dir,
        );
        let argv = java_argv(&script, &["-Xmx1G", "-Xms1G"], "kafka.Kafka", &args);
        let console = format!("{logs}/kafkaServer.out");
        run_server(&call, daemon, argv, Box::new(server), &console).await
    })
}

/// `bin/kafka-server-stop.sh`.
pub fn server_stop(call: Call) -> LocalFuture<i32> {
    Box::pin(async move {
        let release = Script::of(&call).release();
        match release {
            Release::V0_8_0 => {
                // ps ax | grep -i 'kafka\.Kafka' | grep java | ... | xargs kill -SIGINT
                let matches = |p: &sim::ProcessInfo| {
                    let line = p.argv.join(" ");
                    line.to_lowercase().contains("kafka.kafka") && line.contains("java")
                };
                if signal_matching(&call, matches, Signal::Int) {
                    return 0;
                }
                call.err(KILL_USAGE).await;
                123
            }
            Release::V2_8_2 => {
                // ps ax | grep ' kafka\.Kafka ' | grep java | ...;
                // kill -s ${SIGNAL:-TERM}, from the script's environment.
                let signal = call
                    .interp
                    .env()
                    .vars()
                    .find(|(name, var)| *name == "SIGNAL" && var.exported)
                    .and_then(|(_, var)| Signal::from_name(&var.value))
                    .unwrap_or(Signal::Term);
                let matches = |p: &sim::ProcessInfo| {
                    let line = format!("{} ", p.argv.join(" "));
                    line.contains(" kafka.Kafka ") && line.contains("java")
                };
                if signal_matching(&call, matches, signal) {
                    return 0;
                }
                let _ = call.out("No kafka server to stop\n").await;
                1
            }
        }
    })
}
