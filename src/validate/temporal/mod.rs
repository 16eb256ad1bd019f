//! `datetime`, `date`, `time`, `timedelta`, read as pydantic 2 reads them: the Python objects;
//! in lax mode also text (`str`, `bytes`), Unix timestamps and numbers of seconds; JSON strings
//! always (JSON has no such types). The grammar is the `speedate` crate's (see `convert.rs`).
//!
//! Lax fallbacks, as pydantic: a datetime field takes a date (midnight, naive) when its text
//! is no datetime, and a date field takes a datetime at exactly midnight (any offset); the error
//! then names both (`datetime_from_date_parsing`, `date_from_datetime_parsing`).

mod convert;

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::conv::{
    py_date_type, py_datetime_type, py_time_type, py_timedelta_type, py_timezone_type,
};
use crate::cpython::datetime as capsule;
use crate::input::Input;
use convert::Parsed;

const YEAR_ZERO: &str = "year 0 is out of range";

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    DateTime,
    Date,
    Time,
    TimeDelta,
}

/// What a non-temporal input offers the parsers.
enum Raw<'a, 'py> {
    Text(&'a [u8]),
    Int(i64),
    Float(f64),
    /// A JSON integer beyond 64 bits.
    BigInt,
    Bool(bool),
    /// A Python `date` (for a datetime field).
    Day(&'a Bound<'py, PyAny>),
    /// A Python `datetime` (for a date field).
    Moment(&'a Bound<'py, PyAny>),
    Other,
}

pub(crate) struct TemporalValidator {
    kind: Kind,
    strict: bool,
}

impl TemporalValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>, tag: &str) -> PyResult<Self> {
        let kind = match tag {
            "datetime" => Kind::DateTime,
            "date" => Kind::Date,
            "time" => Kind::Time,
            _ => Kind::TimeDelta,
        };
        Ok(TemporalValidator {
            kind,
            strict: schema::flag(schema, "strict")?,
        })
    }

    pub(crate) fn tag(&self) -> &'static str {
        match self.kind {
            Kind::DateTime => "datetime",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::TimeDelta => "timedelta",
        }
    }

    fn type_code(&self) -> &'static str {
        match self.kind {
            Kind::DateTime => "datetime_type",
            Kind::Date => "date_type",
            Kind::Time => "time_type",
            Kind::TimeDelta => "time_delta_type",
        }
    }

    fn parsing_code(&self) -> &'static str {
        match self.kind {
            Kind::DateTime => "datetime_parsing",
            Kind::Date => "date_parsing",
            Kind::Time => "time_parsing",
            Kind::TimeDelta => "time_delta_parsing",
        }
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let type_error = || ValError::new(py, self.type_code(), input);
        let raw = match input {
            Input::Py(obj) => {
                if let Some(found) = self.instance(py, obj, state)? {
                    return Ok(found);
                }
                if strict {
                    return Err(type_error());
                }
                state.floor(Exactness::Lax);
                match python_raw(py, obj, self.kind) {
                    Some(raw) => raw,
                    None => return Err(ValError::new(py, "string_unicode", input)),
                }
            }
            Input::Json(value) => {
                let raw = json_raw(value);
                match raw {
                    Raw::Text(_) => state.floor(Exactness::Strict),
                    _ if strict => return Err(type_error()),
                    _ => state.floor(Exactness::Lax),
                }
                raw
            }
        };
        match self.kind {
            Kind::DateTime => self.datetime(py, raw, input, strict, state),
            Kind::Date => self.date(py, raw, input, strict, state),
            Kind::Time => match raw {
                Raw::Text(text) => self.built(py, input, convert::text_time(text), py_time),
                Raw::Int(seconds) => self.built(py, input, convert::int_time(seconds, 0), py_time),
                Raw::Float(seconds) => self.built(py, input, convert::float_time(seconds), py_time),
                Raw::BigInt => Err(self.parsing(py, input, convert::time_too_large())),
                _ => Err(type_error()),
            },
            Kind::TimeDelta => match raw {
                Raw::Text(text) => self.built(py, input, convert::text_duration(text), py_delta),
                Raw::Int(seconds) => {
                    self.built(py, input, convert::int_duration(seconds), py_delta)
                }
                Raw::Bool(flag) => {
                    self.built(py, input, convert::int_duration(flag.into()), py_delta)
                }
                Raw::Float(seconds) => {
                    self.built(py, input, convert::float_duration(seconds), py_delta)
                }
                _ => Err(type_error()),
            },
        }
    }

    /// The Python object itself when it is one of the type (a subclass is a strict match).
    fn instance<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
        state: &mut State,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let own = match self.kind {
            Kind::DateTime => py_datetime_type(py),
            Kind::Date => py_date_type(py),
            Kind::Time => py_time_type(py),
            Kind::TimeDelta => py_timedelta_type(py),
        };
        if obj.is_exact_instance(own) {
            return Ok(Some(obj.clone()));
        }
        if obj.is_instance(own)?
            && !(self.kind == Kind::Date && obj.is_instance(py_datetime_type(py))?)
        {
            state.floor(Exactness::Strict);
            return Ok(Some(obj.clone()));
        }
        Ok(None)
    }

    fn datetime<'py>(
        &self,
        py: Python<'py>,
        raw: Raw<'_, 'py>,
        input: Input<'_, 'py>,
        strict: bool,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        match raw {
            Raw::Text(text) => match convert::text_datetime(text) {
                Ok(moment) => self.built(py, input, Ok(moment), py_datetime),
                Err(reason) if strict => Err(self.parsing(py, input, reason)),
                Err(_) => match convert::text_date(text) {
                    Ok(day) => {
                        state.floor(Exactness::Lax);
                        let midnight = speedate::DateTime {
                            date: day,
                            time: speedate::Time {
                                hour: 0,
                                minute: 0,
                                second: 0,
                                microsecond: 0,
                                tz_offset: None,
                            },
                        };
                        self.built(py, input, Ok(midnight), py_datetime)
                    }
                    Err(reason) => Err(parsing_error(
                        py,
                        "datetime_from_date_parsing",
                        input,
                        reason,
                    )),
                },
            },
            Raw::Int(stamp) => self.built(py, input, convert::int_datetime(stamp), py_datetime),
            Raw::Float(stamp) => self.built(py, input, convert::float_datetime(stamp), py_datetime),
            Raw::Day(day) => {
                let fields = (
                    day.getattr("year")?,
                    day.getattr("month")?,
                    day.getattr("day")?,
                );
                Ok(py_datetime_type(py).call1(fields)?)
            }
            _ => Err(ValError::new(py, "datetime_type", input)),
        }
    }

    fn date<'py>(
        &self,
        py: Python<'py>,
        raw: Raw<'_, 'py>,
        input: Input<'_, 'py>,
        strict: bool,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let moment = match raw {
            Raw::Text(text) => match convert::text_date(text) {
                Ok(day) => return self.built(py, input, Ok(day), py_date),
                Err(reason) if strict => return Err(self.parsing(py, input, reason)),
                Err(_) => convert::text_datetime(text),
            },
            Raw::Int(stamp) => convert::int_datetime(stamp),
            Raw::Float(stamp) => convert::float_datetime(stamp),
            Raw::Moment(obj) => return date_of_moment(py, obj, input),
            _ => return Err(ValError::new(py, "date_type", input)),
        };
        state.floor(Exactness::Lax);
        match moment {
            Ok(moment) => match convert::exact_date(&moment) {
                Some(day) => self.built(py, input, Ok(day), py_date),
                None => Err(ValError::new(py, "date_from_datetime_inexact", input)),
            },
            Err(reason) => Err(parsing_error(
                py,
                "date_from_datetime_parsing",
                input,
                reason,
            )),
        }
    }

    fn parsing(&self, py: Python<'_>, input: Input<'_, '_>, reason: &str) -> ValError {
        parsing_error(py, self.parsing_code(), input, reason)
    }

    /// The Python value of a parse, or this type's parsing error (a value Python refuses
    /// to build, such as year 0, is one too).
    fn built<'py, T>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        parsed: Parsed<T>,
        make: fn(Python<'py>, &T) -> Result<Bound<'py, PyAny>, Refused>,
    ) -> ValResult<Bound<'py, PyAny>> {
        let value = parsed.map_err(|reason| self.parsing(py, input, reason))?;
        make(py, &value).map_err(|refused| match refused {
            Refused::Reason(reason) => self.parsing(py, input, reason),
            Refused::Py(err) => self.parsing(py, input, &err.value(py).to_string()),
        })
    }
}

