//! The four-letter words (`echo ruok | nc localhost 2181`): the first four
//! bytes of a new connection, answered and the connection closed. 3.5
//! answers only whitelisted words; a word a release does not know is read
//! as a packet length, too long, and the connection just closes.

use sim::{ConnId, Context, RawBytes};

use crate::jvm::zookeeper_version;
use crate::server::{Role, ZkServer};
use crate::ZkVersion;

const CNXN: &str = "org.apache.zookeeper.server.NIOServerCnxn";

/// The words each release knows.
fn known(version: ZkVersion, word: &str) -> bool {
    let common = [
        "ruok", "srvr", "stat", "cons", "conf", "envi", "dump", "wchs", "wchc", "wchp", "crst",
        "srst", "gtmk", "stmk",
    ];
    common.contains(&word)
        || (version >= ZkVersion::V3_5 && ["mntr", "isro", "dirs"].contains(&word))
}

/// Answers the first bytes of a connection as a four-letter word.
pub(crate) fn answer(server: &mut ZkServer, ctx: &mut Context<'_>, conn: ConnId, bytes: &[u8]) {
    let v = server.version();
    let word: String = String::from_utf8_lossy(&bytes[..bytes.len().min(4)]).into_owned();
    let peer = server.conns[&conn].peer;
    if bytes.len() < 4 || !known(v, &word) {
        let len = bytes
            .get(..4)
            .map_or(0, |b| i32::from_be_bytes(b.try_into().expect("4 bytes")));
        match v {
            ZkVersion::V3_3 => server.log_line(ctx, "WARN", CNXN, &format!("Exception causing close of session 0x0 due to java.io.IOException: Len error {len}")),
            ZkVersion::V3_5 => server.log_line(ctx, "WARN", CNXN, &format!("Exception causing close of session 0x0: Len error {len}")),
        }
        server.drop_connection(ctx, conn, "len error");
        return;
    }
    if !server.config.four_letter_words_allowed(&word) {
        reply(
            ctx,
            conn,
            format!("{word} is not executed because it is not in the whitelist.\n"),
        );
        server.drop_connection(ctx, conn, "4lw");
        return;
    }
    if v >= ZkVersion::V3_5 && !server.four_letter_words_listed {
        server.four_letter_words_listed = true;
        let logger = "org.apache.zookeeper.server.command.FourLetterCommands";
        server.log_line(ctx, "INFO", logger, "The list of known four letter word commands is : [{1936881266=srvr, 1937006964=stat, 2003003491=wchc, 1685417328=dump, 1668445044=crst, 1936880500=srst, 1701738089=envi, 1668247142=conf, -720899=telnet close, 2003003507=wchs, 2003003504=wchp, 1684632179=dirs, 1668247155=cons, 1835955314=mntr, 1769173615=isro, 1920298859=ruok, 1735683435=gtmk, 1937010027=stmk}]");
        server.log_line(
            ctx,
            "INFO",
            logger,
            "The list of enabled four letter word commands is : [[srvr]]",
        );
    }
    server.log_line(
        ctx,
        "INFO",
        CNXN,
        &format!("Processing {word} command from /{peer}"),
    );
    let serving = server.role != Role::NotServing;
    let text = match word.as_str() {
        "ruok" => "imok".to_owned(),
        // Without a quorum there is no ZooKeeperServer to ask.
        w if !serving && w != "envi" => {
            "This ZooKeeper instance is not currently serving requests\n".to_owned()
        }
        "srvr" => stat(server, false),
        "stat" => {
            if v == ZkVersion::V3_3 {
                server.log_line(ctx, "INFO", CNXN, "Stat command output");
            }
            stat(server, true)
        }
        "cons" => {
            let mut out = clients(server, conn, true);
            out.push('\n');
            out
        }
        "conf" => conf(server),
        "envi" => {
            let mut out = "Environment:\n".to_owned();
            for (k, val) in server.env.entries(v, zookeeper_version(v)) {
                out.push_str(&format!("{k}={val}\n"));
            }
            out
        }
        "dump" => dump(server),
        "wchs" => {
            let (watches, paths, sessions) = server.tree.watches.counts();
            format!("{sessions} connections watching {paths} paths\nTotal watches:{watches}\n")
        }
        "wchp" => {
            let mut out = String::new();
            for (path, sessions) in server.tree.watches.by_path() {
                out.push_str(&format!("{path}\n"));
                for s in sessions {
                    out.push_str(&format!("\t0x{s:x}\n"));
                }
            }
            out.push('\n');
            out
        }
        "wchc" => {
            let mut by_session: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
            for (path, sessions) in server.tree.watches.by_path() {
                for s in sessions {
                    by_session.entry(s).or_default().push(path.clone());
                }
            }
            let mut out = String::new();
            for (s, paths) in by_session {
                out.push_str(&format!("0x{s:x}\n"));
                for p in paths {
                    out.push_str(&format!("\t{p}\n"));
                }
            }
            out.push('\n');
            out
        }
        "srst" => {
            server.stats = Default::default();
            "Server stats reset.\n".to_owned()
        }
        "crst" => {
            for c in server.conns.values_mut() {
                c.received = 0;
                c.sent = 0;
            }
            "Connection stats reset.\n".to_owned()
        }
        "gtmk" | "stmk" => "306".to_owned(),
        "isro" => "rw".to_owned(),
        "dirs" => {
            let size = data_size(server, ctx);
            format!("datadir_size: {size}\nlogdir_size: {size}\n")
        }
        "mntr" => mntr(server),
        _ => String::new(),
    };
    reply(ctx, conn, text);
    server.drop_connection(ctx, conn, "4lw");
}

