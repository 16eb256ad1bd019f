//! `union`: pydantic's smart mode. Each choice is validated once, in the union's mode (strict
//! when the union is). An exact match (the input's own type, all the way down) wins at once;
//! otherwise the best success does: when both built models, the one that took more fields from
//! the input, else the one that needed less conversion (`Exactness`), else the leftmost. When
//! every choice fails, the errors of every choice are reported, each under the choice's tag.
//! With `"mode": "left_to_right"` the first choice that validates wins, however it matched.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::{Errors, Loc, ValError, ValResult};
use super::{schema, Exactness, State, Validator};
use crate::input::Input;

pub(crate) struct UnionValidator {
    choices: Vec<Validator>,
    strict: bool,
    left_to_right: bool,
}

/// A successful choice: its value, how exactly it matched, the fields its models took.
struct Success<'py> {
    value: Bound<'py, PyAny>,
    exactness: Exactness,
    fields_set: Option<usize>,
}

impl Success<'_> {
    /// pydantic's ranking: fields set first (when both have them), then exactness.
    fn beats(&self, other: &Success<'_>) -> bool {
        match (self.fields_set, other.fields_set) {
            (Some(mine), Some(theirs)) if mine != theirs => mine > theirs,
            _ => self.exactness > other.exactness,
        }
    }
}

impl UnionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let choices = schema::schema_list(schema, "choices")?
            .iter()
            .map(Validator::build)
            .collect::<PyResult<Vec<_>>>()?;
        let mode = schema::optional::<String>(schema, "mode")?;
        let left_to_right = match mode.as_deref() {
            None | Some("smart") => false,
            Some("left_to_right") => true,
            Some(other) => {
                return Err(crate::errors::ferrule_err(
                    schema.py(),
                    "SchemaError",
                    format!("unknown union mode {other:?}"),
                ))
            }
        };
        Ok(UnionValidator {
            choices,
            strict: schema::flag(schema, "strict")?,
            left_to_right,
        })
    }

    pub(crate) fn runs_user_code(&self) -> bool {
        self.choices.iter().any(Validator::runs_user_code)
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let outer = (state.strict, state.exactness, state.fields_set);
        if self.strict && state.strict.is_none() {
            state.strict = Some(true);
        }
        let outcome = self.choose(py, input, state);
        (state.strict, state.exactness, state.fields_set) = outer;
        match outcome? {
            Ok(best) => {
                state.floor(best.exactness);
                if let Some(count) = best.fields_set {
                    state.add_fields_set(count);
                }
                Ok(best.value)
            }
            Err(failures) => Err(self.report(py, input, failures)?),
        }
    }

    /// The best success, or every choice's error (in choice order).
    fn choose<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Result<Success<'py>, Vec<ValError>>> {
        let mut best: Option<Success<'py>> = None;
        let mut failures: Vec<ValError> = Vec::new();
        for choice in &self.choices {
            state.exactness = Exactness::Exact;
            state.fields_set = None;
            match choice.validate(py, input, state) {
                Ok(value) => {
                    let success = Success {
                        value,
                        exactness: state.exactness,
                        fields_set: state.fields_set,
                    };
                    if self.left_to_right
                        || (success.exactness == Exactness::Exact && success.fields_set.is_none())
                    {
                        return Ok(Ok(success));
                    }
                    if best.as_ref().is_none_or(|current| success.beats(current)) {
                        best = Some(success);
                    }
                }
                Err(ValError::Internal(err)) => return Err(ValError::Internal(err)),
                Err(err) if best.is_none() => failures.push(err),
                Err(_) => {}
            }
        }
        Ok(best.ok_or(failures))
    }

    /// Every choice's errors, each located under the choice's tag.
    #[cold]
    fn report(
        &self,
        py: Python<'_>,
        input: Input<'_, '_>,
        failures: Vec<ValError>,
    ) -> PyResult<ValError> {
        if self.choices.is_empty() {
            return Ok(ValError::new(py, "union_tag_invalid", input));
        }
        let mut errors = Errors::default();
        for (choice, err) in self.choices.iter().zip(failures) {
            errors.absorb(err, || Loc::Key(choice.tag(py)))?;
        }
        Ok(ValError::Lines(errors.lines))
    }
}
