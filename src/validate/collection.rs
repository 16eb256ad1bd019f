//! `list`, `tuple`, `set`, `frozenset`: the exact type, or in lax mode any other iterable but
//! text, bytes and mappings (pydantic's rule: generators, dict views, deques, ranges).

use jiter::JsonValue;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{
    PyByteArray, PyBytes, PyDict, PyFrozenSet, PyList, PyMapping, PySet, PyString, PyTuple,
};

use super::errors::{line_with_ctx, Errors, Loc, ValError, ValResult};
use super::{schema, Exactness, State, Validator};
use crate::input::Input;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    List,
    Tuple,
    Set,
    FrozenSet,
}

enum Items {
    /// list, set, frozenset and `tuple[X, ...]`
    Each(Box<Validator>),
    /// `tuple[X, Y, Z]`
    Positional(Vec<Validator>),
}

pub(crate) struct CollectionValidator {
    kind: Kind,
    items: Items,
    /// Items schema is `any`: elements pass through untouched.
    items_any: bool,
    /// A list whose items schema passes exact instances of one type through unchanged (plain
    /// `str`, `int` or `float` without options): an exact list of exactly that type is copied
    /// with one C call after a type check per item.
    exact_items: Option<ExactKind>,
    strict: bool,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

impl CollectionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>, tag: &str) -> PyResult<Self> {
        let kind = match tag {
            "list" => Kind::List,
            "tuple" => Kind::Tuple,
            "set" => Kind::Set,
            _ => Kind::FrozenSet,
        };
        let items = if kind == Kind::Tuple {
            let list = schema::schema_list(schema, "items")?;
            let validators = list
                .iter()
                .map(Validator::build)
                .collect::<PyResult<Vec<_>>>()?;
            if schema::flag(schema, "variadic")? {
                Items::Each(Box::new(
                    validators.into_iter().next().unwrap_or(Validator::Any),
                ))
            } else {
                Items::Positional(validators)
            }
        } else {
            Items::Each(Box::new(Validator::build(&schema::sub_schema(
                schema, "items",
            )?)?))
        };
        let items_any = matches!(&items, Items::Each(v) if matches!(**v, Validator::Any));
        let exact_items = match (&items, kind) {
            (Items::Each(v), Kind::List) => exact_kind(v),
            _ => None,
        };
        Ok(CollectionValidator {
            kind,
            items,
            items_any,
            exact_items,
            strict: schema::flag(schema, "strict")?,
            min_length: schema::optional(schema, "min_length")?,
            max_length: schema::optional(schema, "max_length")?,
        })
    }

    /// A plain list (no length bounds): JSON arrays stream straight into it.
    pub(crate) fn streams(&self) -> bool {
        self.kind == Kind::List
            && matches!(self.items, Items::Each(_))
            && self.min_length.is_none()
            && self.max_length.is_none()
    }

    pub(crate) fn runs_user_code(&self) -> bool {
        match &self.items {
            Items::Each(v) => v.runs_user_code(),
            Items::Positional(list) => list.iter().any(Validator::runs_user_code),
        }
    }

    pub(crate) fn each_item(&self) -> Option<&Validator> {
        match &self.items {
            Items::Each(v) => Some(v),
            Items::Positional(_) => None,
        }
    }

    pub(crate) fn tag(&self) -> &'static str {
        match self.kind {
            Kind::List => "list",
            Kind::Tuple => "tuple",
            Kind::Set => "set",
            Kind::FrozenSet => "frozenset",
        }
    }

    fn type_code(&self) -> &'static str {
        match self.kind {
            Kind::List => "list_type",
            Kind::Tuple => "tuple_type",
            Kind::Set => "set_type",
            Kind::FrozenSet => "frozen_set_type",
        }
    }

    fn field_type(&self) -> &'static str {
        match self.kind {
            Kind::List => "List",
            Kind::Tuple => "Tuple",
            Kind::Set => "Set",
            Kind::FrozenSet => "Frozenset",
        }
    }

    /// Is `obj` acceptable as the source of this collection?
    /// Is `obj` input for this kind? Another kind of collection is a lax-mode conversion.
    fn accepts(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        strict: bool,
        state: &mut State,
    ) -> PyResult<bool> {
        let exact = match self.kind {
            Kind::List => obj.is_instance_of::<PyList>(),
            Kind::Tuple => obj.is_instance_of::<PyTuple>(),
            Kind::Set => obj.is_instance_of::<PySet>(),
            Kind::FrozenSet => obj.is_instance_of::<PyFrozenSet>(),
        };
        if exact || strict {
            return Ok(exact);
        }
        // as pydantic: any iterable but text, bytes and mappings (generators, dict views,
        // deques, ranges, iterators), read once
        let accepted = !(obj.is_instance_of::<PyBytes>()
            || obj.is_instance_of::<PyByteArray>()
            || obj.is_instance_of::<PyDict>()
            || obj.downcast::<PyMapping>().is_ok())
            && obj.hasattr(pyo3::intern!(py, "__iter__")).unwrap_or(false);
        if accepted {
            state.floor(Exactness::Lax);
        }
        Ok(accepted)
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if !self.items_any {
            return self.validate_items(py, input, state);
        }
        let before = state.exactness;
        let value = self.validate_items(py, input, state)?;
        // as pydantic: a list[Any] matches as its container does (no item is looked at); the
        // items of another Any collection are each a strict match
        if self.kind == Kind::List {
            if state.exactness != Exactness::Lax {
                state.exactness = before;
            }
        } else if value.len()? > 0 {
            state.floor(Exactness::Strict);
        }
        Ok(value)
    }

    fn validate_items<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        if let (Input::Py(obj), Some(kind)) = (input, self.exact_items) {
            if let Some(copy) = exact_list_copy(obj, kind) {
                self.check_length(py, &copy, input)?;
                return Ok(copy);
            }
        }
        let mut out: Vec<Bound<'py, PyAny>> = Vec::new();
        let mut errors = Errors::default();
        match input {
            Input::Py(obj) => {
                if obj.is_instance_of::<PyString>() || !self.accepts(py, obj, strict, state)? {
                    return Err(ValError::new(py, self.type_code(), input));
                }
                if self.items_any
                    && self.min_length.is_none()
                    && self.max_length.is_none()
                    && matches!(self.kind, Kind::List | Kind::Tuple)
                {
                    // nothing to check per item: one C-level copy
                    return Ok(match self.kind {
                        Kind::List if obj.is_exact_instance_of::<PyList>() => obj
                            .downcast::<PyList>()
                            .map_err(PyErr::from)?
                            .get_slice(0, usize::MAX)
                            .into_any(),
                        Kind::List => {
                            PyList::new(py, read_items(py, obj, input, self.type_code())?)?
                                .into_any()
                        }
                        Kind::Tuple if obj.is_exact_instance_of::<PyTuple>() => obj.clone(),
                        Kind::Tuple => {
                            PyTuple::new(py, read_items(py, obj, input, self.type_code())?)?
                                .into_any()
                        }
                        Kind::Set => PySet::new(py, read_items(py, obj, input, self.type_code())?)?
                            .into_any(),
                        Kind::FrozenSet => {
                            PyFrozenSet::new(py, read_items(py, obj, input, self.type_code())?)?
                                .into_any()
                        }
                    });
                }
                if let Ok(list) = obj.downcast_exact::<PyList>() {
                    // the list's own size (C level), and index access: no iterator object
                    self.check_positional_length(py, list.len(), input)?;
                    out.reserve(list.len());
                    let mut unchanged = true;
                    for index in 0..list.len() {
                        // a validator may shrink the list: stop where it ends now
                        let Ok(item) = list.get_item(index) else {
                            break;
                        };
                        match self.item_validator(index) {
                            Some(validator) => {
                                match validator.validate(py, Input::Py(&item), state) {
                                    Ok(value) => {
                                        unchanged &= value.is(&item);
                                        out.push(value);
                                    }
                                    Err(err) => errors.absorb(err, || Loc::Index(index))?,
                                }
                            }
                            None => break,
                        }
                    }
                    if unchanged && errors.is_empty() && self.kind == Kind::List {
                        // every item passed as it was: one C-level copy of the list
                        let copy = list.get_slice(0, list.len()).into_any();
                        self.check_length(py, &copy, input)?;
                        return Ok(copy);
                    }
                    return self.finish(py, out, errors, input);
                }
                // anything else is read item by item first: its length is what it yields,
                // never what a (subclass's) __len__ claims
                let items = read_items(py, obj, input, self.type_code())?;
                self.check_positional_length(py, items.len(), input)?;
                out.reserve(items.len());
                for (index, item) in items.iter().enumerate() {
                    match self.item_validator(index) {
                        Some(validator) => match validator.validate(py, Input::Py(item), state) {
                            Ok(value) => out.push(value),
                            Err(err) => errors.absorb(err, || Loc::Index(index))?,
                        },
                        None => break,
                    }
                }
            }
            Input::Json(JsonValue::Array(items)) => {
                // arrays are JSON's only sequence: tuples and sets take them in strict mode too
                if self.kind != Kind::List {
                    state.floor(Exactness::Strict);
                }
                self.check_positional_length(py, items.len(), input)?;
                out.reserve(items.len());
                for (index, item) in items.iter().enumerate() {
                    match self.item_validator(index) {
                        Some(validator) => match validator.validate(py, Input::Json(item), state) {
                            Ok(value) => out.push(value),
                            Err(err) => errors.absorb(err, || Loc::Index(index))?,
                        },
                        None => break,
                    }
                }
            }
            Input::Json(_) => return Err(ValError::new(py, self.type_code(), input)),
        }
        self.finish(py, out, errors, input)
    }

    fn finish<'py>(
        &self,
        py: Python<'py>,
        out: Vec<Bound<'py, PyAny>>,
        errors: Errors,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        let result = match self.kind {
            Kind::List => PyList::new(py, out)?.into_any(),
            Kind::Tuple => PyTuple::new(py, out)?.into_any(),
            Kind::Set | Kind::FrozenSet => self.build_set(py, out, input)?,
        };
        self.check_length(py, &result, input)?;
        Ok(result)
    }

    /// A set from validated items; an unhashable item is an error at its index.
    fn build_set<'py>(
        &self,
        py: Python<'py>,
        items: Vec<Bound<'py, PyAny>>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        let set = PySet::empty(py)?;
        let mut errors = Errors::default();
        let originals: Vec<PyObject> = match input {
            Input::Py(obj) => obj
                .try_iter()?
                .map(|i| i.map(Bound::unbind))
                .collect::<PyResult<_>>()?,
            Input::Json(_) => Vec::new(),
        };
        for (index, item) in items.into_iter().enumerate() {
            if let Err(err) = set.add(&item) {
                if !err.is_instance_of::<pyo3::exceptions::PyTypeError>(py) {
                    return Err(err.into());
                }
                let shown = originals
                    .get(index)
                    .map(|o| o.clone_ref(py))
                    .unwrap_or_else(|| item.clone().unbind());
                let mut line = super::errors::LineError {
                    kind: "set_item_not_hashable".into(),
                    loc: smallvec::SmallVec::new(),
                    input: shown,
                    ctx: None,
                    msg: None,
                };
                line.loc.push(Loc::Index(index));
                errors.push(line);
            }
        }
        errors.into_result(())?;
        Ok(if self.kind == Kind::Set {
            set.into_any()
        } else {
            PyFrozenSet::new(py, set.iter())?.into_any()
        })
    }

    fn item_validator(&self, index: usize) -> Option<&Validator> {
        match &self.items {
            Items::Each(v) => Some(v),
            Items::Positional(list) => list.get(index),
        }
    }

    /// Fixed tuples must have exactly as many items as they declare.
    fn check_positional_length(
        &self,
        py: Python<'_>,
        length: usize,
        input: Input<'_, '_>,
    ) -> ValResult<()> {
        if let Items::Positional(list) = &self.items {
            let expected = list.len();
            if length != expected {
                let (code, key) = if length < expected {
                    ("too_short", "min_length")
                } else {
                    ("too_long", "max_length")
                };
                return Err(ValError::Lines(vec![line_with_ctx(
                    py,
                    code,
                    input.to_object(py),
                    &[
                        ("field_type", PyString::new(py, "Tuple").into_any().unbind()),
                        (key, expected.into_pyobject(py)?.into_any().unbind()),
                        (
                            "actual_length",
                            length.into_pyobject(py)?.into_any().unbind(),
                        ),
                    ],
                )]));
            }
        }
        Ok(())
    }

    fn check_length(
        &self,
        py: Python<'_>,
        result: &Bound<'_, PyAny>,
        input: Input<'_, '_>,
    ) -> ValResult<()> {
        if self.min_length.is_none() && self.max_length.is_none() {
            return Ok(());
        }
        let length = result.len()?;
        let failure = match (self.min_length, self.max_length) {
            (Some(min), _) if length < min => Some(("too_short", "min_length", min)),
            (_, Some(max)) if length > max => Some(("too_long", "max_length", max)),
            _ => None,
        };
        match failure {
            None => Ok(()),
            Some((code, key, bound)) => Err(ValError::Lines(vec![line_with_ctx(
                py,
                code,
                input.to_object(py),
                &[
                    (
                        "field_type",
                        PyString::new(py, self.field_type()).into_any().unbind(),
                    ),
                    (key, bound.into_pyobject(py)?.into_any().unbind()),
                    (
                        "actual_length",
                        length.into_pyobject(py)?.into_any().unbind(),
                    ),
                ],
            )])),
        }
    }
}

