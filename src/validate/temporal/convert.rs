//! The `speedate` crate (pydantic-core's own parser) read the way pydantic reads it: text,
//! Unix timestamps (seconds, or milliseconds above 2e10) and seconds-as-numbers become
//! speedate values; a failure is the crate's own sentence, which becomes `ctx["error"]`.
//!
//! Fractions beyond microseconds are truncated (pydantic's default `microseconds_precision`);
//! numbers are read in UTC. Nothing here touches Python.

use speedate::{
    Date, DateConfig, DateTime, DateTimeConfig, Duration, MicrosecondsPrecisionOverflowBehavior,
    ParseError, Time, TimeConfig, TimestampUnit,
};
use strum::EnumMessage;

pub(crate) type Parsed<T> = Result<T, &'static str>;

const NAN: &str = "NaN values not permitted";
const NEGATIVE_TIME: &str = "time in seconds should be positive";

fn reason(err: ParseError) -> &'static str {
    err.get_documentation().unwrap_or("invalid value")
}

fn time_config() -> TimeConfig {
    TimeConfig {
        microseconds_precision_overflow_behavior: MicrosecondsPrecisionOverflowBehavior::Truncate,
        unix_timestamp_offset: Some(0),
    }
}

fn datetime_config() -> DateTimeConfig {
    DateTimeConfig {
        timestamp_unit: TimestampUnit::Infer,
        time_config: time_config(),
    }
}

/// A datetime from text: RFC 3339 (`T`, `t`, `_` or space between), else a number as a timestamp.
pub(crate) fn text_datetime(text: &[u8]) -> Parsed<DateTime> {
    DateTime::parse_bytes_with_config(text, &datetime_config()).map_err(reason)
}

/// A date from text: `YYYY-MM-DD`, else an integer timestamp that falls on midnight.
pub(crate) fn text_date(text: &[u8]) -> Parsed<Date> {
    let config = DateConfig {
        timestamp_unit: TimestampUnit::Infer,
    };
    Date::parse_bytes_with_config(text, &config).map_err(reason)
}

pub(crate) fn text_time(text: &[u8]) -> Parsed<Time> {
    Time::parse_bytes_with_config(text, &time_config()).map_err(reason)
}

/// ISO 8601 durations (with `W`, `M`, fractions on any unit), `[-]HH:MM:SS[.f]`, `4d,00:15:30`.
pub(crate) fn text_duration(text: &[u8]) -> Parsed<Duration> {
    Duration::parse_bytes_with_config(text, &time_config()).map_err(reason)
}

pub(crate) fn int_datetime(stamp: i64) -> Parsed<DateTime> {
    DateTime::from_timestamp_with_config(stamp, 0, &datetime_config()).map_err(reason)
}

pub(crate) fn float_datetime(stamp: f64) -> Parsed<DateTime> {
    if stamp.is_nan() {
        return Err(NAN);
    }
    DateTime::from_float_with_config(stamp, &datetime_config()).map_err(reason)
}

/// Seconds since midnight (UTC), below 86,400.
pub(crate) fn int_time(seconds: i64, micros: u32) -> Parsed<Time> {
    if seconds < 0 {
        return Err(NEGATIVE_TIME);
    }
    let seconds = u32::try_from(seconds).unwrap_or(u32::MAX);
    Time::from_timestamp_with_config(seconds, micros, &time_config()).map_err(reason)
}

pub(crate) fn float_time(seconds: f64) -> Parsed<Time> {
    if seconds.is_nan() {
        return Err(NAN);
    }
    let micros = seconds.fract().abs() * 1_000_000.0;
    int_time(seconds.floor() as i64, micros.round() as u32)
}

/// The error for a JSON integer too large for 64 bits given for a time.
pub(crate) fn time_too_large() -> &'static str {
    reason(ParseError::TimeTooLarge)
}

pub(crate) fn int_duration(seconds: i64) -> Parsed<Duration> {
    let magnitude = seconds.unsigned_abs();
    let days = u32::try_from(magnitude / 86_400).unwrap_or(u32::MAX);
    Duration::new(seconds >= 0, days, (magnitude % 86_400) as u32, 0).map_err(reason)
}

pub(crate) fn float_duration(seconds: f64) -> Parsed<Duration> {
    if seconds.is_nan() {
        return Err(NAN);
    }
    let magnitude = seconds.abs();
    let micros = magnitude.fract() * 1_000_000.0;
    let days = (magnitude / 86_400.0) as u32;
    let rest = (magnitude as u64 % 86_400) as u32;
    Duration::new(seconds >= 0.0, days, rest, micros.round() as u32).map_err(reason)
}

/// The date of a datetime whose time of day is exactly zero (any offset).
pub(crate) fn exact_date(moment: &DateTime) -> Option<Date> {
    let t = &moment.time;
    (t.hour == 0 && t.minute == 0 && t.second == 0 && t.microsecond == 0).then_some(moment.date)
}
