//! The UTC offset of a datetime or time as pydantic writes it: `Z` for UTC, else `±HH:MM`
//! with the offset rounded to whole seconds (half away from zero) and the seconds dropped.
//! `isoformat()` writes `+00:00` and keeps seconds and microseconds (`+05:30:15.5`); its text
//! is rewritten only in those cases.

/// A replacement for the offset at the end of an `isoformat()` text: `Z` or `±HH:MM`.
#[derive(Clone, Copy)]
pub(crate) struct Zone {
    bytes: [u8; 6],
    len: u8,
}

impl Zone {
    pub(crate) fn as_str(&self) -> &str {
        // only ASCII is ever stored
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("Z")
    }
}

/// Where the offset of an `isoformat()` text starts and what pydantic writes instead, or
/// `None` when the text already is pydantic's. `time_start` is where the time of day begins
/// (11 for a datetime, 0 for a time).
pub(crate) fn pydantic_zone(iso: &str, time_start: usize) -> Option<(usize, Zone)> {
    // the offset follows HH:MM:SS[.ffffff]; any sign from there on starts it
    let search_from = time_start + 8;
    let at = iso.get(search_from..)?.find(['+', '-'])? + search_from;
    let b = &iso.as_bytes()[at..];
    if b.len() == 6 && &b[1..] != b"00:00" {
        return None; // ±HH:MM, not zero: already pydantic's
    }
    let number = |from: usize, len: usize| -> Option<u64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0u64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0'))
        })
    };
    let mut micros = (number(1, 2)? * 60 + number(4, 2)?) * 60 * 1_000_000;
    if b.len() >= 9 {
        micros += number(7, 2)? * 1_000_000;
    }
    if b.len() > 10 {
        micros += number(10, b.len() - 10)?;
    }
    Some((at, zone_of(b[0] == b'-', micros)))
}

/// The zone for an offset of `micros` microseconds (`negative` west of UTC), below a day.
pub(crate) fn zone_of(negative: bool, micros: u64) -> Zone {
    let seconds = (micros + 500_000) / 1_000_000;
    if seconds == 0 {
        return Zone {
            bytes: *b"Z     ",
            len: 1,
        };
    }
    let (hours, minutes) = (seconds / 3600, seconds / 60 % 60);
    let digit = |n: u64| b'0' + (n % 10) as u8;
    let sign = if negative { b'-' } else { b'+' };
    let bytes = [
        sign,
        digit(hours / 10),
        digit(hours),
        b':',
        digit(minutes / 10),
        digit(minutes),
    ];
    Zone { bytes, len: 6 }
}

#[cfg(test)]
mod tests {
    use super::pydantic_zone;

    #[test]
    fn rewrites_as_pydantic() {
        // (isoformat text, pydantic's), offsets from pydantic 2.14's dump_json
        let cases = [
            ("2024-01-01T00:00:00", None),
            ("2024-01-01T00:00:00.000005", None),
            ("2024-01-01T00:00:00+05:30", None),
            ("2024-01-01T00:00:00+00:00", Some("2024-01-01T00:00:00Z")),
            (
                "2024-01-01T00:00:00.5-00:00",
                Some("2024-01-01T00:00:00.5Z"),
            ),
            (
                "2024-01-01T00:00:00+00:00:30",
                Some("2024-01-01T00:00:00+00:00"),
            ),
            (
                "2024-01-01T00:00:00-00:00:30",
                Some("2024-01-01T00:00:00-00:00"),
            ),
            (
                "2024-01-01T00:00:00-00:00:00.500000",
                Some("2024-01-01T00:00:00-00:00"),
            ),
            (
                "2024-01-01T00:00:00+00:00:00.400000",
                Some("2024-01-01T00:00:00Z"),
            ),
            (
                "2024-01-01T00:00:00-00:01:01",
                Some("2024-01-01T00:00:00-00:01"),
            ),
            (
                "2024-01-01T00:00:00+01:00:00.600000",
                Some("2024-01-01T00:00:00+01:00"),
            ),
            (
                "2024-01-01T00:00:00+23:59:59",
                Some("2024-01-01T00:00:00+23:59"),
            ),
        ];
        for (iso, expected) in cases {
            assert_eq!(rewritten(iso, 11).as_deref(), expected, "{iso}");
        }
        assert_eq!(rewritten("01:00:00+00:00", 0).as_deref(), Some("01:00:00Z"));
        assert_eq!(rewritten("01:00:00.000001-05:00", 0), None);
        assert_eq!(rewritten("01:00:00", 0), None);
    }

    fn rewritten(iso: &str, time_start: usize) -> Option<String> {
        pydantic_zone(iso, time_start).map(|(at, zone)| format!("{}{}", &iso[..at], zone.as_str()))
    }
}
