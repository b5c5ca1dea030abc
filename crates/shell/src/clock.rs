//! Calendar formatting of virtual time, as `date` and `ls -l` show it (UTC).

use sim::SimTime;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats `t` with a subset of strftime: `%a %b %d %e %F %H %M %m %S %s %T %Y %y %Z %z %%`.
/// Unknown conversions are kept as written, as GNU date does.
pub fn strftime(t: SimTime, format: &str) -> String {
    let d = t.to_utc();
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => out.push_str(DAYS[d.weekday().number_days_from_monday() as usize]),
            Some('b') | Some('h') => out.push_str(MONTHS[u8::from(d.month()) as usize - 1]),
            Some('d') => out.push_str(&format!("{:02}", d.day())),
            Some('e') => out.push_str(&format!("{:>2}", d.day())),
            Some('F') => out.push_str(&format!(
                "{:04}-{:02}-{:02}",
                d.year(),
                u8::from(d.month()),
                d.day()
            )),
            Some('H') => out.push_str(&format!("{:02}", d.hour())),
            Some('M') => out.push_str(&format!("{:02}", d.minute())),
            Some('m') => out.push_str(&format!("{:02}", u8::from(d.month()))),
            Some('S') => out.push_str(&format!("{:02}", d.second())),
            Some('s') => out.push_str(&(t.unix_micros() / 1_000_000).to_string()),
            Some('T') => out.push_str(&format!(
                "{:02}:{:02}:{:02}",
                d.hour(),
                d.minute(),
                d.second()
            )),
            Some('Y') => out.push_str(&d.year().to_string()),
            Some('y') => out.push_str(&format!("{:02}", d.year() % 100)),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('N') => out.push_str(&format!("{:09}", d.nanosecond())),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `ls -l`'s time column: `Oct  1 00:00` within six months of now, else `Oct  1  2013`.
pub fn ls_time(mtime: SimTime, now: SimTime) -> String {
    const SIX_MONTHS_SECS: u64 = 31_556_952 / 2;
    let recent = mtime <= now && (now - mtime).as_secs() < SIX_MONTHS_SECS;
    if recent {
        strftime(mtime, "%b %e %H:%M")
    } else {
        strftime(mtime, "%b %e  %Y")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_gnu_date() {
        let t = SimTime::parse_rfc3339("2013-10-01T00:00:00Z").unwrap();
        assert_eq!(
            strftime(t, "%a %b %e %H:%M:%S %Z %Y"),
            "Tue Oct  1 00:00:00 UTC 2013"
        );
        assert_eq!(
            strftime(t, "%F %T %s %%"),
            "2013-10-01 00:00:00 1380585600 %"
        );
        let later = SimTime::parse_rfc3339("2014-06-01T00:00:00Z").unwrap();
        assert_eq!(ls_time(t, t), "Oct  1 00:00");
        assert_eq!(ls_time(t, later), "Oct  1  2013");
    }
}