#[derive(Clone, Copy)]
enum ExactKind {
    Str,
    Int,
    Float,
}

fn exact_kind(validator: &Validator) -> Option<ExactKind> {
    match validator {
        Validator::Str(v) if v.is_plain() => Some(ExactKind::Str),
        Validator::Int(v) if v.is_plain() => Some(ExactKind::Int),
        Validator::Float(v) if v.is_plain() => Some(ExactKind::Float),
        _ => None,
    }
}

/// `list[:]` when `obj` is an exact list whose items are all exact instances of `kind`.
fn exact_list_copy<'py>(obj: &Bound<'py, PyAny>, kind: ExactKind) -> Option<Bound<'py, PyAny>> {
    let list = obj.downcast_exact::<PyList>().ok()?;
    let py = obj.py();
    let wanted = match kind {
        ExactKind::Str => py.get_type::<PyString>(),
        ExactKind::Int => py.get_type::<pyo3::types::PyInt>(),
        ExactKind::Float => py.get_type::<pyo3::types::PyFloat>(),
    };
    let wanted = wanted.as_ptr();
    for index in 0..list.len() {
        // SAFETY: index < len of a list we hold; GetItem returns a borrowed reference.
        let item = unsafe { ffi::PyList_GetItem(list.as_ptr(), index as ffi::Py_ssize_t) };
        if item.is_null() || unsafe { ffi::Py_TYPE(item) }.cast::<ffi::PyObject>() != wanted {
            unsafe { ffi::PyErr_Clear() };
            return None;
        }
    }
    Some(list.get_slice(0, list.len()).into_any())
}

/// Every item of an iterable, read once. An iterator that raises part way is pydantic's
/// `iteration_error` at the index it stopped at (the exception's type and text in `ctx`); one
/// that cannot be iterated at all is the collection's type error. Kept out of line: the exact
/// list path of `validate_items` stays as small as it was.
#[inline(never)]
fn read_items<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    input: Input<'_, 'py>,
    type_code: &'static str,
) -> ValResult<Vec<Bound<'py, PyAny>>> {
    let Ok(iterator) = obj.try_iter() else {
        return Err(ValError::new(py, type_code, input));
    };
    let mut items = Vec::new();
    for item in iterator {
        match item {
            Ok(item) => items.push(item),
            Err(err) => {
                let name = err
                    .get_type(py)
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let text = err
                    .value(py)
                    .str()
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let line = line_with_ctx(
                    py,
                    "iteration_error",
                    input.to_object(py),
                    &[(
                        "error",
                        PyString::new(py, &format!("{name}: {text}"))
                            .into_any()
                            .unbind(),
                    )],
                );
                let mut errors = Errors::default();
                errors.absorb(ValError::Lines(vec![line]), || Loc::Index(items.len()))?;
                return Err(ValError::Lines(errors.lines));
            }
        }
    }
    Ok(items)
}
