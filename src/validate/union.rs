//! `union`: every choice in strict mode first, then (unless strict) every choice in lax mode.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::{Errors, Loc, ValError, ValResult};
use super::{schema, State, Validator};
use crate::input::Input;

pub(crate) struct UnionValidator {
    choices: Vec<Validator>,
    strict: bool,
}

impl UnionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let choices = schema::schema_list(schema, "choices")?
            .iter()
            .map(Validator::build)
            .collect::<PyResult<Vec<_>>>()?;
        Ok(UnionValidator {
            choices,
            strict: schema::flag(schema, "strict")?,
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
        let outer = state.strict;
        let strict = state.strict(self.strict);
        let mut last_lax: Option<Vec<ValError>> = None;
        for pass_strict in [true, false] {
            if !pass_strict && strict {
                break;
            }
            state.strict = if pass_strict { Some(true) } else { outer };
            let mut failures = Vec::with_capacity(self.choices.len());
            for choice in &self.choices {
                match choice.validate(py, input, state) {
                    Ok(value) => {
                        state.strict = outer;
                        return Ok(value);
                    }
                    Err(ValError::Internal(err)) => {
                        state.strict = outer;
                        return Err(ValError::Internal(err));
                    }
                    Err(err) => failures.push(err),
                }
            }
            last_lax = Some(failures);
        }
        state.strict = outer;
        let mut errors = Errors::default();
        for (choice, err) in self.choices.iter().zip(last_lax.unwrap_or_default()) {
            errors.absorb(err, || Loc::Key(choice.tag(py)))?;
        }
        Err(ValError::Lines(errors.lines))
    }
}
