//! The Kafka distributions a person downloads and unpacks in their home directory.
//!
//! Each [`Distribution`] lists the files of one release's binary tarball:
//! `bin/` (the scripts, as the playground's own stand-ins naming the Java class
//! each real script runs), `config/` (each release's settings; the files that
//! `shared/distributions.md` quotes are verbatim) and the names of `libs/`.
//! This crate is data only: the shell puts these files into each host's home
//! directory, and the tools decide by [`Release`] what a command prints.

use std::fmt;

/// The Kafka releases the playground ships, oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Release {
    /// Kafka 0.8.0 for Scala 2.8.0: the book's release.
    V0_8_0,
    /// Kafka 2.8.2 for Scala 2.13: the last release whose tools still take `--zookeeper`.
    V2_8_2,
}

impl Release {
    pub fn version(self) -> &'static str {
        match self {
            Release::V0_8_0 => "0.8.0",
            Release::V2_8_2 => "2.8.2",
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version())
    }
}

/// What the playground holds of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    Text(&'static str),
    /// A binary of the real distribution (a jar, an archive) that the playground
    /// names but does not carry.
    NotStored,
}

/// One file of a distribution, by its path inside the unpacked directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistFile {
    pub path: &'static str,
    pub content: Content,
    pub executable: bool,
}

/// One unpacked release, such as `kafka_2.8.0-0.8.0`.
#[derive(Clone, Copy, Debug)]
pub struct Distribution {
    pub dir_name: &'static str,
    pub release: Release,
    files: &'static [DistFile],
    classes: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/files.rs"));

static ALL: [Distribution; 2] = [
    Distribution {
        dir_name: "kafka_2.8.0-0.8.0",
        release: Release::V0_8_0,
        files: KAFKA_2_8_0_0_8_0,
        classes: KAFKA_2_8_0_0_8_0_CLASSES,
    },
    Distribution {
        dir_name: "kafka_2.13-2.8.2",
        release: Release::V2_8_2,
        files: KAFKA_2_13_2_8_2,
        classes: KAFKA_2_13_2_8_2_CLASSES,
    },
];

impl Distribution {
    /// Every distribution, oldest release first.
    pub fn all() -> &'static [Distribution] {
        &ALL
    }

    /// The distribution a fresh terminal starts in: the book's Kafka 0.8.0.
    pub fn book() -> &'static Distribution {
        &ALL[0]
    }

    pub fn by_dir_name(name: &str) -> Option<&'static Distribution> {
        ALL.iter().find(|d| d.dir_name == name)
    }

    pub fn files(&self) -> &'static [DistFile] {
        self.files
    }

    pub fn file(&self, path: &str) -> Option<&'static DistFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The Java main class that `bin/<script>` runs, where it runs one.
    pub fn script_class(&self, script: &str) -> Option<&'static str> {
        self.classes_row(script)
            .map(|(class, _)| class)
            .filter(|c| *c != "-")
    }

    /// The usage line the real script prints when called without arguments.
    pub fn script_usage(&self, script: &str) -> Option<&'static str> {
        self.classes_row(script)
            .map(|(_, usage)| usage)
            .filter(|u| *u != "-")
    }

    fn classes_row(&self, script: &str) -> Option<(&'static str, &'static str)> {
        self.classes.lines().find_map(|line| {
            let mut cols = line.split('\t');
            (cols.next()? == script)
                .then(|| (cols.next().unwrap_or("-"), cols.next().unwrap_or("-")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_under(dist: &Distribution, dir: &str) -> Vec<&'static str> {
        dist.files()
            .iter()
            .filter_map(|f| f.path.strip_prefix(dir))
            .filter(|rest| !rest.contains('/'))
            .collect()
    }

    fn text(d: &Distribution, path: &str) -> &'static str {
        match d.file(path).unwrap().content {
            Content::Text(t) => t,
            Content::NotStored => panic!("{path} has no text"),
        }
    }

    #[test]
    fn book_release_has_the_0_8_0_scripts_and_no_kafka_topics() {
        let book = Distribution::book();
        assert_eq!(book.dir_name, "kafka_2.8.0-0.8.0");
        let bin = names_under(book, "bin/");
        assert_eq!(bin.len(), 19, "{bin:?}");
        assert!(bin.contains(&"kafka-create-topic.sh"));
        assert!(bin.contains(&"kafka-list-topic.sh"));
        assert!(!bin.contains(&"kafka-topics.sh"));
        assert_eq!(names_under(book, "bin/windows/").len(), 7);
        assert!(book.file("kafka_2.8.0-0.8.0.jar").is_some());
        assert!(book.file("libs/zookeeper-3.3.4.jar").is_some());
    }

    #[test]
    fn release_2_8_2_has_kafka_topics_and_kraft_configs() {
        let d = Distribution::by_dir_name("kafka_2.13-2.8.2").unwrap();
        let bin = names_under(d, "bin/");
        assert_eq!(bin.len(), 36);
        assert!(bin.contains(&"kafka-topics.sh"));
        assert!(d.file("config/kraft/server.properties").is_some());
        assert!(d.file("site-docs/kafka_2.13-2.8.2-site-docs.tgz").is_some());
        assert!(text(d, "NOTICE").contains("Copyright 2021"));
        assert!(text(d, "LICENSE").contains("Apache License"));
    }

    #[test]
    fn server_properties_carry_each_release_defaults() {
        let old = text(Distribution::book(), "config/server.properties");
        assert!(old.contains("\nnum.partitions=2\n"));
        assert!(old.contains("\nport=9092\n"));
        assert!(old.contains("\nlog.segment.bytes=536870912\n"));
        let new = text(
            Distribution::by_dir_name("kafka_2.13-2.8.2").unwrap(),
            "config/server.properties",
        );
        assert!(new.contains("\nnum.partitions=1\n"));
        assert!(new.contains("\nzookeeper.connection.timeout.ms=18000\n"));
    }

    #[test]
    fn scripts_name_their_main_class() {
        let book = Distribution::book();
        assert_eq!(
            book.script_class("kafka-server-start.sh"),
            Some("kafka.Kafka")
        );
        assert_eq!(
            book.script_class("kafka-create-topic.sh"),
            Some("kafka.admin.CreateTopicCommand")
        );
        assert_eq!(
            book.script_usage("kafka-server-start.sh"),
            Some("USAGE: $0 server.properties")
        );
        assert_eq!(book.script_class("kafka-server-stop.sh"), None);
        for d in Distribution::all() {
            for f in d.files().iter().filter(|f| f.executable) {
                assert!(
                    f.path.starts_with("bin/") && f.path.ends_with(".sh"),
                    "{}",
                    f.path
                );
                let Content::Text(text) = f.content else {
                    panic!("{} has no text", f.path)
                };
                assert!(text.starts_with("#!/bin/bash\n"), "{}", f.path);
            }
        }
    }
}
