//! `datetime`, `date`, `time`, `timedelta`: the Python objects, or ISO 8601 text and Unix
//! timestamps in lax mode (JSON strings always, JSON has no such types).

mod parse;

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::conv::{
    py_date_type, py_datetime_type, py_time_type, py_timedelta_type, py_timezone_type,
};
use crate::input::Input;
use parse::{parse_date, parse_datetime, parse_duration, parse_time, TimeParts};

/// `YYYY-MM-DD`: the only datetime text this short (every other form has a time).
const DATE_LEN: usize = 10;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    DateTime,
    Date,
    Time,
    TimeDelta,
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

    fn codes(&self) -> (&'static str, &'static str) {
        match self.kind {
            Kind::DateTime => ("datetime_type", "datetime_parsing"),
            Kind::Date => ("date_type", "date_parsing"),
            Kind::Time => ("time_type", "time_parsing"),
            Kind::TimeDelta => ("time_delta_type", "time_delta_parsing"),
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
        let (type_code, _) = self.codes();
        match input {
            Input::Py(obj) => {
                let datetime = py_datetime_type(py);
                let own = match self.kind {
                    Kind::DateTime => datetime,
                    Kind::Date => py_date_type(py),
                    Kind::Time => py_time_type(py),
                    Kind::TimeDelta => py_timedelta_type(py),
                };
                if obj.is_exact_instance(own) {
                    return Ok(obj.clone());
                }
                if obj.is_instance(own)?
                    && !(self.kind == Kind::Date && obj.is_instance(datetime)?)
                {
                    state.floor(Exactness::Strict); // a subclass
                    return Ok(obj.clone());
                }
                if strict {
                    return Err(ValError::new(py, type_code, input));
                }
                state.floor(Exactness::Lax);
                if self.kind == Kind::Date && obj.is_instance(datetime)? {
                    return date_from_datetime(py, obj, input);
                }
                if let Ok(s) = obj.downcast::<PyString>() {
                    return match s.to_str() {
                        Ok(text) => self.parse_text(py, text, input),
                        Err(_) => Err(self.parse_error(py, input, "invalid character")),
                    };
                }
                if !obj.is_instance_of::<PyBool>()
                    && (obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>())
                {
                    return self.parse_number(py, obj, input);
                }
                Err(ValError::new(py, type_code, input))
            }
            Input::Json(value) => match value {
                JsonValue::Str(s) => {
                    // a date given for a datetime (midnight) is a conversion, as in pydantic
                    let date_only = self.kind == Kind::DateTime && s.len() == DATE_LEN;
                    state.floor(if date_only {
                        Exactness::Lax
                    } else {
                        Exactness::Strict
                    });
                    self.parse_text(py, s, input)
                }
                JsonValue::Int(_) | JsonValue::BigInt(_) | JsonValue::Float(_) if !strict => {
                    state.floor(Exactness::Lax);
                    let number = input.to_object(py);
                    self.parse_number(py, number.bind(py), input)
                }
                _ => Err(ValError::new(py, type_code, input)),
            },
        }
    }

    fn parse_error(&self, py: Python<'_>, input: Input<'_, '_>, reason: &str) -> ValError {
        ValError::Lines(vec![line_with_ctx(
            py,
            self.codes().1,
            input.to_object(py),
            &[("error", PyString::new(py, reason).into_any().unbind())],
        )])
    }

    fn parse_text<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        let built = match self.kind {
            Kind::DateTime => match parse_datetime(text) {
                Ok((d, t)) => {
                    let tz = tzinfo(py, &t)?;
                    py_datetime_type(py).call1((
                        d.year,
                        d.month,
                        d.day,
                        t.hour,
                        t.minute,
                        t.second,
                        t.microsecond,
                        tz,
                    ))
                }
                Err(reason) => return Err(self.parse_error(py, input, reason)),
            },
            Kind::Date => match parse_date(text) {
                Ok(d) => py_date_type(py).call1((d.year, d.month, d.day)),
                Err(reason) => return Err(self.parse_error(py, input, reason)),
            },
            Kind::Time => match parse_time(text) {
                Ok(t) => {
                    let tz = tzinfo(py, &t)?;
                    py_time_type(py).call1((t.hour, t.minute, t.second, t.microsecond, tz))
                }
                Err(reason) => return Err(self.parse_error(py, input, reason)),
            },
            Kind::TimeDelta => match parse_duration(text) {
                Ok(d) => {
                    let delta = py_timedelta_type(py).call1((d.days, d.seconds, d.microseconds));
                    match delta {
                        Ok(delta) if d.negative => delta.neg(),
                        other => other,
                    }
                }
                Err(reason) => return Err(self.parse_error(py, input, reason)),
            },
        };
        built.map_err(|err| self.parse_error(py, input, &err.value(py).to_string()))
    }

    fn parse_number<'py>(
        &self,
        py: Python<'py>,
        number: &Bound<'py, PyAny>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.kind == Kind::Time {
            return Err(ValError::new(py, "time_type", input));
        }
        let seconds: f64 = match number.extract() {
            Ok(v) => v,
            Err(_) => return Err(self.parse_error(py, input, "number is too large")),
        };
        if !seconds.is_finite() {
            return Err(self.parse_error(py, input, "number must be finite"));
        }
        if self.kind == Kind::TimeDelta {
            let kwargs = PyDict::new(py);
            kwargs.set_item("seconds", number)?;
            return py_timedelta_type(py)
                .call((), Some(&kwargs))
                .map_err(|err| self.parse_error(py, input, &err.value(py).to_string()));
        }
        let stamp = if seconds.abs() > 2e10 {
            number.div(1000)?
        } else {
            number.clone()
        };
        let utc = py_timezone_type(py).getattr("utc")?;
        let moment = py_datetime_type(py)
            .call_method1("fromtimestamp", (stamp, utc))
            .map_err(|err| self.parse_error(py, input, &err.value(py).to_string()))?;
        if self.kind == Kind::DateTime {
            return Ok(moment);
        }
        date_from_datetime(py, &moment, input)
    }
}

fn tzinfo<'py>(py: Python<'py>, t: &TimeParts) -> PyResult<Bound<'py, PyAny>> {
    let timezone = py_timezone_type(py);
    match t.offset_seconds {
        None => Ok(py.None().into_bound(py)),
        Some(0) => timezone.getattr("utc"),
        Some(seconds) => timezone.call1((py_timedelta_type(py).call1((0, seconds))?,)),
    }
}

fn date_from_datetime<'py>(
    py: Python<'py>,
    moment: &Bound<'py, PyAny>,
    input: Input<'_, 'py>,
) -> ValResult<Bound<'py, PyAny>> {
    let zero = ["hour", "minute", "second", "microsecond"]
        .iter()
        .try_fold(true, |acc, attr| -> PyResult<bool> {
            Ok(acc && moment.getattr(*attr)?.extract::<i64>()? == 0)
        })?;
    if !zero {
        return Err(ValError::new(py, "date_from_datetime_inexact", input));
    }
    Ok(moment.call_method0("date")?)
}
