//! The command line of `kafka.Kafka`, the class `kafka-server-start.sh` runs
//! (the script passes its arguments through, after taking `-daemon` in
//! 2.8.2).
//!
//! - 0.8.0 (`core/src/main/scala/kafka/Kafka.scala` @0.8.0 lines 28-31):
//!   exactly one argument, else `USAGE: java [options] KafkaServer
//!   server.properties` on stdout and exit 1.
//! - 2.8.2 (`Kafka.getPropsFromArgs`, `Kafka.scala` @2.8.2 lines 32-64): no
//!   argument or `--help` anywhere prints the usage and jopt-simple's option
//!   help on stderr, exit 1; `--version` anywhere prints the version, exit 0;
//!   the first argument is the file; the others are parsed by jopt-simple
//!   5.0.4 (`new OptionParser(false)`: no abbreviations) as
//!   `--override property=value`.

use distribution::Release;

use super::error::ConfigError;

/// What `kafka.Kafka` makes of a valid command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaArgs {
    /// The properties file, as given (`args(0)`).
    pub config_path: String,
    /// The `--override` pairs, in order (a later pair for the same key wins).
    pub overrides: Vec<(String, String)>,
}

/// Where a text goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A command line `kafka.Kafka` does not run a broker with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsageError {
    /// Text printed, then the JVM exits: usage (exit 1) or `--version`
    /// (exit 0).
    Exit {
        stream: Stream,
        text: String,
        exit_code: i32,
        /// 2.8.2 reads the properties file (`Utils.loadProps(args(0))`)
        /// before it parses the overrides: when this is true, a file that
        /// cannot be read fails first, and this error is never seen.
        after_file_read: bool,
    },
    /// jopt-simple threw while parsing the overrides: `Kafka.main` catches
    /// it like any other exception ([`ConfigError::fatal_lines`]). Always
    /// after the file was read.
    Fatal(ConfigError),
}

impl UsageError {
    pub fn exit_code(&self) -> i32 {
        match self {
            UsageError::Exit { exit_code, .. } => *exit_code,
            UsageError::Fatal(e) => e.fatal_lines(Release::V2_8_2).exit_code,
        }
    }
}

/// 2.8.2's `VersionInfo.getVersionString`: the version and the first 16 hex
/// digits of the release commit (`git rev-parse 2.8.2` is
/// 3146c6ff4a24cc24d6039037e99edc8930d1958a; build.gradle's
/// `determineCommitId` takes 16).
pub const VERSION_2_8_2: &str = "2.8.2 (Commit:3146c6ff4a24cc24)";

/// Reads `args` (the arguments after the class name) as `release`'s
/// `kafka.Kafka.main` does.
pub fn parse_args(release: Release, args: &[String]) -> Result<KafkaArgs, UsageError> {
    match release {
        Release::V0_8_0 => {
            if args.len() != 1 {
                return Err(UsageError::Exit {
                    stream: Stream::Stdout,
                    text: "USAGE: java [options] KafkaServer server.properties\n".to_owned(),
                    exit_code: 1,
                    after_file_read: false,
                });
            }
            Ok(KafkaArgs {
                config_path: args[0].clone(),
                overrides: Vec::new(),
            })
        }
        Release::V2_8_2 => parse_2_8_2(args),
    }
}

/// `this.getClass.getCanonicalName.split('$').head` of `object Kafka`.
const USAGE_2_8_2: &str =
    "USAGE: java [options] kafka.Kafka server.properties [--override property=value]*";

fn usage_and_die(message: &str, after_file_read: bool) -> UsageError {
    // CommandLineUtils.printUsageAndDie: the message, then the option help.
    UsageError::Exit {
        stream: Stream::Stderr,
        text: format!("{message}\n{}", option_help()),
        exit_code: 1,
        after_file_read,
    }
}