fn parsing_error(
    py: Python<'_>,
    code: &'static str,
    input: Input<'_, '_>,
    reason: &str,
) -> ValError {
    ValError::Lines(vec![line_with_ctx(
        py,
        code,
        input.to_object(py),
        &[("error", PyString::new(py, reason).into_any().unbind())],
    )])
}

fn python_raw<'a, 'py>(
    py: Python<'py>,
    obj: &'a Bound<'py, PyAny>,
    kind: Kind,
) -> Option<Raw<'a, 'py>> {
    if let Ok(text) = obj.downcast::<PyString>() {
        return text.to_str().ok().map(|s| Raw::Text(s.as_bytes()));
    }
    if let Ok(bytes) = obj.downcast::<PyBytes>() {
        return Some(Raw::Text(bytes.as_bytes()));
    }
    if let Ok(flag) = obj.downcast_exact::<PyBool>() {
        return Some(Raw::Bool(flag.is_true()));
    }
    if kind == Kind::Date {
        // a date field reads numbers and datetimes through the datetime rules
        if obj.is_instance(py_datetime_type(py)).unwrap_or(false) {
            return Some(Raw::Moment(obj));
        }
    }
    if let Ok(int) = obj.extract::<i64>() {
        return Some(Raw::Int(int));
    }
    if let Ok(float) = obj.extract::<f64>() {
        return Some(Raw::Float(float));
    }
    if kind == Kind::DateTime && obj.is_instance(py_date_type(py)).unwrap_or(false) {
        return Some(Raw::Day(obj));
    }
    Some(Raw::Other)
}

