//! Where a broker's log lines go: each release's `config/log4j.properties`
//! routes a logger to the console (the process's stdout), to
//! `logs/server.log`, or only to its own file (`controller.log`,
//! `state-change.log`, ...), at its own threshold. The routing tables are in
//! BROKER-LIFECYCLE.md §0; the line format is log4j's `[%d] %p %m (%c)%n`
//! with the world's virtual time.

use coord::jvm::log4j_line;
use distribution::Release;
use kafka_log::{Level, LogLine};
use sim::Context;

/// A file appender of `log4j.properties`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum File {
    Server,
    Controller,
    StateChange,
    Request,
    Cleaner,
    Authorizer,
}

impl File {
    fn name(self) -> &'static str {
        match self {
            File::Server => "server.log",
            File::Controller => "controller.log",
            File::StateChange => "state-change.log",
            File::Request => "kafka-request.log",
            File::Cleaner => "log-cleaner.log",
            File::Authorizer => "kafka-authorizer.log",
        }
    }
}

/// Where one logger's events go, from which level on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Route {
    threshold: Level,
    console: bool,
    file: Option<File>,
}

/// Whether `logger` is `name` or one of its children (`kafka.controller.X`).
fn under(logger: &str, name: &str) -> bool {
    logger
        .strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The log4j configuration of a broker: its release's routing, and the
/// directory its files are in.
#[derive(Clone, Debug)]
pub struct Log4j {
    release: Release,
    /// Absolute: `logs` under the working directory (0.8.0's relative
    /// `logs/server.log`) or under the installation (2.8.2's `kafka.logs.dir`).
    dir: String,
}

impl Log4j {
    pub fn new(release: Release, dir: &str) -> Log4j {
        Log4j {
            release,
            dir: dir.to_owned(),
        }
    }

    /// The routing table of BROKER-LIFECYCLE.md §0.1 (0.8.0) and §0.2 (2.8.2).
    fn route(&self, logger: &str) -> Route {
        let only = |threshold, file| Route {
            threshold,
            console: false,
            file: Some(file),
        };
        let request =
            logger == "kafka.network.RequestChannel$" || under(logger, "kafka.request.logger");
        match self.release {
            Release::V0_8_0 => {
                if under(logger, "kafka.controller") {
                    only(Level::Trace, File::Controller)
                } else if under(logger, "state.change.logger") {
                    only(Level::Trace, File::StateChange)
                } else if request {
                    only(Level::Trace, File::Request)
                } else {
                    // `log4j.logger.kafka=INFO, kafkaAppender`; everything
                    // else (ZooKeeper, zkclient) only reaches the root's stdout.
                    Route {
                        threshold: Level::Info,
                        console: true,
                        file: under(logger, "kafka").then_some(File::Server),
                    }
                }
            }
            Release::V2_8_2 => {
                if under(logger, "kafka.controller") {
                    only(Level::Trace, File::Controller)
                } else if under(logger, "state.change.logger") {
                    only(Level::Info, File::StateChange)
                } else if under(logger, "kafka.log.LogCleaner") {
                    only(Level::Info, File::Cleaner)
                } else if request {
                    only(Level::Warn, File::Request)
                } else if under(logger, "kafka.authorizer.logger") {
                    only(Level::Info, File::Authorizer)
                } else {
                    Route {
                        threshold: Level::Info,
                        console: true,
                        file: Some(File::Server),
                    }
                }
            }
        }
    }

    /// Logs one event, with the stack trace printed after it (each line
    /// ending in `\n`, or empty).
    pub fn event(
        &self,
        ctx: &mut Context<'_>,
        level: Level,
        logger: &str,
        message: &str,
        trace: &str,
    ) {
        let route = self.route(logger);
        if level < route.threshold {
            return;
        }
        let mut text = log4j_line(ctx.now(), level.name(), message, logger);
        text.push_str(trace);
        if route.console {
            ctx.stdout(&text);
        }
        if let Some(file) = route.file {
            self.append(ctx, file, &text);
        }
    }

    pub fn log(&self, ctx: &mut Context<'_>, level: Level, logger: &str, message: &str) {
        self.event(ctx, level, logger, message, "");
    }

    pub fn info(&self, ctx: &mut Context<'_>, logger: &str, message: &str) {
        self.event(ctx, Level::Info, logger, message, "");
    }

    /// A line another module built (the log manager's, the config's).
    pub fn line(&self, ctx: &mut Context<'_>, line: &LogLine) {
        self.event(ctx, line.level, line.logger, &line.message, "");
    }

    /// log4j's `FileAppender` creates the file, and its directory, on first use.
    fn append(&self, ctx: &mut Context<'_>, file: File, text: &str) {
        let fs = ctx.fs();
        let mut fs = fs.borrow_mut();
        let _ = fs.create_dir_all(&self.dir);
        let _ = fs.append(&format!("{}/{}", self.dir, file.name()), text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_release_routes_as_its_log4j_properties() {
        let old = Log4j::new(Release::V0_8_0, "/k/logs");
        let new = Log4j::new(Release::V2_8_2, "/k/logs");
        let console_and_server = Route {
            threshold: Level::Info,
            console: true,
            file: Some(File::Server),
        };
        assert_eq!(old.route("kafka.server.KafkaServer"), console_and_server);
        assert_eq!(new.route("kafka.server.KafkaServer"), console_and_server);
        // 0.8.0's root logger has only the console.
        assert_eq!(
            old.route("org.apache.zookeeper.ZooKeeper"),
            Route {
                threshold: Level::Info,
                console: true,
                file: None
            }
        );
        assert_eq!(
            new.route("org.apache.zookeeper.ZooKeeper"),
            console_and_server
        );
        for log in [&old, &new] {
            let controller = log.route("kafka.controller.KafkaController");
            assert_eq!(
                (controller.console, controller.file),
                (false, Some(File::Controller))
            );
            assert_eq!(controller.threshold, Level::Trace);
        }
        // Not a child of kafka.controller.
        assert_eq!(old.route("kafka.controllers"), console_and_server);
        assert_eq!(new.route("state.change.logger").threshold, Level::Info);
        assert_eq!(old.route("state.change.logger").threshold, Level::Trace);
        assert_eq!(new.route("kafka.log.LogCleaner").file, Some(File::Cleaner));
        assert_eq!(old.route("kafka.log.LogCleaner"), console_and_server);
    }
}
