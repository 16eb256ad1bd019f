//! Strict ISO 8601 parsing of dates, times, datetimes and durations.
//!
//! All functions work on the UTF-8 bytes of the input and never slice the
//! `str` itself, so any input (including multi-byte characters at any
//! position) is handled without panicking: a non-ASCII byte is simply an
//! invalid character.

/// A calendar date. Always valid when returned by this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A time of day. `offset_seconds` is `None` for naive times, `Some(0)` for
/// `Z`/`z`, and negative for offsets west of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeParts {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub microsecond: u32,
    pub offset_seconds: Option<i32>,
}

/// The magnitude of a duration plus its sign. `seconds` may exceed 86400;
/// `microseconds` is always below 1_000_000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DurationParts {
    pub negative: bool,
    pub days: u64,
    pub seconds: u64,
    pub microseconds: u32,
}

const TOO_SHORT: &str = "input is too short";
const EXTRA: &str = "unexpected extra characters at the end of the input";
const INVALID_DURATION: &str = "invalid duration";
const DURATION_TOO_LARGE: &str = "duration value is too large";

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Result<DateParts, &'static str> {
    let b = s.as_bytes();
    let date = parse_date_bytes(b)?;
    if b.len() > 10 {
        return Err(EXTRA);
    }
    Ok(date)
}

/// Parses `HH:MM[:SS[.ffffff]][Z|z|±HH:MM|±HHMM]`.
pub(crate) fn parse_time(s: &str) -> Result<TimeParts, &'static str> {
    parse_time_bytes(s.as_bytes(), 0)
}

/// Parses a bare date (midnight, naive) or a date, one of `T`, `t` or a
/// single space, and a time as accepted by [`parse_time`].
pub(crate) fn parse_datetime(s: &str) -> Result<(DateParts, TimeParts), &'static str> {
    let b = s.as_bytes();
    let date = parse_date_bytes(b)?;
    match b.get(10) {
        None => Ok((
            date,
            TimeParts {
                hour: 0,
                minute: 0,
                second: 0,
                microsecond: 0,
                offset_seconds: None,
            },
        )),
        Some(b'T' | b't' | b' ') => {
            let time = parse_time_bytes(b, 11)?;
            Ok((date, time))
        }
        Some(_) => Err("invalid datetime separator"),
    }
}

/// Parses an ISO 8601 duration `[-]P[nD][T[nH][nM][n[.f]S]]` or a clock
/// duration `[-][H+:]M+:SS[.f]`.
pub(crate) fn parse_duration(s: &str) -> Result<DurationParts, &'static str> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(TOO_SHORT);
    }
    let (negative, rest) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if rest.is_empty() {
        return Err(TOO_SHORT);
    }
    let mut parts = match rest.split_first() {
        Some((b'P', after)) => parse_iso_duration(after)?,
        _ => parse_clock_duration(rest)?,
    };
    parts.negative = negative;
    Ok(parts)
}

// ---------------------------------------------------------------------------
// helpers

