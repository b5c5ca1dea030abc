//! What the log writes to the broker's server.log, in each release's words.

/// A log4j level, printed as log4j prints it (`%p`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Fatal => "FATAL",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One log4j event: the broker formats it as `[time] LEVEL message (logger)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub level: Level,
    /// The logger, such as `kafka.log.Log`.
    pub logger: &'static str,
    pub message: String,
}

impl LogLine {
    pub fn new(level: Level, logger: &'static str, message: impl Into<String>) -> LogLine {
        LogLine {
            level,
            logger,
            message: message.into(),
        }
    }
}
