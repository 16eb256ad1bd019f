//! The JSON text of values JSON has no type for: datetimes, durations, UUIDs, decimals, bytes.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use super::classify::Kind;
use super::json_error;
use super::zone::{pydantic_zone, zone_of, Zone};
use crate::conv::{py_date_type, py_datetime_type, py_time_type};
use crate::cpython::datetime as capsule;
use crate::json::bytes_codec::encode;
use crate::json::write::{write_duration_iso, write_json_str};
use crate::model::JsonOutput;

/// Such a text: a Python str already (isoformat, `str(Decimal)`), or made here.
pub(crate) enum Text<'py> {
    Py(Bound<'py, PyString>),
    Ascii(String),
    /// An `isoformat()` text whose offset (from the byte given) is written as `Zone`.
    Zoned(Bound<'py, PyString>, usize, Zone),
}

impl<'py> Text<'py> {
    pub(crate) fn into_py(self, py: Python<'py>) -> Bound<'py, PyString> {
        match self {
            Text::Py(text) => text,
            Text::Ascii(text) => PyString::new(py, &text),
            Text::Zoned(iso, at, zone) => {
                let head = iso.to_str().ok().and_then(|s| s.get(..at)).unwrap_or("");
                PyString::new(py, &[head, zone.as_str()].concat())
            }
        }
    }

    pub(crate) fn write_json(&self, out: &mut Vec<u8>) -> PyResult<()> {
        match self {
            Text::Py(text) => write_json_str(text.to_str()?, out),
            Text::Ascii(text) => write_json_str(text, out),
            Text::Zoned(iso, at, zone) => {
                // isoformat() writes ASCII digits and separators only: nothing to escape
                let head = iso.to_str()?.get(..*at).unwrap_or("");
                out.reserve(head.len() + 8);
                out.push(b'"');
                out.extend_from_slice(head.as_bytes());
                out.extend_from_slice(zone.as_str().as_bytes());
                out.push(b'"');
            }
        }
        Ok(())
    }
}

/// The text of `value` when `kind` is one of the kinds written as strings, else `None`.
pub(crate) fn special_text<'py>(
    value: &Bound<'py, PyAny>,
    kind: Kind,
    output: &JsonOutput,
) -> PyResult<Option<Text<'py>>> {
    let py = value.py();
    Ok(Some(match kind {
        Kind::DateTime | Kind::Date | Kind::Time => iso_text(value, kind)?,
        Kind::TimeDelta => Text::Ascii(duration_text(value)?),
        Kind::Uuid => Text::Ascii(uuid_text(
            value.getattr(pyo3::intern!(py, "int"))?.extract()?,
        )),
        Kind::UuidSubclass | Kind::Decimal => Text::Py(value.str()?),
        Kind::Bytes => {
            let raw = value.downcast::<PyBytes>()?.as_bytes();
            match encode(raw, output.bytes) {
                Some(text) => Text::Ascii(text),
                None => Text::Py(PyString::new(py, utf8(py, raw)?)),
            }
        }
        Kind::ByteArray => {
            // copied first: the bytes must not change while they are read
            let raw = value.downcast::<PyByteArray>()?.to_vec();
            match encode(&raw, output.bytes) {
                Some(text) => Text::Ascii(text),
                None => Text::Ascii(utf8(py, &raw)?.to_owned()),
            }
        }
        _ => return Ok(None),
    }))
}

/// `isoformat()` (the base class's, whatever a subclass overrides) with pydantic's UTC offset.
fn iso_text<'py>(value: &Bound<'py, PyAny>, kind: Kind) -> PyResult<Text<'py>> {
    let py = value.py();
    let base = match kind {
        Kind::DateTime => py_datetime_type(py),
        Kind::Date => py_date_type(py),
        _ => py_time_type(py),
    };
    if let Some(exact) = capsule::exact_kind(value) {
        if let Some(text) = fast_iso(value, exact)? {
            return Ok(Text::Ascii(text));
        }
    }
    let name = pyo3::intern!(py, "isoformat");
    let iso = if value.get_type().is(base) {
        value.call_method0(name)?
    } else {
        base.getattr(name)?.call1((value,))?
    };
    let iso = iso.downcast_into::<PyString>()?;
    let time_start = match kind {
        Kind::DateTime => 11,
        Kind::Date => return Ok(Text::Py(iso)),
        _ => 0,
    };
    Ok(match pydantic_zone(iso.to_str()?, time_start) {
        Some((at, zone)) => Text::Zoned(iso, at, zone),
        None => Text::Py(iso),
    })
}