/// Reads one ASCII digit at `i`: end of input is "too short", anything else
/// (including any byte of a multi-byte character) is `err`.
fn digit(b: &[u8], i: usize, err: &'static str) -> Result<u32, &'static str> {
    match b.get(i) {
        None => Err(TOO_SHORT),
        Some(c @ b'0'..=b'9') => Ok(u32::from(c - b'0')),
        Some(_) => Err(err),
    }
}

fn two_digits(b: &[u8], i: usize, err: &'static str) -> Result<u32, &'static str> {
    Ok(digit(b, i, err)? * 10 + digit(b, i + 1, err)?)
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_date_bytes(b: &[u8]) -> Result<DateParts, &'static str> {
    if b.len() < 10 {
        return Err(TOO_SHORT);
    }
    let year = two_digits(b, 0, "invalid character in year")? * 100
        + two_digits(b, 2, "invalid character in year")?;
    if b[4] != b'-' {
        return Err("invalid date separator");
    }
    let month = two_digits(b, 5, "invalid character in month")?;
    if b[7] != b'-' {
        return Err("invalid date separator");
    }
    let day = two_digits(b, 8, "invalid character in day")?;
    if year == 0 {
        return Err("year value is outside expected range");
    }
    if !(1..=12).contains(&month) {
        return Err("month value is outside expected range");
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err("day value is outside expected range");
    }
    Ok(DateParts {
        year: year as i32,
        month: month as u8,
        day: day as u8,
    })
}

/// Parses a time starting at byte `start`; the time must run to the end.
fn parse_time_bytes(b: &[u8], start: usize) -> Result<TimeParts, &'static str> {
    if b.len() < start + 5 {
        return Err(TOO_SHORT);
    }
    let hour = two_digits(b, start, "invalid character in hour")?;
    if b[start + 2] != b':' {
        return Err("invalid time separator");
    }
    let minute = two_digits(b, start + 3, "invalid character in minute")?;
    if hour > 23 {
        return Err("hour value is outside expected range");
    }
    if minute > 59 {
        return Err("minute value is outside expected range");
    }
    let mut pos = start + 5;
    let mut second = 0;
    let mut microsecond = 0;
    if b.get(pos) == Some(&b':') {
        second = two_digits(b, pos + 1, "invalid character in second")?;
        if second > 59 {
            return Err("second value is outside expected range");
        }
        pos += 3;
        if b.get(pos) == Some(&b'.') {
            let (micro, end) = parse_fraction(b, pos + 1)?;
            microsecond = micro;
            pos = end;
        }
    }
    let offset_seconds = match b.get(pos) {
        None => None,
        Some(b'Z' | b'z') => {
            pos += 1;
            Some(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let (offset, end) = parse_offset(b, pos + 1)?;
            pos = end;
            Some(if sign == b'-' { -offset } else { offset })
        }
        Some(_) => return Err(EXTRA),
    };
    if pos != b.len() {
        return Err(EXTRA);
    }
    Ok(TimeParts {
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        microsecond,
        offset_seconds,
    })
}

/// Parses 1-6 fraction digits starting at `start` (just after the `.`),
/// right-padded to microseconds. Returns the value and the end position.
fn parse_fraction(b: &[u8], start: usize) -> Result<(u32, usize), &'static str> {
    let mut value = 0u32;
    let mut pos = start;
    while let Some(c @ b'0'..=b'9') = b.get(pos) {
        if pos - start == 6 {
            return Err("second fraction value is more than 6 digits long");
        }
        value = value * 10 + u32::from(c - b'0');
        pos += 1;
    }
    let count = pos - start;
    if count == 0 {
        return Err(match b.get(pos) {
            None => TOO_SHORT,
            Some(_) => "invalid character in second fraction",
        });
    }
    for _ in count..6 {
        value *= 10;
    }
    Ok((value, pos))
}

/// Parses `HH:MM` or `HHMM` (after the sign) into unsigned seconds.
fn parse_offset(b: &[u8], start: usize) -> Result<(i32, usize), &'static str> {
    const BAD: &str = "invalid timezone offset";
    let d = |i: usize| match b.get(i) {
        Some(c @ b'0'..=b'9') => Ok(i32::from(c - b'0')),
        _ => Err(BAD),
    };
    let hours = d(start)? * 10 + d(start + 1)?;
    let mut pos = start + 2;
    if b.get(pos) == Some(&b':') {
        pos += 1;
    }
    let minutes = d(pos)? * 10 + d(pos + 1)?;
    if hours > 23 || minutes > 59 {
        return Err(BAD);
    }
    Ok((hours * 3600 + minutes * 60, pos + 2))
}

/// Reads a run of ASCII digits starting at `start`. Returns the value
/// (`None` on u64 overflow) and the end position; an empty run has end ==
/// start and value `Some(0)`.
fn digit_run(b: &[u8], start: usize) -> (Option<u64>, usize) {
    let mut value = Some(0u64);
    let mut pos = start;
    while let Some(c @ b'0'..=b'9') = b.get(pos) {
        value = value
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(c - b'0')));
        pos += 1;
    }
    (value, pos)
}

/// Multiplies a component value by its unit and adds it to `acc`.
fn add_scaled(acc: u64, value: Option<u64>, unit: u64) -> Result<u64, &'static str> {
    value
        .and_then(|v| v.checked_mul(unit))
        .and_then(|v| v.checked_add(acc))
        .ok_or(DURATION_TOO_LARGE)
}