fn reply(ctx: &mut Context<'_>, conn: ConnId, text: String) {
    ctx.send(conn, Box::new(RawBytes(text.into_bytes())));
}

/// `srvr`, and `stat` with its client list.
fn stat(server: &ZkServer, with_clients: bool) -> String {
    let v = server.version();
    let mut out = format!("Zookeeper version: {}\n", zookeeper_version(v));
    if with_clients {
        out.push_str("Clients:\n");
        let me = server.conns.keys().last().copied();
        out.push_str(&clients(server, me.unwrap_or(sim::ConnId(0)), false));
        out.push('\n');
    }
    out.push_str("Latency min/avg/max: 0/0/0\n");
    out.push_str(&format!("Received: {}\n", server.stats.received));
    out.push_str(&format!("Sent: {}\n", server.stats.sent));
    if v >= ZkVersion::V3_5 {
        out.push_str(&format!("Connections: {}\n", server.conns.len()));
    }
    out.push_str("Outstanding: 0\n");
    out.push_str(&format!("Zxid: 0x{:x}\n", server.tree.last_processed_zxid));
    out.push_str(&format!("Mode: {}\n", server.role.mode()));
    // The path map also holds "" for the root.
    let count = server.tree.node_count() + 1;
    out.push_str(&format!("Node count: {count}\n"));
    out
}

/// One line per connection: ` /127.0.0.1:port[ops](queued=0,recved=n,sent=n...)`.
fn clients(server: &ZkServer, asking: ConnId, details: bool) -> String {
    let mut out = String::new();
    for (conn, c) in &server.conns {
        let ops = if *conn == asking { 0 } else { 1 };
        out.push_str(&format!(
            " /{}[{ops}](queued=0,recved={},sent={}",
            c.peer, c.received, c.sent
        ));
        if details {
            if let Some(session) = c.session {
                out.push_str(&format!(
                    ",sid=0x{session:x},lop={},est={},to={}",
                    c.last_op, c.established_ms, c.timeout_ms
                ));
                if c.last_cxid >= 0 {
                    out.push_str(&format!(",lcxid=0x{:x}", c.last_cxid));
                }
                out.push_str(&format!(
                    ",lzxid=0x{:x},lresp={},llat=0,minlat=0,avglat=0,maxlat=0",
                    c.last_zxid, c.established_ms
                ));
            }
        }
        out.push_str(")\n");
    }
    out
}

