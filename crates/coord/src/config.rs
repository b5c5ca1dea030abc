//! `QuorumPeerConfig`: a server's `zookeeper.properties` (or `zoo.cfg`),
//! read as `java.util.Properties` and checked with the words each release
//! uses when it refuses one.

use std::collections::BTreeMap;

use crate::ZkVersion;

/// `ZooKeeperServer.DEFAULT_TICK_TIME`: Kafka's file sets none.
pub const DEFAULT_TICK_TIME_MS: i64 = 3000;

/// One `server.N=host:quorumPort:electionPort` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuorumServer {
    pub id: i64,
    pub host: String,
    pub quorum_port: u16,
    pub election_port: u16,
    /// 3.5's `;clientPort` (or `;host:port`) suffix.
    pub client_port: Option<u16>,
}

/// A server's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    pub version: ZkVersion,
    /// The file as the user named it (`config/zookeeper.properties`).
    pub path: String,
    pub tick_time_ms: i64,
    pub data_dir: String,
    pub data_log_dir: Option<String>,
    pub client_port: Option<u16>,
    pub max_client_cnxns: i64,
    /// -1 when unset (then 2 and 20 ticks).
    pub min_session_timeout_ms: i64,
    pub max_session_timeout_ms: i64,
    pub init_limit: Option<i64>,
    pub sync_limit: Option<i64>,
    pub servers: BTreeMap<i64, QuorumServer>,
    /// Keys ZooKeeper does not know, set as `zookeeper.<key>` system properties
    /// (`4lw.commands.whitelist`, `admin.enableServer`, ...).
    pub system_properties: BTreeMap<String, String>,
}

/// Why a config was refused: the `IllegalArgumentException` (or
/// `ConfigException`) message behind `Error processing <path>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The cause's exception class and message, as a stack trace prints it.
    pub cause: String,
    /// Whether QuorumPeerConfig wrapped it as `Error processing <path>`.
    pub wrapped: bool,
}

impl ConfigError {
    fn illegal(message: String) -> ConfigError {
        ConfigError {
            cause: format!("java.lang.IllegalArgumentException: {message}"),
            wrapped: true,
        }
    }
}

/// `java.util.Properties.load`, for the simple files ZooKeeper is given:
/// `key=value` or `key:value` or `key value`, `#`/`!` comments, trimmed.
pub fn parse_properties(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let split = line
            .find(|c: char| c == '=' || c == ':' || c.is_whitespace())
            .unwrap_or(line.len());
        let key = line[..split].to_owned();
        let rest = line[split..].trim_start();
        let value = rest
            .strip_prefix(['=', ':'])
            .unwrap_or(rest)
            .trim_start()
            .trim_end();
        out.insert(key, value.to_owned());
    }
    out
}

