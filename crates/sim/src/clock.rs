//! Virtual time: an instant in microseconds since the Unix epoch.

use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

/// An instant of virtual time, in microseconds since 1970-01-01T00:00:00Z.
///
/// Microseconds because network and disk latencies are below a millisecond;
/// Kafka's own timestamps are milliseconds, see [`SimTime::unix_millis`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(u64);

impl SimTime {
    pub const fn from_unix_micros(micros: u64) -> SimTime {
        SimTime(micros)
    }

    pub const fn from_unix_millis(millis: u64) -> SimTime {
        SimTime(millis * 1_000)
    }

    pub const fn unix_micros(self) -> u64 {
        self.0
    }

    pub const fn unix_millis(self) -> u64 {
        self.0 / 1_000
    }

    /// Parses an RFC 3339 instant such as `2013-10-01T00:00:00Z`.
    pub fn parse_rfc3339(text: &str) -> Result<SimTime, String> {
        let parsed =
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map_err(|e| format!("invalid RFC 3339 time '{text}': {e}"))?;
        let nanos = parsed.unix_timestamp_nanos();
        if nanos < 0 {
            return Err(format!("time '{text}' is before 1970"));
        }
        Ok(SimTime((nanos / 1_000) as u64))
    }

    /// The same instant as a calendar date and time in UTC. Instants after
    /// the year 9999 (a sleep of millennia) show as the last moment of 9999.
    pub fn to_utc(self) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000)
            .unwrap_or(time::macros::datetime!(9999-12-31 23:59:59.999_999 UTC))
    }

    /// log4j's `%d` (ISO8601 with a comma before the milliseconds):
    /// `2013-10-01 00:00:00,000`, as Kafka's and ZooKeeper's logs print it.
    pub fn log4j(self) -> String {
        let d = self.to_utc();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second(),
            d.millisecond()
        )
    }

    /// `java.util.Date.toString()` in UTC: `Tue Oct 01 00:00:00 UTC 2013`.
    pub fn java_date(self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let d = self.to_utc();
        format!(
            "{} {} {:02} {:02}:{:02}:{:02} UTC {}",
            DAYS[d.weekday().number_days_from_monday() as usize],
            MONTHS[u8::from(d.month()) as usize - 1],
            d.day(),
            d.hour(),
            d.minute(),
            d.second(),
            d.year()
        )
    }

    pub fn saturating_sub(self, earlier: SimTime) -> Duration {
        Duration::from_micros(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for SimTime {
    type Output = SimTime;
    fn add(self, d: Duration) -> SimTime {
        let micros = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        SimTime(self.0.saturating_add(micros))
    }
}

impl Sub<SimTime> for SimTime {
    type Output = Duration;
    fn sub(self, earlier: SimTime) -> Duration {
        assert!(earlier <= self, "virtual time never runs backwards");
        Duration::from_micros(self.0 - earlier.0)
    }
}

impl fmt::Debug for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for SimTime {
    /// `2013-10-01T00:00:00.000000Z`: fixed width, so traces line up and sort.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.to_utc();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.microsecond()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_log4j_and_java_dates() {
        let t = SimTime::from_unix_millis(1_380_585_600_123);
        assert_eq!(t.log4j(), "2013-10-01 00:00:00,123");
        assert_eq!(t.java_date(), "Tue Oct 01 00:00:00 UTC 2013");
    }

    #[test]
    fn parses_and_prints_rfc3339() {
        let t = SimTime::parse_rfc3339("2013-10-01T00:00:00Z").unwrap();
        assert_eq!(t.unix_millis(), 1_380_585_600_000);
        assert_eq!(t.to_string(), "2013-10-01T00:00:00.000000Z");
        let later = t + Duration::from_millis(1_500);
        assert_eq!(later.to_string(), "2013-10-01T00:00:01.500000Z");
        assert_eq!(later - t, Duration::from_millis(1_500));
    }

    #[test]
    fn instants_past_the_year_9999_do_not_break_the_calendar() {
        let far = SimTime::from_unix_micros(u64::MAX);
        assert_eq!(far.to_utc().year(), 9999);
        assert_eq!(far.to_string(), "9999-12-31T23:59:59.999999Z");
    }

    #[test]
    fn rejects_malformed_times() {
        assert!(SimTime::parse_rfc3339("yesterday").is_err());
        assert!(SimTime::parse_rfc3339("1960-01-01T00:00:00Z").is_err());
    }
}