fn conf(server: &ZkServer) -> String {
    let c = &server.config;
    let (min, max) = c.session_timeout_bounds();
    let data = format!("{}/version-2", c.data_dir);
    let mut out = format!("clientPort={}\n", c.client_port.unwrap_or(0));
    if server.version() >= ZkVersion::V3_5 {
        out.push_str("secureClientPort=-1\n");
    }
    out.push_str(&format!("dataDir={data}\ndataLogDir={data}\ntickTime={}\nmaxClientCnxns={}\nminSessionTimeout={min}\nmaxSessionTimeout={max}\nserverId=0\n", c.tick_time_ms, c.max_client_cnxns));
    out
}

fn dump(server: &ZkServer) -> String {
    let mut by_expiry: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for id in server.sessions.ids() {
        if let Some(s) = server.sessions.get(id) {
            by_expiry.entry(s.expires_ms).or_default().push(id);
        }
    }
    let mut out = format!(
        "SessionTracker dump:\nSession Sets ({}):\n",
        by_expiry.len()
    );
    for (at, ids) in &by_expiry {
        let when = sim::SimTime::from_unix_millis(*at as u64).java_date();
        out.push_str(&format!("{} expire at {when}:\n", ids.len()));
        for id in ids {
            out.push_str(&format!("\t0x{id:x}\n"));
        }
    }
    let ephemerals = server.tree.all_ephemerals();
    out.push_str(&format!(
        "ephemeral nodes dump:\nSessions with Ephemerals ({}):\n",
        ephemerals.len()
    ));
    for (session, paths) in ephemerals {
        out.push_str(&format!("0x{session:x}:\n"));
        for p in paths {
            out.push_str(&format!("\t{p}\n"));
        }
    }
    out
}

fn mntr(server: &ZkServer) -> String {
    let v = server.version();
    let (watches, _, _) = server.tree.watches.counts();
    let ephemerals: usize = server.tree.all_ephemerals().values().map(|s| s.len()).sum();
    let data_size: usize = server
        .tree
        .nodes()
        .map(|(p, n)| p.len() + n.data.as_ref().map_or(0, |d| d.len()))
        .sum::<usize>();
    [
        ("zk_version", zookeeper_version(v).to_owned()),
        ("zk_avg_latency", "0".to_owned()),
        ("zk_max_latency", "0".to_owned()),
        ("zk_min_latency", "0".to_owned()),
        ("zk_packets_received", server.stats.received.to_string()),
        ("zk_packets_sent", server.stats.sent.to_string()),
        ("zk_num_alive_connections", server.conns.len().to_string()),
        ("zk_outstanding_requests", "0".to_owned()),
        ("zk_server_state", server.role.mode().to_owned()),
        ("zk_znode_count", server.tree.node_count().to_string()),
        ("zk_watch_count", watches.to_string()),
        ("zk_ephemerals_count", ephemerals.to_string()),
        ("zk_approximate_data_size", data_size.to_string()),
        ("zk_open_file_descriptor_count", "112".to_owned()),
        ("zk_max_file_descriptor_count", "1048576".to_owned()),
    ]
    .iter()
    .map(|(k, val)| format!("{k}\t{val}\n"))
    .collect()
}

fn data_size(server: &ZkServer, ctx: &Context<'_>) -> u64 {
    let dir = format!("{}/version-2", server.config.data_dir);
    let fs = ctx.fs();
    let fs = fs.borrow();
    fs.list(&dir)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|(_, n)| match n {
                    sim::fs::Node::File(f) => f.size(),
                    sim::fs::Node::Dir(_) => None,
                })
                .sum()
        })
        .unwrap_or(0)
}
