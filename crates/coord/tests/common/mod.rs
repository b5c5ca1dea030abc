//! What the coordinator's integration tests share: a ZooKeeper server
//! started as `zookeeper-server-start.sh` would, and `nc` for the
//! four-letter words.

use std::cell::RefCell;
use std::rc::Rc;

use coord::jvm::Environment;
use coord::server::QuorumPeerMain;
use coord::ZkVersion;
use sim::{downcast, Context, Event, Process, ProcessId, RawBytes, Stdio, World};

/// Where the tests' servers run from; `config/zookeeper.properties` is under it.
pub const KAFKA_HOME: &str = "/root/kafka";

/// Starts `QuorumPeerMain config/zookeeper.properties` on `host`.
pub fn start_server(w: &mut World, host: &str, version: ZkVersion) -> ProcessId {
    let env = Environment {
        host_name: host.into(),
        class_path: ":/root/kafka/libs/zookeeper.jar".into(),
        user_dir: KAFKA_HOME.into(),
    };
    let server = QuorumPeerMain::new(
        version,
        vec!["config/zookeeper.properties".into()],
        env,
        None,
    );
    w.spawn(
        host,
        vec![
            "java".into(),
            "org.apache.zookeeper.server.quorum.QuorumPeerMain".into(),
        ],
        KAFKA_HOME,
        Stdio::Capture,
        Box::new(server),
    )
}

/// `echo WORD | nc HOST 2181`: sends a four-letter word and keeps the answer.
struct FourLetters {
    host: String,
    word: &'static str,
    answer: Rc<RefCell<String>>,
}

impl Process for FourLetters {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start if ctx.connect(&self.host, 2181).is_err() => ctx.exit(1),
            Event::Connected { conn } => {
                ctx.send(conn, Box::new(RawBytes(self.word.as_bytes().to_vec())))
            }
            Event::Received { message, .. } => {
                if let Ok(raw) = downcast::<RawBytes>(message) {
                    self.answer
                        .borrow_mut()
                        .push_str(&String::from_utf8_lossy(&raw.0));
                }
            }
            Event::Closed { .. } | Event::ConnectFailed { .. } => ctx.exit(0),
            _ => {}
        }
    }
}

/// Starts `nc` on `from` asking `host` for `word`; the answer fills in as
/// the world runs.
pub fn spawn_four_letters(
    w: &mut World,
    from: &str,
    host: &str,
    word: &'static str,
) -> Rc<RefCell<String>> {
    let answer = Rc::new(RefCell::new(String::new()));
    w.spawn(
        from,
        vec!["nc".into()],
        "/",
        Stdio::Null,
        Box::new(FourLetters {
            host: host.into(),
            word,
            answer: answer.clone(),
        }),
    );
    answer
}