/// Parses the part of an ISO duration after `P`.
fn parse_iso_duration(b: &[u8]) -> Result<DurationParts, &'static str> {
    let mut parts = DurationParts {
        negative: false,
        days: 0,
        seconds: 0,
        microseconds: 0,
    };
    let mut pos = 0;
    let mut any = false;

    // date part: 365-day years (as durations are written) then days
    if matches!(b.first(), Some(b'0'..=b'9')) {
        let (value, end) = digit_run(b, 0);
        if b.get(end) == Some(&b'Y') {
            let years = value.ok_or(DURATION_TOO_LARGE)?;
            parts.days = years.checked_mul(365).ok_or(DURATION_TOO_LARGE)?;
            pos = end + 1;
            any = true;
        }
    }
    if matches!(b.get(pos), Some(b'0'..=b'9')) {
        let (value, end) = digit_run(b, pos);
        if b.get(end) != Some(&b'D') {
            return Err(INVALID_DURATION);
        }
        let days = value.ok_or(DURATION_TOO_LARGE)?;
        parts.days = parts.days.checked_add(days).ok_or(DURATION_TOO_LARGE)?;
        pos = end + 1;
        any = true;
    }
    match b.get(pos) {
        None if any => return Ok(parts),
        None => return Err(INVALID_DURATION),
        Some(b'T') => pos += 1,
        Some(_) => return Err(INVALID_DURATION),
    }

    // time part: H, M, S in this order, each at most once, at least one
    // 0 = nothing yet, 1 = after H, 2 = after M, 3 = after S
    let mut stage = 0u8;
    while pos < b.len() {
        if stage == 3 {
            return Err(INVALID_DURATION);
        }
        let (value, end) = digit_run(b, pos);
        if end == pos {
            return Err(INVALID_DURATION);
        }
        match b.get(end) {
            Some(b'H') if stage < 1 => {
                parts.seconds = add_scaled(parts.seconds, value, 3600)?;
                stage = 1;
                pos = end + 1;
            }
            Some(b'M') if stage < 2 => {
                parts.seconds = add_scaled(parts.seconds, value, 60)?;
                stage = 2;
                pos = end + 1;
            }
            Some(b'S') => {
                parts.seconds = add_scaled(parts.seconds, value, 1)?;
                stage = 3;
                pos = end + 1;
            }
            Some(b'.') => {
                let (micro, frac_end) = match parse_fraction(b, end + 1) {
                    Ok(v) => v,
                    Err(_) => return Err(INVALID_DURATION),
                };
                if b.get(frac_end) != Some(&b'S') {
                    return Err(INVALID_DURATION);
                }
                parts.seconds = add_scaled(parts.seconds, value, 1)?;
                parts.microseconds = micro;
                stage = 3;
                pos = frac_end + 1;
            }
            _ => return Err(INVALID_DURATION),
        }
    }
    if stage == 0 {
        return Err(INVALID_DURATION);
    }
    Ok(parts)
}

