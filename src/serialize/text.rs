//! The JSON text of values JSON has no type for: datetimes, durations, UUIDs, decimals, bytes.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use super::classify::Kind;
use super::json_error;
use crate::json::bytes_codec::encode;
use crate::json::write::{write_duration_iso, write_json_str};
use crate::model::JsonOutput;

/// Such a text: a Python str already (isoformat, `str(Decimal)`), or made here.
pub(crate) enum Text<'py> {
    Py(Bound<'py, PyString>),
    Ascii(String),
}

impl<'py> Text<'py> {
    pub(crate) fn into_py(self, py: Python<'py>) -> Bound<'py, PyString> {
        match self {
            Text::Py(text) => text,
            Text::Ascii(text) => PyString::new(py, &text),
        }
    }

    pub(crate) fn write_json(&self, out: &mut Vec<u8>) -> PyResult<()> {
        match self {
            Text::Py(text) => write_json_str(text.to_str()?, out),
            Text::Ascii(text) => write_json_str(text, out),
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
        Kind::DateTime | Kind::Date | Kind::Time => Text::Py(
            value
                .call_method0(pyo3::intern!(py, "isoformat"))?
                .downcast_into::<PyString>()?,
        ),
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