impl ServerConfig {
    /// Reads a config file's text; `myid` is the content of `<dataDir>/myid`
    /// if there is one (needed only for an ensemble).
    pub fn parse(
        version: ZkVersion,
        path: &str,
        text: &str,
        myid: impl Fn(&str) -> Option<String>,
    ) -> Result<(ServerConfig, Option<i64>), ConfigError> {
        let props = parse_properties(text);
        let mut config = ServerConfig {
            version,
            path: path.to_owned(),
            tick_time_ms: DEFAULT_TICK_TIME_MS,
            data_dir: String::new(),
            data_log_dir: None,
            client_port: None,
            max_client_cnxns: 60,
            min_session_timeout_ms: -1,
            max_session_timeout_ms: -1,
            init_limit: None,
            sync_limit: None,
            servers: BTreeMap::new(),
            system_properties: BTreeMap::new(),
        };
        let number = |value: &str| -> Result<i64, ConfigError> {
            value.parse().map_err(|_| ConfigError {
                cause: format!("java.lang.NumberFormatException: For input string: \"{value}\""),
                wrapped: true,
            })
        };
        for (key, value) in &props {
            match key.as_str() {
                "dataDir" => config.data_dir = value.clone(),
                "dataLogDir" => config.data_log_dir = Some(value.clone()),
                "clientPort" => config.client_port = Some(number(value)? as u16),
                "tickTime" => config.tick_time_ms = number(value)?,
                "maxClientCnxns" => config.max_client_cnxns = number(value)?,
                "minSessionTimeout" => config.min_session_timeout_ms = number(value)?,
                "maxSessionTimeout" => config.max_session_timeout_ms = number(value)?,
                "initLimit" => config.init_limit = Some(number(value)?),
                "syncLimit" => config.sync_limit = Some(number(value)?),
                "clientPortAddress"
                | "electionAlg"
                | "peerType"
                | "quorumListenOnAllIPs"
                | "autopurge.snapRetainCount"
                | "autopurge.purgeInterval"
                | "standaloneEnabled"
                | "reconfigEnabled"
                | "syncEnabled"
                | "dynamicConfigFile"
                | "secureClientPort" => {}
                k if k.starts_with("server.") => {
                    let id = number(&k["server.".len()..])?;
                    config.servers.insert(id, parse_server(version, id, value)?);
                }
                k if k.starts_with("group") || k.starts_with("weight") => {}
                _ => {
                    config.system_properties.insert(key.clone(), value.clone());
                }
            }
        }
        if config.data_dir.is_empty() {
            return Err(ConfigError::illegal("dataDir is not set".into()));
        }
        if config.client_port.is_none() && version == ZkVersion::V3_3 {
            return Err(ConfigError::illegal("clientPort is not set".into()));
        }
        if config.servers.len() < 2 {
            return Ok((config, None));
        }
        if config.init_limit.is_none() {
            return Err(ConfigError::illegal("initLimit is not set".into()));
        }
        if config.sync_limit.is_none() {
            return Err(ConfigError::illegal("syncLimit is not set".into()));
        }
        let myid_text = myid(&config.data_dir).ok_or_else(|| {
            ConfigError::illegal(match version {
                ZkVersion::V3_3 => format!("{}/myid file is missing", config.data_dir),
                ZkVersion::V3_5 => "myid file is missing".to_owned(),
            })
        })?;
        let first_line = myid_text.lines().next().unwrap_or("");
        let id = first_line
            .parse::<i64>()
            .map_err(|_| ConfigError::illegal(format!("serverid {first_line} is not a number")))?;
        Ok((config, Some(id)))
    }

    /// The session timeout bounds: 2 and 20 ticks unless set.
    pub fn session_timeout_bounds(&self) -> (i64, i64) {
        let min = if self.min_session_timeout_ms < 0 {
            2 * self.tick_time_ms
        } else {
            self.min_session_timeout_ms
        };
        let max = if self.max_session_timeout_ms < 0 {
            20 * self.tick_time_ms
        } else {
            self.max_session_timeout_ms
        };
        (min, max)
    }

    /// `4lw.commands.whitelist` of 3.5 (`srvr` always allowed).
    pub fn four_letter_words_allowed(&self, word: &str) -> bool {
        if self.version == ZkVersion::V3_3 || word == "srvr" {
            return true;
        }
        self.system_properties
            .get("4lw.commands.whitelist")
            .is_some_and(|list| list.split(',').any(|w| w.trim() == "*" || w.trim() == word))
    }
}

