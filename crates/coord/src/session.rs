//! `SessionTracker`: the leader's sessions, their negotiated timeouts and
//! when each expires. Expiry times are rounded up to the next multiple of
//! `tickTime` (ZooKeeper's expiry buckets), so a session goes up to one
//! tick after its timeout; every request or ping from the client moves it.

use std::collections::BTreeMap;

use crate::java::JavaRandom;

/// One session as the leader tracks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    pub timeout_ms: i32,
    pub password: Vec<u8>,
    /// When it expires unless touched, in milliseconds since the epoch.
    pub expires_ms: i64,
    /// A closeSession is on its way; it takes no new requests.
    pub closing: bool,
}

/// The sessions of an ensemble (kept by the leader, or a standalone server).
#[derive(Clone, Debug, Default)]
pub struct SessionTracker {
    sessions: BTreeMap<i64, SessionInfo>,
    next_session_id: i64,
    tick_time_ms: i64,
}

/// `SessionTrackerImpl.initializeNextSession` of ZooKeeper 3.3: the server id
/// in the top byte, the start time below it. 3.3 shifts back with a signed
/// shift (`>> 8`), which smears the sign bit over the server id for times
/// from 2009 on; 3.5 shifts unsigned (`>>> 8`).
pub fn initial_session_id(server_id: i64, now_ms: i64, signed_shift: bool) -> i64 {
    let shifted = now_ms << 24;
    let time_part = if signed_shift {
        shifted >> 8
    } else {
        ((shifted as u64) >> 8) as i64
    };
    time_part | (server_id << 56)
}

/// A session's 16-byte password: `new Random(sessionId ^ 0xB3415C00L).nextBytes()`.
pub fn session_password(session_id: i64) -> Vec<u8> {
    let mut password = vec![0u8; 16];
    JavaRandom::new(session_id ^ 0xB341_5C00).next_bytes(&mut password);
    password
}

impl SessionTracker {
    pub fn new(first_session_id: i64, tick_time_ms: i64) -> SessionTracker {
        SessionTracker {
            sessions: BTreeMap::new(),
            next_session_id: first_session_id,
            tick_time_ms,
        }
    }

    /// `roundToInterval`: the next tick boundary strictly after `time`.
    fn round(&self, time_ms: i64) -> i64 {
        (time_ms / self.tick_time_ms + 1) * self.tick_time_ms
    }

    /// A new session id (the caller then logs its createSession transaction).
    pub fn next_id(&mut self) -> i64 {
        let id = self.next_session_id;
        self.next_session_id += 1;
        id
    }

    /// Starts tracking a session (when its createSession transaction applies,
    /// or when a restarted server reloads it).
    pub fn add(&mut self, id: i64, timeout_ms: i32, now_ms: i64) {
        let expires_ms = self.round(now_ms + i64::from(timeout_ms));
        let password = session_password(id);
        self.sessions.insert(
            id,
            SessionInfo {
                timeout_ms,
                password,
                expires_ms,
                closing: false,
            },
        );
        // A reloaded session of this server's own is never handed out again
        // (another server's ids carry its id in the top byte).
        if id >> 56 == self.next_session_id >> 56 {
            self.next_session_id = self.next_session_id.max(id + 1);
        }
    }

    /// The client was heard from: its expiry moves. False if the session is gone.
    pub fn touch(&mut self, id: i64, now_ms: i64) -> bool {
        let tick = self.tick_time_ms;
        match self.sessions.get_mut(&id) {
            Some(s) if !s.closing => {
                let expires = ((now_ms + i64::from(s.timeout_ms)) / tick + 1) * tick;
                s.expires_ms = s.expires_ms.max(expires);
                true
            }
            _ => false,
        }
    }

    pub fn get(&self, id: i64) -> Option<&SessionInfo> {
        self.sessions.get(&id)
    }

    /// Marks a session as closing (its closeSession is proposed).
    pub fn set_closing(&mut self, id: i64) {
        if let Some(s) = self.sessions.get_mut(&id) {
            s.closing = true;
        }
    }

    pub fn remove(&mut self, id: i64) {
        self.sessions.remove(&id);
    }

    /// Sessions whose time is up at `now_ms`, not yet closing; they are
    /// marked closing so each expires once.
    pub fn expire(&mut self, now_ms: i64) -> Vec<(i64, i32)> {
        let mut out = Vec::new();
        for (id, s) in &mut self.sessions {
            if !s.closing && s.expires_ms <= now_ms {
                s.closing = true;
                out.push((*id, s.timeout_ms));
            }
        }
        out
    }

    /// When the next expiry check is due: the next tick boundary with a session on it.
    pub fn next_expiry_ms(&self) -> Option<i64> {
        self.sessions
            .values()
            .filter(|s| !s.closing)
            .map(|s| s.expires_ms)
            .min()
    }

    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.sessions.keys().copied()
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_on_tick_boundaries_after_their_timeout() {
        let mut t = SessionTracker::new(0x100, 2000);
        let id = t.next_id();
        t.add(id, 6000, 10_500);
        assert_eq!(
            t.get(id).unwrap().expires_ms,
            18_000,
            "16500 rounded up to the next tick"
        );
        assert!(t.expire(17_999).is_empty());
        assert!(t.touch(id, 13_000));
        assert_eq!(t.next_expiry_ms(), Some(20_000));
        assert_eq!(t.expire(20_000), [(id, 6000)]);
        assert!(t.expire(30_000).is_empty(), "once");
        assert!(!t.touch(id, 20_001), "a closing session takes nothing");
    }

    #[test]
    fn session_ids_carry_the_server_id_and_the_start_time() {
        let now = 1_380_585_600_000;
        let unsigned = initial_session_id(1, now, false);
        assert_eq!(unsigned >> 56, 1);
        // The low 40 bits of the time, moved up 16 bits.
        assert_eq!(
            unsigned & 0x00ff_ffff_ffff_ffff,
            (now & 0xff_ffff_ffff) << 16
        );
        // 3.3's signed shift fills the top byte with the time's bit 39.
        let signed = initial_session_id(1, now, true);
        assert_eq!(
            signed & 0x00ff_ffff_ffff_ffff,
            unsigned & 0x00ff_ffff_ffff_ffff
        );
        let bit39 = (now >> 39) & 1;
        assert_eq!((signed >> 56) & 0xff, if bit39 == 1 { 0xff } else { 1 });
    }
}
