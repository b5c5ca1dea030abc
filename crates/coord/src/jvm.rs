//! The Java process a ZooKeeper (or Kafka) server runs as, as its logs show
//! it: the `Server environment:` / `Client environment:` lines, and log4j's
//! console line format.

use sim::SimTime;

use crate::ZkVersion;

/// The system properties `Environment.logEnv` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    pub host_name: String,
    pub class_path: String,
    /// `user.dir`: where the script was started.
    pub user_dir: String,
}

impl Environment {
    /// The JVM of the playground's hosts: a Java 8 that runs both Kafka 0.8.0
    /// (whose scripts fail on Java 9+) and 2.8.2.
    pub const JAVA_VERSION: &'static str = "1.8.0_202";
    pub const JAVA_VENDOR: &'static str = "Oracle Corporation";
    pub const JAVA_HOME: &'static str = "/usr/lib/jvm/java-8-oracle/jre";
    pub const OS_VERSION: &'static str = "4.15.0-20-generic";

    /// `key=value` lines in `Environment.list()` order (3.5 adds memory),
    /// for a ZooKeeper server's JVM (`-Xmx512M`).
    pub fn entries(&self, version: ZkVersion, zookeeper_version: &str) -> Vec<(String, String)> {
        self.entries_for_heap(version, zookeeper_version, 512)
    }

    /// The same for a JVM started with `-Xmx<max_heap_mb>M` (a broker: 1024).
    pub fn entries_for_heap(
        &self,
        version: ZkVersion,
        zookeeper_version: &str,
        max_heap_mb: u32,
    ) -> Vec<(String, String)> {
        let mut out = vec![
            ("zookeeper.version", zookeeper_version.to_owned()),
            ("host.name", self.host_name.clone()),
            ("java.version", Self::JAVA_VERSION.to_owned()),
            ("java.vendor", Self::JAVA_VENDOR.to_owned()),
            ("java.home", Self::JAVA_HOME.to_owned()),
            ("java.class.path", self.class_path.clone()),
            (
                "java.library.path",
                "/usr/java/packages/lib/amd64:/usr/lib64:/lib64:/lib:/usr/lib".to_owned(),
            ),
            ("java.io.tmpdir", "/tmp".to_owned()),
            ("java.compiler", "<NA>".to_owned()),
            ("os.name", "Linux".to_owned()),
            ("os.arch", "amd64".to_owned()),
            ("os.version", Self::OS_VERSION.to_owned()),
            ("user.name", "root".to_owned()),
            ("user.home", "/root".to_owned()),
            ("user.dir", self.user_dir.clone()),
        ];
        if version >= ZkVersion::V3_5 {
            // What a young JVM has used of its heap: 19 MB.
            let free = max_heap_mb.saturating_sub(19);
            out.push(("os.memory.free", format!("{free}MB")));
            out.push(("os.memory.max", format!("{max_heap_mb}MB")));
            out.push(("os.memory.total", format!("{max_heap_mb}MB")));
        }
        out.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// The `zookeeper.version` each bundled jar reports (3.3.4's jar says 3.3.3:
/// it was built just before the version bump).
pub fn zookeeper_version(version: ZkVersion) -> &'static str {
    match version {
        ZkVersion::V3_3 => "3.3.3-1203054, built on 11/17/2011 05:47 GMT",
        ZkVersion::V3_5 => {
            "3.5.9-83df9301aa5c2a5d284a9940177808c01bc35cef, built on 01/06/2021 20:03 GMT"
        }
    }
}

/// log4j's console pattern of both Kafka releases: `[%d] %p %m (%c)%n`.
pub fn log4j_line(now: SimTime, level: &str, message: &str, logger: &str) -> String {
    format!("[{}] {level} {message} ({logger})\n", now.log4j())
}
