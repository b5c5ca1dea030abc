//! `kplay`: the playground's terminal on the command line.
//!
//! With stdin not a terminal, it reads lines as if typed one by one into the
//! web terminal and prints what the terminal shows, without escape sequences
//! (a line that is exactly `^C` or `^D` sends that key). Before each line the
//! world settles: it runs until no event is due within `--settle-ms` of
//! virtual time. With stdin a terminal, it is an interactive shell whose
//! virtual time follows the wall clock.

mod check;
mod interactive;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use shell::transcript::TypedSession;
use shell::PlaygroundConfig;
use sim::SimTime;

#[derive(Parser, Debug)]
#[command(
    name = "kplay",
    version,
    about = "Kafka Playground on the command line: the web terminal's shell, natively"
)]
struct Cli {
    /// Seed of the world's randomness: same seed and same input, same output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Virtual time at which the world starts (RFC 3339).
    #[arg(long, default_value = "2013-10-01T00:00:00Z", value_parser = SimTime::parse_rfc3339)]
    start_time: SimTime,
    /// Before reading the next line, run until no event is due within this many ms of virtual time.
    #[arg(long, default_value_t = 100)]
    settle_ms: u64,
    /// Host the terminal is opened on.
    #[arg(long, default_value = "kafka-1")]
    host: String,
    /// Terminal width when stdin is not a terminal.
    #[arg(long, default_value_t = shell::transcript::DEFAULT_COLS)]
    cols: u16,
    /// Terminal height when stdin is not a terminal.
    #[arg(long, default_value_t = shell::transcript::DEFAULT_ROWS)]
    rows: u16,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Runs the replication model over many seeds and checks what the release promises.
    Sim {
        /// How many seeds.
        #[arg(long, default_value_t = 1000)]
        seeds: u64,
        /// The first seed.
        #[arg(long, default_value_t = 0)]
        from: u64,
        /// The Kafka release whose brokers and controller run: 0.8.0 or 2.8.2.
        #[arg(long, default_value = "2.8.2", value_parser = parse_release)]
        release: distribution::Release,
        /// Prints each run's faults and elections as they happened.
        #[arg(long)]
        trace: bool,
    },
}

fn parse_release(text: &str) -> Result<distribution::Release, String> {
    match text {
        "0.8.0" => Ok(distribution::Release::V0_8_0),
        "2.8.2" => Ok(distribution::Release::V2_8_2),
        other => Err(format!("unknown release {other} (0.8.0 or 2.8.2)")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Sim {
        seeds,
        from,
        release,
        trace,
    }) = cli.command
    {
        return ExitCode::from(check::main(release, from, seeds, trace).clamp(0, 255) as u8);
    }
    let config = PlaygroundConfig {
        seed: cli.seed,
        start_time: cli.start_time,
    };
    let status = if std::io::stdin().is_terminal() {
        interactive::run(config, &cli.host)
    } else {
        run_typed_lines(config, &cli)
    };
    match status {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("kplay: {e}");
            ExitCode::from(1)
        }
    }
}

/// Types each line of stdin into the terminal and prints the screen as plain text.
fn run_typed_lines(config: PlaygroundConfig, cli: &Cli) -> Result<i32, String> {
    let settle = Duration::from_millis(cli.settle_ms);
    let mut session = TypedSession::new(config, &cli.host, settle, cli.cols, cli.rows)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        let screen = session.type_line(&line);
        if let Err(e) = out.write_all(screen.as_bytes()).and_then(|_| out.flush()) {
            return write_failed(e);
        }
        if let Some(code) = session.exit_status() {
            return Ok(code);
        }
    }
    let rest = session.partial_line();
    if let Err(e) = writeln!(out, "{rest}") {
        return write_failed(e);
    }
    Ok(0)
}

/// A reader that went away (`kplay < script | head`) ends kplay quietly, as SIGPIPE would.
fn write_failed(e: std::io::Error) -> Result<i32, String> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(141)
    } else {
        Err(format!("writing stdout: {e}"))
    }
}