fn parse_2_8_2(args: &[String]) -> Result<KafkaArgs, UsageError> {
    if args.is_empty() || args.iter().any(|a| a == "--help") {
        return Err(usage_and_die(USAGE_2_8_2, false));
    }
    if args.iter().any(|a| a == "--version") {
        return Err(UsageError::Exit {
            stream: Stream::Stdout,
            text: format!("{VERSION_2_8_2}\n"),
            exit_code: 0,
            after_file_read: false,
        });
    }
    let config_path = args[0].clone();
    let mut values: Vec<String> = Vec::new();
    let mut non_options: Vec<String> = Vec::new();
    let mut rest = args[1..].iter();
    let mut options_done = false;
    while let Some(arg) = rest.next() {
        if options_done || !arg.starts_with('-') || arg == "-" {
            non_options.push(arg.clone());
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        // `--name[=value]`, or `-name[=value]` when `name` is an option.
        let body = arg.strip_prefix("--").unwrap_or(&arg[1..]);
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        match name {
            "override" => match inline {
                Some(v) => values.push(v.to_owned()),
                None => match rest.next() {
                    Some(v) => values.push(v.clone()),
                    None => {
                        return Err(UsageError::Fatal(ConfigError::new(
                            "joptsimple.OptionMissingRequiredArgumentException",
                            "Option override requires an argument",
                        )))
                    }
                },
            },
            "version" => {}
            _ => {
                // A short token that is no option is a cluster of one-char
                // options: its first char is the unrecognized one.
                let unknown = if arg.starts_with("--") {
                    name.to_owned()
                } else {
                    body.chars().next().map(String::from).unwrap_or_default()
                };
                return Err(UsageError::Fatal(ConfigError::new(
                    "joptsimple.UnrecognizedOptionException",
                    format!("{unknown} is not a recognized option"),
                )));
            }
        }
    }
    if !non_options.is_empty() {
        return Err(usage_and_die(
            &format!("Found non argument parameters: {}", non_options.join(",")),
            true,
        ));
    }
    Ok(KafkaArgs {
        config_path,
        overrides: values.iter().map(|v| key_value(v)).collect(),
    })
}

/// `CommandLineUtils.parseKeyValueArgs(…, acceptMissingValue = true)`:
/// split at the first `=`; no value means the empty string. Nothing is
/// trimmed.
fn key_value(arg: &str) -> (String, String) {
    match arg.split_once('=') {
        Some((k, v)) => (k.to_owned(), v.to_owned()),
        None => (arg.to_owned(), String::new()),
    }
}

/// jopt-simple 5.0.4's `BuiltinHelpFormatter` (80 columns, 2 between them)
/// for `kafka.Kafka`'s two options: rows sorted by option name, the option
/// column as wide as its widest entry (at most 39), the description column
/// wrapped at word boundaries to what is left of 80, continuation lines
/// indented by two; every row padded with blanks to both columns' width.
pub fn option_help() -> String {
    let rows = [
        ("Option", "Description"),
        ("------", "-----------"),
        (
            "--override <String>",
            "Optional property that should override values set in server.properties file",
        ),
        ("--version", "Print version information and exit."),
    ];
    const OVERALL: usize = 80;
    const SEPARATOR: usize = 2;
    let option_width = rows
        .iter()
        .map(|(o, _)| o.len())
        .max()
        .unwrap_or(0)
        .min((OVERALL - SEPARATOR) / 2);
    let widest_description = rows.iter().map(|(_, d)| d.len()).max().unwrap_or(0);
    let description_width = widest_description.min(OVERALL - option_width - SEPARATOR);
    let mut fitted: Vec<(String, String)> = Vec::new();
    for (option, description) in rows {
        let pieces = wrap(description, description_width);
        for (i, piece) in pieces.into_iter().enumerate() {
            let option = if i == 0 {
                option.to_owned()
            } else {
                String::new()
            };
            fitted.push((option, piece));
        }
    }
    // Rows.fitToWidth re-measures the fitted rows.
    let option_width = fitted.iter().map(|(o, _)| o.len()).max().unwrap_or(0);
    let description_width = fitted.iter().map(|(_, d)| d.len()).max().unwrap_or(0);
    fitted
        .iter()
        .map(|(o, d)| {
            format!(
                "{o:<option_width$}{}{d:<description_width$}\n",
                " ".repeat(SEPARATOR)
            )
        })
        .collect()
}

/// `Columns.piecesOfEmbeddedLine`: words (with their trailing blank) fill a
/// piece up to `width`; a piece is cut with its trailing blanks removed, and
/// the next starts indented by two.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for word in text.split_inclusive(' ') {
        if piece.len() + word.len() > width {
            pieces.push(piece.trim_end().to_owned());
            piece = format!("  {word}");
        } else {
            piece.push_str(word);
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_jopt_simple_layout() {
        let help = option_help();
        let lines: Vec<&str> = help.lines().collect();
        assert_eq!(
            lines,
            [
                "Option               Description                                         ",
                "------               -----------                                         ",
                "--override <String>  Optional property that should override values set in",
                "                       server.properties file                            ",
                "--version            Print version information and exit.                 ",
            ]
        );
    }
}
