//! `nc` (OpenBSD netcat, as Debian ships it) and `telnet`: a connection to a
//! port of the world's network, with the command's input sent on it and
//! what comes back printed — how a person talks to ZooKeeper's four-letter
//! words. Both run as processes of the world.

use sim::{downcast, ConnId, Context, Event, NetError, Process, RawBytes};

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
use crate::exec::process::run_attached;

/// The program on the other end of the terminal: how it greets and parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    Netcat,
    Telnet,
}

#[derive(Debug)]
struct Client {
    flavor: Flavor,
    host: String,
    port: u16,
    conn: Option<ConnId>,
}

impl Client {
    fn refused(&self, ctx: &mut Context<'_>, error: &NetError) {
        match (self.flavor, error) {
            (Flavor::Netcat, NetError::UnknownHost(_)) => ctx.stderr(&format!(
                "nc: getaddrinfo for host \"{}\" port {}: Name or service not known\n",
                self.host, self.port
            )),
            (Flavor::Netcat, e) => ctx.stderr(&format!(
                "nc: connect to {} port {} (tcp) failed: {e}\n",
                self.host, self.port
            )),
            (Flavor::Telnet, NetError::UnknownHost(_)) => ctx.stderr(&format!(
                "telnet: could not resolve {}/{}: Name or service not known\n",
                self.host, self.port
            )),
            (Flavor::Telnet, e) => {
                ctx.stderr(&format!("telnet: Unable to connect to remote host: {e}\n"))
            }
        }
        ctx.exit(1);
    }
}

impl Process for Client {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => {
                if self.flavor == Flavor::Telnet {
                    if let Some(ip) = ctx.resolve(&self.host) {
                        ctx.stdout(&format!("Trying {ip}...\n"));
                    }
                }
                match ctx.connect(&self.host, self.port) {
                    Ok(conn) => self.conn = Some(conn),
                    Err(e) => self.refused(ctx, &e),
                }
            }
            Event::Connected { .. } if self.flavor == Flavor::Telnet => {
                ctx.stdout(&format!(
                    "Connected to {}.\nEscape character is '^]'.\n",
                    self.host
                ));
            }
            Event::ConnectFailed { error, .. } => self.refused(ctx, &error),
            Event::Stdin(line) => {
                if let Some(conn) = self.conn {
                    let end = if self.flavor == Flavor::Telnet {
                        "\r\n"
                    } else {
                        "\n"
                    };
                    ctx.send(
                        conn,
                        Box::new(RawBytes(format!("{line}{end}").into_bytes())),
                    );
                }
            }
            Event::Received { message, .. } => {
                if let Ok(bytes) = downcast::<RawBytes>(message) {
                    ctx.stdout(&String::from_utf8_lossy(&bytes.0));
                }
            }
            Event::Closed { .. } => match self.flavor {
                Flavor::Netcat => ctx.exit(0),
                Flavor::Telnet => {
                    ctx.stderr("Connection closed by foreign host.\n");
                    ctx.exit(1);
                }
            },
            // netcat keeps listening after its input ends, until the peer closes.
            Event::StdinClosed => {}
            Event::Signal(signal) => ctx.exit(128 + signal.number()),
            _ => {}
        }
    }
}

/// `nc host port` / `telnet host [port]`.
fn connect(call: Call, flavor: Flavor) -> LocalFuture<i32> {
    Box::pin(async move {
        let args: Vec<&String> = call.args[1..]
            .iter()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let default_port = if flavor == Flavor::Telnet {
            Some("23")
        } else {
            None
        };
        let host = args.first().map(|s| s.as_str());
        let port = args.get(1).map(|s| s.as_str()).or(default_port);
        let (Some(host), Some(port)) = (host, port) else {
            let usage = match flavor {
                Flavor::Netcat => "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit] [-w timeout]\n\t  [-X proxy_protocol] [-x proxy_address[:port]] \t  [destination] [port]\n",
                Flavor::Telnet => "usage: telnet [-4] [-6] [-8] [-E] [-L] [-a] [-d] [-e char] [-l user]\n\t[-n tracefile] [-b addr] [-r] [host-name [port]]\n",
            };
            call.err(usage).await;
            return 1;
        };
        let Ok(port) = port.parse::<u16>() else {
            let text = match flavor {
                Flavor::Netcat => format!("nc: port number invalid: {port}\n"),
                Flavor::Telnet => format!("telnet: could not resolve {host}/{port}: Servname not supported for ai_socktype\n"),
            };
            call.err(&text).await;
            return 1;
        };
        let client = Client {
            flavor,
            host: host.to_owned(),
            port,
            conn: None,
        };
        let argv = call.args.clone();
        run_attached(&call, argv, Box::new(client), true).await
    })
}

pub fn nc(call: Call) -> LocalFuture<i32> {
    connect(call, Flavor::Netcat)
}

pub fn telnet(call: Call) -> LocalFuture<i32> {
    connect(call, Flavor::Telnet)
}