fn parse_server(version: ZkVersion, id: i64, value: &str) -> Result<QuorumServer, ConfigError> {
    let (server, client) = match value.split_once(';') {
        Some((s, c)) if version >= ZkVersion::V3_5 => (s, Some(c)),
        _ => (value, None),
    };
    let parts: Vec<&str> = server.split(':').collect();
    let bad_form = || {
        match version {
        ZkVersion::V3_5 => ConfigError {
            cause: format!("org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: {value} does not have the form server_config or server_config;client_config where server_config is host:port:port or host:port:port:type and client_config is port or host:port"),
            wrapped: false,
        },
        ZkVersion::V3_3 => ConfigError {
            cause: format!("java.lang.IllegalArgumentException: Missing election port for server: {id}"),
            wrapped: true,
        },
    }
    };
    if parts.len() < 3 {
        return Err(bad_form());
    }
    let port = |p: &str| -> Result<u16, ConfigError> {
        p.parse().map_err(|_| match version {
            ZkVersion::V3_5 => ConfigError {
                cause: format!("org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Address unresolved: {}:{p}", parts[0]),
                wrapped: true,
            },
            ZkVersion::V3_3 => ConfigError {
                cause: format!("java.lang.NumberFormatException: For input string: \"{p}\""),
                wrapped: true,
            },
        })
    };
    let quorum_port = port(parts[1])?;
    let election_port = port(parts[2])?;
    if version >= ZkVersion::V3_5 && quorum_port == election_port {
        return Err(ConfigError {
            cause: format!("org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Client and election port must be different! Please update the configuration file on server.{id}"),
            wrapped: true,
        });
    }
    let client_port = match client {
        Some(c) => Some(port(c.rsplit(':').next().unwrap_or(c))?),
        None => None,
    };
    Ok(QuorumServer {
        id,
        host: parts[0].to_owned(),
        quorum_port,
        election_port,
        client_port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAFKA: &str = "# the directory where the snapshot is stored.\ndataDir=/tmp/zookeeper\n# the port at which the clients will connect\nclientPort=2181\n# disable the per-ip limit\nmaxClientCnxns=0\nadmin.enableServer=false\n";

    #[test]
    fn kafkas_file_is_a_standalone_server() {
        let (c, myid) = ServerConfig::parse(
            ZkVersion::V3_5,
            "config/zookeeper.properties",
            KAFKA,
            |_| None,
        )
        .unwrap();
        assert_eq!(myid, None);
        assert_eq!(
            (c.data_dir.as_str(), c.client_port, c.max_client_cnxns),
            ("/tmp/zookeeper", Some(2181), 0)
        );
        assert_eq!(c.session_timeout_bounds(), (6000, 60000));
        assert_eq!(c.system_properties["admin.enableServer"], "false");
        assert!(c.four_letter_words_allowed("srvr"));
        assert!(!c.four_letter_words_allowed("ruok"));
    }

    #[test]
    fn an_ensemble_needs_limits_and_a_myid() {
        let text = format!("{KAFKA}server.1=kafka-1:2888:3888\nserver.2=kafka-2:2888:3888\nserver.3=kafka-3:2888:3888\n");
        let e = ServerConfig::parse(ZkVersion::V3_3, "p", &text, |_| None).unwrap_err();
        assert_eq!(
            e.cause,
            "java.lang.IllegalArgumentException: initLimit is not set"
        );
        let text = format!("{text}initLimit=5\nsyncLimit=2\n");
        let e = ServerConfig::parse(ZkVersion::V3_3, "p", &text, |_| None).unwrap_err();
        assert_eq!(
            e.cause,
            "java.lang.IllegalArgumentException: /tmp/zookeeper/myid file is missing"
        );
        let e = ServerConfig::parse(ZkVersion::V3_5, "p", &text, |_| None).unwrap_err();
        assert_eq!(
            e.cause,
            "java.lang.IllegalArgumentException: myid file is missing"
        );
        let (c, myid) = ServerConfig::parse(ZkVersion::V3_5, "p", &text, |d| {
            (d == "/tmp/zookeeper").then(|| "2\n".to_owned())
        })
        .unwrap();
        assert_eq!(myid, Some(2));
        assert_eq!(c.servers[&3].host, "kafka-3");
        let e =
            ServerConfig::parse(ZkVersion::V3_5, "p", &text, |_| Some("two".into())).unwrap_err();
        assert_eq!(
            e.cause,
            "java.lang.IllegalArgumentException: serverid two is not a number"
        );
    }

    #[test]
    fn bad_server_lines_are_refused_in_each_releases_words() {
        let text = "dataDir=/d\nclientPort=1\nserver.1=h:2888\nserver.2=h:2888:3888\n";
        assert_eq!(
            ServerConfig::parse(ZkVersion::V3_3, "p", text, |_| None)
                .unwrap_err()
                .cause,
            "java.lang.IllegalArgumentException: Missing election port for server: 1"
        );
        let e = ServerConfig::parse(ZkVersion::V3_5, "p", text, |_| None).unwrap_err();
        assert!(!e.wrapped && e.cause.ends_with("h:2888 does not have the form server_config or server_config;client_config where server_config is host:port:port or host:port:port:type and client_config is port or host:port"));
        assert_eq!(
            ServerConfig::parse(ZkVersion::V3_3, "p", "clientPort=1\n", |_| None)
                .unwrap_err()
                .cause,
            "java.lang.IllegalArgumentException: dataDir is not set"
        );
    }
}
