//! An ensemble's server (`QuorumPeer`): leader election and Zab. Not yet
//! here: a server with `server.N` lines and a `myid` says so and exits.

use sim::Context;

use crate::ZkVersion;

pub(crate) fn not_yet(ctx: &mut Context<'_>, log_file: &Option<String>, _version: ZkVersion) {
    crate::server::log(
        ctx,
        log_file,
        "ERROR",
        "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        "An ensemble (server.N lines) is not yet available in this playground: run a single server",
    );
    ctx.exit(1);
}
