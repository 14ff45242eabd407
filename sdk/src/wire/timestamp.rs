//! `format: date-time` values.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An RFC 3339 timestamp as sent by the API (e.g. `2024-10-18T23:57:04.123456Z`).
///
/// It keeps the exact text it was decoded from, so re-encoding a response is byte-exact and
/// no precision is lost; [`Timestamp::to_system_time`] and [`Timestamp::unix_timestamp`]
/// interpret it on demand. A value the SDK cannot interpret still decodes (the API may
/// change its precision); only the conversions report the problem.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(String);

/// Why a [`Timestamp`] could not be interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 timestamp: {:?}", self.text)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// Wraps RFC 3339 text, checking that it can be interpreted.
    pub fn parse(text: impl Into<String>) -> Result<Self, TimestampError> {
        let ts = Timestamp(text.into());
        ts.unix_parts()?;
        Ok(ts)
    }

    /// The timestamp for a point in time, formatted as `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z`.
    pub fn from_system_time(time: SystemTime) -> Self {
        let (secs, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let mut secs = -(d.as_secs() as i64);
                let mut nanos = d.subsec_nanos();
                if nanos > 0 {
                    secs -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                (secs, nanos)
            }
        };
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut s = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        if nanos > 0 {
            let frac = format!("{nanos:09}");
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push('Z');
        Timestamp(s)
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Seconds since the Unix epoch (negative before 1970).
    pub fn unix_timestamp(&self) -> Result<i64, TimestampError> {
        self.unix_parts().map(|(s, _)| s)
    }

    /// The point in time this timestamp names.
    pub fn to_system_time(&self) -> Result<SystemTime, TimestampError> {
        let (secs, nanos) = self.unix_parts()?;
        let t = if secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(secs as u64, nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(secs.unsigned_abs()))
                .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))))
        };
        t.ok_or_else(|| self.error())
    }

    fn error(&self) -> TimestampError {
        TimestampError {
            text: self.0.clone(),
        }
    }

    /// Parses `YYYY-MM-DD('T'|'t'|' ')HH:MM:SS[.frac](Z|z|±HH:MM)`.
    fn unix_parts(&self) -> Result<(i64, u32), TimestampError> {
        let b = self.0.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(range)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(
                part.iter()
                    .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')),
            )
        };
        let parsed = (|| {
            if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
                return None;
            }
            if !matches!(b[10], b'T' | b't' | b' ') {
                return None;
            }
            let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
            let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
            if !(1..=12).contains(&month)
                || day < 1
                || day > days_in_month(year, month)
                || hour > 23
                || minute > 59
                || second > 60
            {
                return None;
            }
            let mut i = 19;
            let mut nanos: u32 = 0;
            if b[i] == b'.' {
                let start = i + 1;
                i = start;
                while i < b.len() && b[i].is_ascii_digit() {
                    if i - start < 9 {
                        nanos = nanos * 10 + u32::from(b[i] - b'0');
                    }
                    i += 1;
                }
                if i == start {
                    return None;
                }
                for _ in (i - start)..9 {
                    nanos *= 10;
                }
            }
            let offset = match b.get(i..)? {
                [b'Z' | b'z'] => 0,
                [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                    let (h, m) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
                    if h > 23 || m > 59 {
                        return None;
                    }
                    let off = h * 3600 + m * 60;
                    if *sign == b'+' {
                        off
                    } else {
                        -off
                    }
                }
                _ => return None,
            };
            let days = days_from_civil(year, month, day);
            let secs = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset;
            Some((secs, nanos))
        })();
        parsed.ok_or_else(|| self.error())
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        Timestamp::from_system_time(t)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Timestamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interprets_rfc3339() {
        let t = Timestamp::parse("2024-10-18T23:57:04.123456Z").unwrap();
        assert_eq!(t.unix_timestamp().unwrap(), 1_729_295_824);
        let st = t.to_system_time().unwrap();
        assert_eq!(
            st.duration_since(UNIX_EPOCH).unwrap(),
            Duration::new(1_729_295_824, 123_456_000)
        );
        let off = Timestamp::parse("2024-10-19T01:57:04+02:00").unwrap();
        assert_eq!(off.unix_timestamp().unwrap(), 1_729_295_824);
        assert_eq!(
            Timestamp::parse("1969-12-31T23:59:59Z")
                .unwrap()
                .unix_timestamp()
                .unwrap(),
            -1
        );
    }

    #[test]
    fn rejects_garbage_but_still_decodes_it() {
        for bad in [
            "",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+2:00",
            "２０２４-01-01T00:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        let t: Timestamp = serde_json::from_str("\"soon\"").unwrap();
        assert_eq!(t.as_str(), "soon");
        assert!(t.to_system_time().unwrap_err().to_string().contains("soon"));
    }

    #[test]
    fn formats_system_time_and_round_trips() {
        let t = Timestamp::from_system_time(UNIX_EPOCH + Duration::new(1_729_295_824, 500_000_000));
        assert_eq!(t.as_str(), "2024-10-18T23:57:04.5Z");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2024-10-18T23:57:04.5Z\""
        );
        let before = Timestamp::from_system_time(UNIX_EPOCH - Duration::from_millis(1500));
        assert_eq!(before.as_str(), "1969-12-31T23:59:58.5Z");
        assert_eq!(
            before.to_system_time().unwrap(),
            UNIX_EPOCH - Duration::from_millis(1500)
        );
    }
}
