//! What the replication tests share: followers' fetcher settings without
//! waits, two brokers borrowed at once, one fetcher round trip to a leader,
//! and a log read back as values by offset.

use std::collections::BTreeMap;

use broker::replica::{
    FetchResult, FetcherRequest, FetcherSettings, ReplicaFetcher, ReplicaManager,
};
use protocol::Records;

/// Fetchers that never wait at the leader, so a test's step is one round trip.
pub fn fetcher_settings() -> FetcherSettings {
    FetcherSettings {
        replica_fetch_wait_max_ms: 0,
        replica_fetch_min_bytes: 1,
        replica_fetch_max_bytes: 1 << 20,
        replica_fetch_response_max_bytes: 10 << 20,
        replica_fetch_backoff_ms: 1_000,
    }
}

/// `a` and `b` of `brokers`, both mutable.
pub fn two(
    brokers: &mut [ReplicaManager],
    a: usize,
    b: usize,
) -> (&mut ReplicaManager, &mut ReplicaManager) {
    assert_ne!(a, b);
    if a < b {
        let (left, right) = brokers.split_at_mut(b);
        (&mut left[a], &mut right[0])
    } else {
        let (left, right) = brokers.split_at_mut(a);
        (&mut right[0], &mut left[b])
    }
}

/// The fetcher sends its next request to `leader` and takes the answer.
/// Returns `None` when it had nothing to send, else whether it was a fetch.
pub fn round_trip(
    f: &mut ReplicaFetcher,
    follower: &mut ReplicaManager,
    leader: &mut ReplicaManager,
    now: i64,
) -> Option<bool> {
    match f.next_request(follower, now)? {
        FetcherRequest::OffsetsForLeaderEpoch(r) => {
            let answer = leader.last_offset_for_leader_epoch(&r);
            f.on_epoch_response(&answer, follower, now);
            Some(false)
        }
        FetcherRequest::ListOffsets(r) => {
            let answer = leader.list_offsets(&r, 1, now);
            f.on_list_offsets_response(&answer, follower, now);
            Some(false)
        }
        FetcherRequest::Fetch(r) => {
            let FetchResult::Now(answer) = leader.fetch_messages(u64::MAX, &r, 12, now) else {
                panic!("fetchers with no wait are answered at once")
            };
            f.on_fetch_response(&answer, follower, now);
            Some(true)
        }
    }
}

/// `test-0`'s records on a broker, value by offset.
pub fn values(b: &ReplicaManager) -> BTreeMap<i64, String> {
    let log = b
        .log_manager
        .log("test", 0)
        .expect("the broker hosts test-0");
    let data = log
        .read(log.log_start_offset(), 1 << 24, None, true)
        .expect("the log reads");
    let mut out = BTreeMap::new();
    for batch in Records::new(data.records).batches() {
        for r in batch
            .expect("a valid batch")
            .records()
            .expect("its records")
        {
            out.insert(
                r.offset,
                String::from_utf8_lossy(r.value.as_deref().unwrap_or_default()).into_owned(),
            );
        }
    }
    out
}
