//! The UTC offset of a datetime or time as pydantic writes it: `Z` for UTC, else `±HH:MM`
//! with the offset rounded to whole seconds (half away from zero) and the seconds dropped.
//! `isoformat()` writes `+00:00` and keeps seconds and microseconds (`+05:30:15.5`); its text
//! is rewritten only in those cases.

/// The pydantic form of an `isoformat()` text, or `None` when it already is.
/// `time_start` is where the time of day begins (11 for a datetime, 0 for a time).
pub(crate) fn pydantic_zone(iso: &str, time_start: usize) -> Option<String> {
    // the offset follows HH:MM:SS[.ffffff]; any sign from there on starts it
    let search_from = time_start + 8;
    let at = iso.get(search_from..)?.find(['+', '-'])? + search_from;
    let (head, zone) = iso.split_at(at);
    let b = zone.as_bytes();
    if b.len() == 6 && &b[1..] != b"00:00" {
        return None; // ±HH:MM, not zero: already pydantic's
    }
    let number = |from: usize, len: usize| -> Option<u64> {
        let digits = zone.get(from..from + len)?;
        digits
            .bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let mut micros = (number(1, 2)? * 60 + number(4, 2)?) * 60 * 1_000_000;
    if b.len() >= 9 {
        micros += number(7, 2)? * 1_000_000;
    }
    if b.len() > 10 {
        micros += number(10, b.len() - 10)?;
    }
    let seconds = (micros + 500_000) / 1_000_000;
    let mut out = String::with_capacity(head.len() + 6);
    out.push_str(head);
    if seconds == 0 {
        out.push('Z');
    } else {
        let minutes = seconds / 60;
        out.push(char::from(b[0]));
        out.push_str(&format!("{:02}:{:02}", minutes / 60, minutes % 60));
    }
    Some(out)
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
            assert_eq!(pydantic_zone(iso, 11).as_deref(), expected, "{iso}");
        }
        assert_eq!(
            pydantic_zone("01:00:00+00:00", 0).as_deref(),
            Some("01:00:00Z")
        );
        assert_eq!(pydantic_zone("01:00:00.000001-05:00", 0), None);
        assert_eq!(pydantic_zone("01:00:00", 0), None);
    }
}