/// An exact datetime, date or time written from its fields (`None`: let `isoformat` write it,
/// and raise what it raises, when a tzinfo answers anything but a timedelta under a day).
fn fast_iso(value: &Bound<'_, PyAny>, exact: capsule::Exact) -> PyResult<Option<String>> {
    let f = capsule::fields(value, exact);
    let mut out = String::with_capacity(32);
    if exact != capsule::Exact::Time {
        push_digits(&mut out, f.year.into(), 4);
        out.push('-');
        push_digits(&mut out, f.month.into(), 2);
        out.push('-');
        push_digits(&mut out, f.day.into(), 2);
        if exact == capsule::Exact::Date {
            return Ok(Some(out));
        }
        out.push('T');
    }
    push_digits(&mut out, f.hour.into(), 2);
    out.push(':');
    push_digits(&mut out, f.minute.into(), 2);
    out.push(':');
    push_digits(&mut out, f.second.into(), 2);
    if f.micro != 0 {
        out.push('.');
        push_digits(&mut out, f.micro, 6);
    }
    let Some(tzinfo) = f.tzinfo.filter(|tz| !tz.is_none()) else {
        return Ok(Some(out));
    };
    if capsule::is_utc(&tzinfo) {
        out.push('Z');
        return Ok(Some(out));
    }
    let py = value.py();
    let arg = if exact == capsule::Exact::Time {
        py.None().into_bound(py)
    } else {
        value.clone()
    };
    let offset = tzinfo.call_method1(pyo3::intern!(py, "utcoffset"), (arg,))?;
    if offset.is_none() {
        return Ok(Some(out));
    }
    let Some((days, seconds, micros)) = capsule::delta_fields(&offset) else {
        return Ok(None);
    };
    let total =
        i64::from(days) * 86_400_000_000 + i64::from(seconds) * 1_000_000 + i64::from(micros);
    if total.unsigned_abs() >= 86_400_000_000 {
        return Ok(None);
    }
    out.push_str(zone_of(total < 0, total.unsigned_abs()).as_str());
    Ok(Some(out))
}

/// `n` as `width` zero-padded decimal digits (at most 6).
fn push_digits(out: &mut String, n: u32, width: usize) {
    let mut digits = [b'0'; 6];
    let mut n = n;
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.push_str(std::str::from_utf8(&digits[..width]).unwrap_or(""));
}

fn utf8<'a>(py: Python<'_>, raw: &'a [u8]) -> PyResult<&'a str> {
    std::str::from_utf8(raw).map_err(|_| {
        json_error(
            py,
            "bytes are not valid UTF-8 and cannot be written as JSON text",
        )
    })
}

/// `str(uuid)` for a `uuid.UUID`: 8-4-4-4-12 lowercase hex digits of its 128-bit value.
pub(crate) fn uuid_text(value: u128) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        let nibble = (value >> (124 - 4 * i)) & 0xf;
        out.push(HEX[nibble as usize] as char);
    }
    out
}

/// A timedelta as pydantic's ISO 8601 duration (`P1DT2H3M4.5S`).
fn duration_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Some((days, seconds, micros)) = capsule::delta_fields(value) {
        let total = i128::from(days) * 86_400_000_000
            + i128::from(seconds) * 1_000_000
            + i128::from(micros);
        let magnitude = total.unsigned_abs();
        let mut out = Vec::with_capacity(24);
        write_duration_iso(
            total < 0,
            (magnitude / 86_400_000_000) as u64,
            (magnitude % 86_400_000_000 / 1_000_000) as u32,
            (magnitude % 1_000_000) as u32,
            &mut out,
        );
        return Ok(String::from_utf8_lossy(&out[1..out.len() - 1]).into_owned());
    }
    let days: i64 = value.getattr("days")?.extract()?;
    let (negative, magnitude) = if days < 0 {
        (true, value.call_method0("__neg__")?)
    } else {
        (false, value.clone())
    };
    let days: u64 = magnitude.getattr("days")?.extract()?;
    let seconds: u32 = magnitude.getattr("seconds")?.extract()?;
    let micros: u32 = magnitude.getattr("microseconds")?.extract()?;
    let mut out = Vec::with_capacity(24);
    write_duration_iso(negative, days, seconds, micros, &mut out);
    // written with quotes, ASCII only
    Ok(String::from_utf8_lossy(&out[1..out.len() - 1]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::uuid_text;

    #[test]
    fn uuid_text_is_hyphenated_lowercase_hex() {
        assert_eq!(uuid_text(0), "00000000-0000-0000-0000-000000000000");
        assert_eq!(
            uuid_text(0x1234_5678_9abc_def0_0fed_cba9_8765_4321),
            "12345678-9abc-def0-0fed-cba987654321"
        );
        assert_eq!(uuid_text(u128::MAX), "ffffffff-ffff-ffff-ffff-ffffffffffff");
    }
}