fn json_raw<'a, 'py>(value: &'a JsonValue<'a>) -> Raw<'a, 'py> {
    match value {
        JsonValue::Str(text) => Raw::Text(text.as_bytes()),
        JsonValue::Int(int) => Raw::Int(*int),
        JsonValue::Float(float) => Raw::Float(*float),
        // the reader may keep an integer at the edge of 64 bits as a big one
        JsonValue::BigInt(big) => match big.to_string().parse() {
            Ok(int) => Raw::Int(int),
            Err(_) => Raw::BigInt,
        },
        _ => Raw::Other,
    }
}

/// Why a parsed value did not become a Python object.
enum Refused {
    Reason(&'static str),
    Py(PyErr),
}

impl From<PyErr> for Refused {
    fn from(err: PyErr) -> Self {
        Refused::Py(err)
    }
}

fn tzinfo(py: Python<'_>, offset: Option<i32>) -> PyResult<Bound<'_, PyAny>> {
    let timezone = py_timezone_type(py);
    match offset {
        None => Ok(py.None().into_bound(py)),
        Some(0) => match capsule::utc(py) {
            Some(utc) => Ok(utc),
            None => timezone.getattr(pyo3::intern!(py, "utc")),
        },
        Some(seconds) => match capsule::timezone(py, seconds) {
            Some(made) => made,
            None => timezone.call1((py_timedelta_type(py).call1((0, seconds))?,)),
        },
    }
}

fn py_datetime<'py>(
    py: Python<'py>,
    moment: &speedate::DateTime,
) -> Result<Bound<'py, PyAny>, Refused> {
    let (d, t) = (&moment.date, &moment.time);
    if d.year == 0 {
        return Err(Refused::Reason(YEAR_ZERO));
    }
    let tz = tzinfo(py, t.tz_offset)?;
    let (date, time) = (
        (d.year, d.month, d.day),
        (t.hour, t.minute, t.second, t.microsecond),
    );
    if let Some(made) = capsule::datetime(py, date, time, &tz) {
        return Ok(made?);
    }
    let args = (
        d.year,
        d.month,
        d.day,
        t.hour,
        t.minute,
        t.second,
        t.microsecond,
        tz,
    );
    Ok(py_datetime_type(py).call1(args)?)
}

fn py_date<'py>(py: Python<'py>, day: &speedate::Date) -> Result<Bound<'py, PyAny>, Refused> {
    if day.year == 0 {
        return Err(Refused::Reason(YEAR_ZERO));
    }
    if let Some(made) = capsule::date(py, day.year, day.month, day.day) {
        return Ok(made?);
    }
    Ok(py_date_type(py).call1((day.year, day.month, day.day))?)
}

fn py_time<'py>(py: Python<'py>, t: &speedate::Time) -> Result<Bound<'py, PyAny>, Refused> {
    let tz = tzinfo(py, t.tz_offset)?;
    if let Some(made) = capsule::time(py, (t.hour, t.minute, t.second, t.microsecond), &tz) {
        return Ok(made?);
    }
    Ok(py_time_type(py).call1((t.hour, t.minute, t.second, t.microsecond, tz))?)
}

fn py_delta<'py>(py: Python<'py>, d: &speedate::Duration) -> Result<Bound<'py, PyAny>, Refused> {
    let sign: i64 = if d.positive { 1 } else { -1 };
    let (days, seconds, micros) = (
        sign * i64::from(d.day),
        sign * i64::from(d.second),
        sign * i64::from(d.microsecond),
    );
    if let (Ok(days), Ok(seconds), Ok(micros)) = (
        i32::try_from(days),
        i32::try_from(seconds),
        i32::try_from(micros),
    ) {
        if let Some(made) = capsule::delta(py, days, seconds, micros) {
            return Ok(made?);
        }
    }
    Ok(py_timedelta_type(py).call1((days, seconds, micros))?)
}

/// A Python datetime given for a date: its date when its time of day is zero.
fn date_of_moment<'py>(
    py: Python<'py>,
    moment: &Bound<'py, PyAny>,
    input: Input<'_, 'py>,
) -> ValResult<Bound<'py, PyAny>> {
    let mut zero = true;
    for attr in ["hour", "minute", "second", "microsecond"] {
        zero &= moment.getattr(attr)?.extract::<i64>()? == 0;
    }
    if !zero {
        return Err(ValError::new(py, "date_from_datetime_inexact", input));
    }
    let fields = (
        moment.getattr("year")?,
        moment.getattr("month")?,
        moment.getattr("day")?,
    );
    Ok(py_date_type(py).call1(fields)?)
}
