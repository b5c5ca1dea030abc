//! The exception a broker dies of when its configuration is wrong, the log
//! lines it prints, and what `kafka.Kafka.main` of each release does with
//! the exception.

use std::fmt;

use distribution::Release;

pub use kafka_log::{Level, LogLine};

/// A Java exception thrown while the broker reads its configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The exception's class, fully qualified
    /// (`org.apache.kafka.common.config.ConfigException`).
    pub class: &'static str,
    /// `getMessage()`; `None` for an exception without one.
    pub message: Option<String>,
    /// The exception it wraps (`Caused by:`), if any.
    pub cause: Option<Box<ConfigError>>,
}

pub(crate) const CONFIG_EXCEPTION: &str = "org.apache.kafka.common.config.ConfigException";
pub(crate) const ILLEGAL_ARGUMENT: &str = "java.lang.IllegalArgumentException";
pub(crate) const NUMBER_FORMAT: &str = "java.lang.NumberFormatException";

impl ConfigError {
    pub fn new(class: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            class,
            message: Some(message.into()),
            cause: None,
        }
    }

    /// 2.8.2's `new ConfigException(message)`.
    pub(crate) fn config(message: impl Into<String>) -> ConfigError {
        ConfigError::new(CONFIG_EXCEPTION, message)
    }

    /// 2.8.2's `new ConfigException(name, value, message)`.
    pub(crate) fn invalid(name: &str, value: &str, message: &str) -> ConfigError {
        ConfigError::config(format!(
            "Invalid value {value} for configuration {name}: {message}"
        ))
    }

    /// Scala's `require(false, message)`.
    pub(crate) fn requirement(message: impl fmt::Display) -> ConfigError {
        ConfigError::new(ILLEGAL_ARGUMENT, format!("requirement failed: {message}"))
    }

    pub(crate) fn number_format(input: &str) -> ConfigError {
        ConfigError::new(NUMBER_FORMAT, super::java::for_input_string(input))
    }

    /// The exception `Utils.loadProps(path)` throws when the file cannot be
    /// read, which `Kafka.main` handles like a bad value.
    ///
    /// - 0.8.0 opens `new FileInputStream(path)` (`Utils.scala` @0.8.0 line
    ///   164): `java.io.FileNotFoundException: <path> (No such file or
    ///   directory)`, `(Is a directory)`, `(Permission denied)`.
    /// - 2.8.2 opens `Files.newInputStream(Paths.get(path))` (`Utils.java`
    ///   @2.8.2 line 665): `java.nio.file.NoSuchFileException: <path>`,
    ///   `java.nio.file.AccessDeniedException: <path>`; a directory opens,
    ///   and the first read fails: `java.io.IOException: Is a directory`.
    pub fn unreadable_file(release: Release, path: &str, problem: FileProblem) -> ConfigError {
        match release {
            Release::V0_8_0 => {
                let reason = match problem {
                    FileProblem::NotFound => "No such file or directory",
                    FileProblem::IsADirectory => "Is a directory",
                    FileProblem::PermissionDenied => "Permission denied",
                };
                ConfigError::new(
                    "java.io.FileNotFoundException",
                    format!("{path} ({reason})"),
                )
            }
            Release::V2_8_2 => match problem {
                FileProblem::NotFound => {
                    ConfigError::new("java.nio.file.NoSuchFileException", path)
                }
                FileProblem::IsADirectory => {
                    ConfigError::new("java.io.IOException", "Is a directory")
                }
                FileProblem::PermissionDenied => {
                    ConfigError::new("java.nio.file.AccessDeniedException", path)
                }
            },
        }
    }

    pub(crate) fn caused_by(mut self, cause: ConfigError) -> ConfigError {
        self.cause = Some(Box::new(cause));
        self
    }

    /// The lines a stack trace starts with: `Throwable.toString()`, and a
    /// `Caused by: …` line for each wrapped exception (log4j prints the
    /// stack frames between them, which are not modelled).
    pub fn throwable_lines(&self) -> Vec<String> {
        let mut lines = vec![self.to_string()];
        let mut cause = self.cause.as_deref();
        while let Some(c) = cause {
            lines.push(format!("Caused by: {c}"));
            cause = c.cause.as_deref();
        }
        lines
    }

    /// What `kafka.Kafka.main` of `release` prints when this exception
    /// escapes, and how the process exits.
    ///
    /// - 0.8.0 (`core/src/main/scala/kafka/Kafka.scala` @0.8.0 lines 49-52):
    ///   `catch { case e: Throwable => fatal(e) }` then `System.exit(0)`:
    ///   `Logging.fatal(e)` is `logger.fatal(logIdent, e)` with an empty
    ///   `logIdent`, so the record is `FATAL  (kafka.Kafka$)` with an empty
    ///   message, followed by the stack trace; the exit status is **0**.
    /// - 2.8.2 (`Kafka.scala` @2.8.2 lines 119-122):
    ///   `fatal("Exiting Kafka due to fatal exception", e)` then
    ///   `Exit.exit(1)`; 2.8.2's `Logging.fatal` logs at ERROR with a FATAL
    ///   marker that log4j 1 does not print, so the record is
    ///   `ERROR Exiting Kafka due to fatal exception (kafka.Kafka$)`.
    pub fn fatal_lines(&self, release: Release) -> FatalLines {
        let (record, exit_code) = match release {
            Release::V0_8_0 => (LogLine::new(Level::Fatal, KAFKA_MAIN_LOGGER, ""), 0),
            Release::V2_8_2 => (
                LogLine::new(
                    Level::Error,
                    KAFKA_MAIN_LOGGER,
                    "Exiting Kafka due to fatal exception",
                ),
                1,
            ),
        };
        FatalLines {
            record,
            throwable: self.throwable_lines(),
            exit_code,
        }
    }
}

/// Scala's `require(ok, message)`.
pub(crate) fn require(ok: bool, message: impl FnOnce() -> String) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::requirement(message()))
    }
}

/// Why the properties file named on the command line cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    IsADirectory,
    PermissionDenied,
}

/// The logger of `object Kafka` in both releases.
pub const KAFKA_MAIN_LOGGER: &str = "kafka.Kafka$";

impl fmt::Display for ConfigError {
    /// `Throwable.toString()`: the class name, then `: message` if any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// What a broker prints as it dies of a [`ConfigError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FatalLines {
    /// The log record `Kafka.main` writes.
    pub record: LogLine,
    /// The lines log4j prints after the record: the exception and its
    /// causes (the `\tat …` stack frames are not modelled).
    pub throwable: Vec<String>,
    /// The JVM's exit status.
    pub exit_code: i32,
}