/// Parses `[H+:]M+:SS[.f]` (the sign has already been removed).
fn parse_clock_duration(b: &[u8]) -> Result<DurationParts, &'static str> {
    let (first, end1) = digit_run(b, 0);
    if end1 == 0 || b.get(end1) != Some(&b':') {
        return Err(INVALID_DURATION);
    }
    let (second_run, end2) = digit_run(b, end1 + 1);
    if end2 == end1 + 1 {
        return Err(INVALID_DURATION);
    }
    let (hours, minutes, secs, secs_start, secs_end) = if b.get(end2) == Some(&b':') {
        let (third, end3) = digit_run(b, end2 + 1);
        (first, second_run, third, end2 + 1, end3)
    } else {
        (Some(0), first, second_run, end1 + 1, end2)
    };
    if secs_end - secs_start != 2 {
        return Err(INVALID_DURATION);
    }
    let had_hours = secs_start != end1 + 1;
    if had_hours && minutes.is_none_or(|m| m > 59) {
        return Err("minute value is outside expected range");
    }
    let secs = secs.unwrap_or(u64::MAX);
    if secs > 59 {
        return Err("second value is outside expected range");
    }
    let mut pos = secs_end;
    let mut microseconds = 0;
    if b.get(pos) == Some(&b'.') {
        let (micro, frac_end) = match parse_fraction(b, pos + 1) {
            Ok(v) => v,
            Err(_) => return Err(INVALID_DURATION),
        };
        microseconds = micro;
        pos = frac_end;
    }
    if pos != b.len() {
        return Err(INVALID_DURATION);
    }
    let seconds = add_scaled(0, hours, 3600)?;
    let seconds = add_scaled(seconds, minutes, 60)?;
    let seconds = add_scaled(seconds, Some(secs), 1)?;
    Ok(DurationParts {
        negative: false,
        days: 0,
        seconds,
        microseconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u8, day: u8) -> DateParts {
        DateParts { year, month, day }
    }

    fn t(hour: u8, minute: u8, second: u8, microsecond: u32, offset: Option<i32>) -> TimeParts {
        TimeParts {
            hour,
            minute,
            second,
            microsecond,
            offset_seconds: offset,
        }
    }

    fn dur(negative: bool, days: u64, seconds: u64, microseconds: u32) -> DurationParts {
        DurationParts {
            negative,
            days,
            seconds,
            microseconds,
        }
    }

    const DATE_CASES: &[(&str, i32, u8, u8)] = &[
        ("2020-01-01", 2020, 1, 1),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
        ("2000-02-29", 2000, 2, 29),
        ("2024-02-29", 2024, 2, 29),
        ("1900-02-28", 1900, 2, 28),
        ("2023-12-31", 2023, 12, 31),
        ("1970-01-01", 1970, 1, 1),
        ("2021-04-30", 2021, 4, 30),
        ("2021-06-30", 2021, 6, 30),
        ("2021-09-30", 2021, 9, 30),
        ("2021-11-30", 2021, 11, 30),
        ("2021-01-31", 2021, 1, 31),
        ("2021-03-31", 2021, 3, 31),
        ("2021-05-31", 2021, 5, 31),
        ("2021-07-31", 2021, 7, 31),
        ("2021-08-31", 2021, 8, 31),
        ("2021-10-31", 2021, 10, 31),
        ("2021-12-31", 2021, 12, 31),
        ("0004-02-29", 4, 2, 29),
        ("0400-02-29", 400, 2, 29),
        ("1600-02-29", 1600, 2, 29),
    ];
    /// (hour, minute, second, microsecond, offset_seconds)
    type TimeTuple = (u8, u8, u8, u32, Option<i32>);

    const TIME_CASES: &[(&str, TimeTuple)] = &[
        ("00:00", (0, 0, 0, 0, None)),
        ("23:59", (23, 59, 0, 0, None)),
        ("12:30:45", (12, 30, 45, 0, None)),
        ("12:30:45.5", (12, 30, 45, 500000, None)),
        ("12:30:45.000001", (12, 30, 45, 1, None)),
        ("12:30:45.123456", (12, 30, 45, 123456, None)),
        ("12:30:45.12", (12, 30, 45, 120000, None)),
        ("12:30:45.123", (12, 30, 45, 123000, None)),
        ("12:30:45.1234", (12, 30, 45, 123400, None)),
        ("12:30:45.12345", (12, 30, 45, 123450, None)),
        ("12:30Z", (12, 30, 0, 0, Some(0))),
        ("12:30z", (12, 30, 0, 0, Some(0))),
        ("12:30:45Z", (12, 30, 45, 0, Some(0))),
        ("12:30:45.5+05:30", (12, 30, 45, 500000, Some(19800))),
        ("12:30:45-05:30", (12, 30, 45, 0, Some(-19800))),
        ("12:30:45+0530", (12, 30, 45, 0, Some(19800))),
        ("12:30:45-0000", (12, 30, 45, 0, Some(0))),
        ("12:30:45+23:59", (12, 30, 45, 0, Some(86340))),
        ("12:30:45-23:59", (12, 30, 45, 0, Some(-86340))),
        ("00:00:00.000000+00:00", (0, 0, 0, 0, Some(0))),
        ("23:59:59.999999-01:00", (23, 59, 59, 999999, Some(-3600))),
        ("12:30:45.9Z", (12, 30, 45, 900000, Some(0))),
    ];
    const DATETIME_CASES: &[(&str, (i32, u8, u8), TimeTuple)] = &[
        ("2020-01-01", (2020, 1, 1), (0, 0, 0, 0, None)),
        ("2020-01-01T00:00", (2020, 1, 1), (0, 0, 0, 0, None)),
        ("2020-01-01t12:30", (2020, 1, 1), (12, 30, 0, 0, None)),
        ("2020-01-01 12:30:45", (2020, 1, 1), (12, 30, 45, 0, None)),
        (
            "2020-01-01T12:30:45.123456Z",
            (2020, 1, 1),
            (12, 30, 45, 123456, Some(0)),
        ),
        (
            "2020-02-29T23:59:59.999999+14:00",
            (2020, 2, 29),
            (23, 59, 59, 999999, Some(50400)),
        ),
        (
            "2020-02-29T23:59:59.999999-1400",
            (2020, 2, 29),
            (23, 59, 59, 999999, Some(-50400)),
        ),
        (
            "9999-12-31T23:59:59.999999z",
            (9999, 12, 31),
            (23, 59, 59, 999999, Some(0)),
        ),
        (
            "0001-01-01 00:00:00-23:59",
            (1, 1, 1),
            (0, 0, 0, 0, Some(-86340)),
        ),
        (
            "2021-07-04T04:05:06.7+05:45",
            (2021, 7, 4),
            (4, 5, 6, 700000, Some(20700)),
        ),
    ];

    // Values cross-checked with pydantic 2 (`TypeAdapter(timedelta)`), except the
    // two-part clock forms, which this grammar reads as MM:SS (pydantic: HH:MM).
    const DURATION_CASES: &[(&str, bool, u64, u64, u32)] = &[
        ("P1D", false, 1, 0, 0),
        ("PT0S", false, 0, 0, 0),
        ("P0D", false, 0, 0, 0),
        ("PT1H", false, 0, 3600, 0),
        ("PT1M", false, 0, 60, 0),
        ("PT1S", false, 0, 1, 0),
        ("PT0.5S", false, 0, 0, 500000),
        ("PT1.000001S", false, 0, 1, 1),
        ("P1DT2H3M4.5S", false, 1, 7384, 500000),
        ("-P1DT2H3M4.5S", true, 1, 7384, 500000),
        ("P3DT12H30M5S", false, 3, 45005, 0),
        ("PT36H", false, 1, 43200, 0),
        ("PT90M", false, 0, 5400, 0),
        ("PT100000S", false, 1, 13600, 0),
        ("P999999999D", false, 999999999, 0, 0),
        ("PT1H1S", false, 0, 3601, 0),
        ("PT2M3S", false, 0, 123, 0),
        ("P1DT1M", false, 1, 60, 0),
        ("P1DT0.123456S", false, 1, 0, 123456),
        ("-PT0.1S", true, 0, 0, 100000),
        ("P10DT23H59M59.999999S", false, 10, 86399, 999999),
        ("PT0.01S", false, 0, 0, 10000),
        ("PT0.001S", false, 0, 0, 1000),
        ("PT0.0001S", false, 0, 0, 100),
        ("PT0.00001S", false, 0, 0, 10),
        ("12:34", false, 0, 754, 0),
        ("00:00", false, 0, 0, 0),
        ("90:00", false, 0, 5400, 0),
        ("1:02:03", false, 0, 3723, 0),
        ("01:02:03.5", false, 0, 3723, 500000),
        ("-01:02:03.5", true, 0, 3723, 500000),
        ("100:59:59.999999", false, 4, 17999, 999999),
        ("0:00:00.000001", false, 0, 0, 1),
        ("12345:00", false, 8, 49500, 0),
        ("-00:01", true, 0, 1, 0),
        ("48:00:00", false, 2, 0, 0),
        ("999:59:59", false, 41, 57599, 0),
        ("1:5:00", false, 0, 3900, 0),
    ];

    fn normalised(p: DurationParts) -> (bool, u64, u64, u32) {
        (
            p.negative,
            p.days + p.seconds / 86400,
            p.seconds % 86400,
            p.microseconds,
        )
    }

    #[test]
    fn dates_match_python() {
        for &(s, y, m, day) in DATE_CASES {
            assert_eq!(parse_date(s), Ok(d(y, m, day)), "{s}");
        }
    }

    #[test]
    fn times_match_python() {
        for &(s, (h, m, sec, us, off)) in TIME_CASES {
            assert_eq!(parse_time(s), Ok(t(h, m, sec, us, off)), "{s}");
        }
    }

    #[test]
    fn datetimes_match_python() {
        for &(s, (y, mo, day), (h, mi, sec, us, off)) in DATETIME_CASES {
            assert_eq!(
                parse_datetime(s),
                Ok((d(y, mo, day), t(h, mi, sec, us, off))),
                "{s}"
            );
        }
    }

    #[test]
    fn durations_match_python() {
        for &(s, neg, days, secs, us) in DURATION_CASES {
            let parsed = parse_duration(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(normalised(parsed), (neg, days, secs, us), "{s}");
        }
    }

    #[test]
    fn duration_raw_fields() {
        assert_eq!(parse_duration("PT36H"), Ok(dur(false, 0, 129600, 0)));
        assert_eq!(parse_duration("P2DT1S"), Ok(dur(false, 2, 1, 0)));
        assert_eq!(parse_duration("-PT0S"), Ok(dur(true, 0, 0, 0)));
        assert_eq!(parse_duration("-0:00"), Ok(dur(true, 0, 0, 0)));
        assert_eq!(parse_duration("90:00"), Ok(dur(false, 0, 5400, 0)));
        assert_eq!(
            parse_duration("2:00:00.25"),
            Ok(dur(false, 0, 7200, 250000))
        );
        assert_eq!(
            parse_duration("P18446744073709551615D"),
            Ok(dur(false, u64::MAX, 0, 0))
        );
        assert_eq!(
            parse_duration("PT18446744073709551615S"),
            Ok(dur(false, 0, u64::MAX, 0))
        );
    }

    #[test]
    fn date_errors() {
        let cases: &[(&str, &str)] = &[
            ("", "input is too short"),
            ("2020-01-1", "input is too short"),
            ("2020", "input is too short"),
            ("20x0-01-01", "invalid character in year"),
            ("-020-01-01", "invalid character in year"),
            ("2020/01/01", "invalid date separator"),
            ("2020-01/01", "invalid date separator"),
            ("2020-0a-01", "invalid character in month"),
            ("2020-01-0a", "invalid character in day"),
            ("0000-01-01", "year value is outside expected range"),
            ("2020-00-01", "month value is outside expected range"),
            ("2020-13-01", "month value is outside expected range"),
            ("2020-01-00", "day value is outside expected range"),
            ("2020-01-32", "day value is outside expected range"),
            ("2021-02-29", "day value is outside expected range"),
            ("1900-02-29", "day value is outside expected range"),
            ("2100-02-29", "day value is outside expected range"),
            ("2020-04-31", "day value is outside expected range"),
            ("2020-06-31", "day value is outside expected range"),
            ("2020-09-31", "day value is outside expected range"),
            ("2020-11-31", "day value is outside expected range"),
            (
                "2020-01-01T",
                "unexpected extra characters at the end of the input",
            ),
            (
                "2020-01-01 ",
                "unexpected extra characters at the end of the input",
            ),
            (" 2020-01-01", "invalid character in year"),
            ("２020-01-01", "invalid character in year"),
            ("2020-01-0１", "invalid character in day"),
            ("20200101", "input is too short"),
            ("+2020-01-01", "invalid character in year"),
        ];
        for &(s, e) in cases {
            assert_eq!(parse_date(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn time_errors() {
        let cases: &[(&str, &str)] = &[
            ("", "input is too short"),
            ("12:3", "input is too short"),
            ("12", "input is too short"),
            ("1a:30", "invalid character in hour"),
            ("12-30", "invalid time separator"),
            ("12.30", "invalid time separator"),
            ("12:3a", "invalid character in minute"),
            ("24:00", "hour value is outside expected range"),
            ("99:00", "hour value is outside expected range"),
            ("12:60", "minute value is outside expected range"),
            ("12:30:60", "second value is outside expected range"),
            ("12:30:61", "second value is outside expected range"),
            ("12:30:", "input is too short"),
            ("12:30:4", "input is too short"),
            ("12:30:4x", "invalid character in second"),
            ("12:30:45.", "input is too short"),
            ("12:30:45.Z", "invalid character in second fraction"),
            (
                "12:30:45.1234567",
                "second fraction value is more than 6 digits long",
            ),
            (
                "12:30.5",
                "unexpected extra characters at the end of the input",
            ),
            (
                "12:30:45x",
                "unexpected extra characters at the end of the input",
            ),
            (
                "12:30:45 ",
                "unexpected extra characters at the end of the input",
            ),
            (
                "12:30:45ZZ",
                "unexpected extra characters at the end of the input",
            ),
            (
                "12:30:45Z ",
                "unexpected extra characters at the end of the input",
            ),
            (
                "12:30:45+05:30x",
                "unexpected extra characters at the end of the input",
            ),
            ("12:30:45+05:3", "invalid timezone offset"),
            ("12:30:45+05", "invalid timezone offset"),
            ("12:30:45+5:30", "invalid timezone offset"),
            ("12:30:45+", "invalid timezone offset"),
            ("12:30:45+24:00", "invalid timezone offset"),
            ("12:30:45+05:60", "invalid timezone offset"),
            ("12:30:45+05-30", "invalid timezone offset"),
            ("12:30:45+05::30", "invalid timezone offset"),
            (
                "12:30:45\u{2212}05:00",
                "unexpected extra characters at the end of the input",
            ),
            ("12:30:45.１", "invalid character in second fraction"),
            ("１2:30", "invalid character in hour"),
            (" 12:30", "invalid character in hour"),
            ("T12:30", "invalid character in hour"),
        ];
        for &(s, e) in cases {
            assert_eq!(parse_time(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn datetime_errors() {
        let cases: &[(&str, &str)] = &[
            ("", "input is too short"),
            ("2020-01-01T", "input is too short"),
            ("2020-01-01T12", "input is too short"),
            ("2020-01-01_12:30", "invalid datetime separator"),
            ("2020-01-01x12:30", "invalid datetime separator"),
            ("2020-01-01  12:30", "invalid character in hour"),
            ("2020-01-01TT12:30", "invalid character in hour"),
            ("2020-01-01é12:30", "invalid datetime separator"),
            ("2020-02-30T12:30", "day value is outside expected range"),
            ("2020-01-01T25:00", "hour value is outside expected range"),
            (
                "2020-01-01T12:30:45.1234567",
                "second fraction value is more than 6 digits long",
            ),
            ("2020-01-01T12:30:45+25:00", "invalid timezone offset"),
            (
                "2020-01-01T12:30:45Zx",
                "unexpected extra characters at the end of the input",
            ),
        ];
        for &(s, e) in cases {
            assert_eq!(parse_datetime(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn duration_errors() {
        let invalid = "invalid duration";
        let large = "duration value is too large";
        let cases: &[(&str, &str)] = &[
            ("", "input is too short"),
            ("-", "input is too short"),
            ("P", invalid),
            ("-P", invalid),
            ("PT", invalid),
            ("P1DT", invalid),
            ("P1", invalid),
            ("P1H", invalid),
            ("P1M", invalid),
            ("P1W", invalid),
            ("P1W", invalid),
            ("PD", invalid),
            ("PTH", invalid),
            ("PT1", invalid),
            ("PT1D", invalid),
            ("PT1M1H", invalid),
            ("PT1S1M", invalid),
            ("PT1S1S", invalid),
            ("PT1H1H", invalid),
            ("PT1M1M", invalid),
            ("PT1.5H", invalid),
            ("PT1.5M", invalid),
            ("P1.5D", invalid),
            ("PT1.S", invalid),
            ("PT.5S", invalid),
            ("PT1.1234567S", invalid),
            ("PT1.5", invalid),
            ("PT1Sx", invalid),
            ("P1D ", invalid),
            (" P1D", invalid),
            ("p1d", invalid),
            ("P1d", invalid),
            ("Pt1S", invalid),
            ("+P1D", invalid),
            ("--P1D", invalid),
            ("P-1D", invalid),
            ("PT-1S", invalid),
            ("P1DT1HT1M", invalid),
            ("P１D", invalid),
            ("PT1Hé", invalid),
            ("P99999999999999999999D", large),
            ("PT99999999999999999999S", large),
            ("PT9999999999999999H", large),
            ("PT999999999999999999M", large),
            ("PT18446744073709551615H", large),
            ("PT1H18446744073709551615S", large),
            ("12", invalid),
            ("12:", invalid),
            (":12", invalid),
            ("12:3", invalid),
            ("12:345", invalid),
            ("1:2:3", invalid),
            ("1:02:3", invalid),
            ("12:60", "second value is outside expected range"),
            ("1:60:00", "minute value is outside expected range"),
            (
                "1:99999999999999999999999:00",
                "minute value is outside expected range",
            ),
            ("1:00:60", "second value is outside expected range"),
            ("1:00:00:00", invalid),
            ("12:00.", invalid),
            ("12:00.1234567", invalid),
            ("12:00 ", invalid),
            ("12:00x", invalid),
            ("12:00Z", invalid),
            ("-12:00:00-", invalid),
            ("+12:00", invalid),
            ("１2:00", invalid),
            ("99999999999999999999999:00", large),
            ("9999999999999999:00:00", large),
            ("307445734561825861:00", large),
        ];
        for &(s, e) in cases {
            assert_eq!(parse_duration(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn duration_boundaries_near_overflow() {
        // 307445734561825860 * 60 + 15 == u64::MAX
        assert_eq!(
            parse_duration("307445734561825860:15"),
            Ok(dur(false, 0, u64::MAX, 0))
        );
        assert_eq!(
            parse_duration("307445734561825860:16"),
            Err("duration value is too large")
        );
        assert_eq!(
            parse_duration("PT307445734561825860M15S"),
            Ok(dur(false, 0, u64::MAX, 0))
        );
        assert_eq!(
            parse_duration("PT307445734561825860M16S"),
            Err("duration value is too large")
        );
    }

    /// Deterministic xorshift generator for the no-panic test.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
    }

    fn exercise(s: &str) {
        let _ = parse_date(s);
        let _ = parse_time(s);
        let _ = parse_datetime(s);
        let _ = parse_duration(s);
    }

    #[test]
    fn never_panics() {
        let fixed = [
            "",
            "-",
            "P",
            "T",
            ":",
            ".",
            "é",
            "€",
            "😀",
            "\0",
            "\u{feff}2020-01-01",
            "2020-01-01\u{feff}",
            "2020-01-0é",
            "2020-01-01Té",
            "2020-01-01T12:30:4é",
            "2020-01-01T12:30:45.é",
            "2020-01-01T12:30:45+é",
            "2020-01-01T12:30:45+05é",
            "2020-01-01T12:30:45+05:é",
            "12:30:45.123456789012345678901234567890",
            "12:30:45+",
            "12:30:45-",
            "12:30:45+0",
            "12:30:45+05:",
            "12:30:45+05:3",
            "12:30:45.",
            "P1",
            "P1D1",
            "PT1.",
            "PT1.é",
            "PTé",
            "-é",
            "1:é",
            "1:00:é",
            "1:00:00.é",
            "99999999999999999999999999999999999999999999999999:00:00",
            "1:99999999999999999999999999999999999999999999999999:00",
            "P99999999999999999999999999999999999999999999999999DT99999999999999999999999H",
        ];
        for s in fixed {
            exercise(s);
        }
        let long_digits = "9".repeat(10_000);
        exercise(&long_digits);
        exercise(&format!("P{long_digits}D"));
        exercise(&format!("PT{long_digits}.5S"));
        exercise(&format!("{long_digits}:{long_digits}:00"));
        exercise(&format!("12:30:45.{long_digits}"));

        // random strings over an alphabet of interesting pieces
        let pieces = [
            "0", "1", "2", "5", "9", "12", "2020", "-", "+", ":", ".", "T", "t", " ", "Z", "z",
            "P", "D", "H", "M", "S", "é", "€", "😀", "\u{0}", "\u{7f}", "\u{80}", "Y", "W",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..50_000 {
            let len = (rng.next() % 24) as usize;
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(pieces[(rng.next() % pieces.len() as u64) as usize]);
            }
            exercise(&s);
        }
        // mutate valid inputs by replacing one character with a multi-byte one
        let valid = [
            "2020-01-01T12:30:45.123456+05:30",
            "P1DT2H3M4.5S",
            "-100:59:59.999999",
        ];
        for v in valid {
            for (i, _) in v.char_indices() {
                for rep in ["é", "€", "😀", "", "9", ":"] {
                    let mut s = String::new();
                    s.push_str(&v[..i]);
                    s.push_str(rep);
                    s.push_str(&v[i + 1..]);
                    exercise(&s);
                    exercise(&v[..i]);
                    exercise(&v[i..]);
                }
            }
        }
    }
}
