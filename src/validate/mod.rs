//! Validators compiled from schema dicts: one enum, built by the schema's "type" tag.

pub(crate) mod ascii_dfa;
pub(crate) mod bool;
pub(crate) mod bytes;
pub(crate) mod collection;
pub(crate) mod convert;
pub(crate) mod decimal;
pub(crate) mod dict;
pub(crate) mod enumeration;
pub(crate) mod errors;
pub(crate) mod float;
pub(crate) mod function;
pub(crate) mod info;
pub(crate) mod int;
pub(crate) mod is_instance;
pub(crate) mod literal;
pub(crate) mod model;
pub(crate) mod nullable;
pub(crate) mod numbers;
pub(crate) mod pattern;
pub(crate) mod schema_validator;
pub(crate) mod stream;
pub(crate) mod string;
pub(crate) mod tagged_union;
pub(crate) mod temporal;
pub(crate) mod union;
pub(crate) mod uuid;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Schema-dict readers, shared with the model layer (kept reachable as `validate::schema`).
pub(crate) use crate::schema;

use crate::errors::ferrule_err;
use crate::input::Input;
use errors::ValResult;
pub(crate) use model::class_validator;

/// Per-call settings that travel down the validator tree.
pub(crate) struct State {
    /// `Some(true)` forces strict mode (`validate_python(..., strict=True)`, a strict union),
    /// `Some(false)` forces lax mode (JSON object keys), `None` leaves each schema's own setting.
    pub(crate) strict: Option<bool>,
    /// Nested model depth, to stop runaway recursion.
    pub(crate) depth: u16,
    /// The mappings being validated by models further up: seeing one again is a cycle.
    pub(crate) active: smallvec::SmallVec<[usize; 8]>,
    /// How exactly the input matched, lowered by every validator that converts (read by unions).
    pub(crate) exactness: Exactness,
    /// Fields models took from the input since a union reset it (`None`: no model validated).
    pub(crate) fields_set: Option<usize>,
    /// `model_validate(obj, from_attributes=True)`: every model reads objects by attribute.
    pub(crate) from_attributes: bool,
    /// The call's `context=`, for `ValidationInfo.context`.
    pub(crate) context: Option<PyObject>,
    /// How the call got its input, for `ValidationInfo.mode`.
    pub(crate) mode: info::InputMode,
    /// The innermost model field being validated, kept only by models whose fields' types
    /// hold a function taking `info` (`ValidationInfo.data`, `.field_name`).
    pub(crate) frame: Option<Box<info::Frame>>,
}

pub(crate) const MAX_DEPTH: u16 = 200;

/// How an input matched its schema, worst to best (pydantic's smart-union ranking): `Lax` needed
/// a lax-mode conversion, `Strict` is valid in strict mode but not of the exact type (an int for
/// a float, a JSON string for a UUID), `Exact` is the type itself.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Exactness {
    Lax,
    Strict,
    Exact,
}

impl State {
    /// `strict` at call time: `Some(true)` strict everywhere, `Some(false)` lax everywhere
    /// (a strict model or field included, as pydantic), `None` each schema's own setting.
    pub(crate) fn new(strict: Option<bool>) -> Self {
        State {
            strict,
            depth: 0,
            active: smallvec::SmallVec::new(),
            exactness: Exactness::Exact,
            fields_set: None,
            from_attributes: false,
            context: None,
            mode: info::InputMode::Python,
            frame: None,
        }
    }

    #[inline]
    pub(crate) fn strict(&self, own: bool) -> bool {
        self.strict.unwrap_or(own)
    }

    /// The input matched no better than `level`.
    #[inline]
    pub(crate) fn floor(&mut self, level: Exactness) {
        if level < self.exactness {
            self.exactness = level;
        }
    }

    /// A model took `count` fields from its input (unions prefer the choice that used more).
    #[inline]
    pub(crate) fn add_fields_set(&mut self, count: usize) {
        *self.fields_set.get_or_insert(0) += count;
    }
}

/// Every schema type's validator.
pub(crate) enum Validator {
    Any,
    Int(int::IntValidator),
    Float(float::FloatValidator),
    Str(string::StrValidator),
    Bool(bool::BoolValidator),
    Bytes(bytes::BytesValidator),
    Decimal(decimal::DecimalValidator),
    Uuid(uuid::UuidValidator),
    Temporal(temporal::TemporalValidator),
    Enum(enumeration::EnumValidator),
    Literal(literal::LiteralValidator),
    Nullable(nullable::NullableValidator),
    Union(union::UnionValidator),
    TaggedUnion(Box<tagged_union::TaggedUnionValidator>),
    Collection(collection::CollectionValidator),
    Dict(dict::DictValidator),
    Model(std::sync::Arc<model::ModelValidator>),
    ModelRef(model::ModelRefValidator),
    Function(function::FunctionValidator),
    Convert(Box<convert::ConvertValidator>),
    IsInstance(is_instance::IsInstanceValidator),
}

impl Validator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Validator> {
        let py = schema.py();
        let tag: String = schema::required(schema, "type")?;
        Ok(match tag.as_str() {
            "any" => Validator::Any,
            "int" => Validator::Int(int::IntValidator::build(schema)?),
            "float" => Validator::Float(float::FloatValidator::build(schema)?),
            "str" => Validator::Str(string::StrValidator::build(schema)?),
            "bool" => Validator::Bool(bool::BoolValidator::build(schema)?),
            "bytes" => Validator::Bytes(bytes::BytesValidator::build(schema)?),
            "decimal" => Validator::Decimal(decimal::DecimalValidator::build(schema)?),
            "uuid" => Validator::Uuid(uuid::UuidValidator::build(schema)?),
            "datetime" | "date" | "time" | "timedelta" => {
                Validator::Temporal(temporal::TemporalValidator::build(schema, &tag)?)
            }
            "enum" => Validator::Enum(enumeration::EnumValidator::build(schema)?),
            "literal" => Validator::Literal(literal::LiteralValidator::build(schema)?),
            "nullable" => Validator::Nullable(nullable::NullableValidator::build(schema)?),
            "union" => Validator::Union(union::UnionValidator::build(schema)?),
            "tagged_union" => {
                Validator::TaggedUnion(Box::new(tagged_union::TaggedUnionValidator::build(schema)?))
            }
            "list" | "set" | "frozenset" | "tuple" => {
                Validator::Collection(collection::CollectionValidator::build(schema, &tag)?)
            }
            "dict" => Validator::Dict(dict::DictValidator::build(schema)?),
            "is_instance" => {
                Validator::IsInstance(is_instance::IsInstanceValidator::build(schema)?)
            }
            "model" => {
                if schema.contains("fields")? {
                    Validator::Model(model::ModelValidator::build_shared(schema)?)
                } else {
                    Validator::ModelRef(model::ModelRefValidator::build(schema)?)
                }
            }
            "function_before" | "function_after" | "function_plain" | "function_wrap" => {
                Validator::Function(function::FunctionValidator::build(schema, &tag)?)
            }
            "convert" => Validator::Convert(Box::new(convert::ConvertValidator::build(schema)?)),
            other => {
                return Err(ferrule_err(
                    py,
                    "SchemaError",
                    format!("unknown schema type {other:?}"),
                ))
            }
        })
    }

    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        match self {
            Validator::Any => {
                // in a union, any other choice that takes the input as it is wins
                state.floor(Exactness::Strict);
                Ok(match input {
                    Input::Py(obj) => obj.clone(),
                    Input::Json(value) => crate::conv::json_to_py(py, value)?,
                })
            }
            Validator::Int(v) => v.validate(py, input, state),
            Validator::Float(v) => v.validate(py, input, state),
            Validator::Str(v) => v.validate(py, input, state),
            Validator::Bool(v) => v.validate(py, input, state),
            Validator::Bytes(v) => v.validate(py, input, state),
            Validator::Decimal(v) => v.validate(py, input, state),
            Validator::Uuid(v) => v.validate(py, input, state),
            Validator::Temporal(v) => v.validate(py, input, state),
            Validator::Enum(v) => v.validate(py, input, state),
            Validator::Literal(v) => v.validate(py, input, state),
            Validator::Nullable(v) => v.validate(py, input, state),
            Validator::Union(v) => v.validate(py, input, state),
            Validator::TaggedUnion(v) => v.validate(py, input, state),
            Validator::Collection(v) => v.validate(py, input, state),
            Validator::Dict(v) => v.validate(py, input, state),
            Validator::Model(v) => v.validate(py, input, state),
            Validator::ModelRef(v) => v.validate(py, input, state),
            Validator::Function(v) => v.validate(py, input, state),
            Validator::Convert(v) => v.validate(py, input, state),
            Validator::IsInstance(v) => v.validate(py, input),
        }
    }

    /// The type whose exact instances this validator hands back unchanged, with no option that
    /// could refuse or alter them (a plain `str`, `int` or `float`): callers may skip the call
    /// for a value of exactly that type. `None` for every other validator.
    pub(crate) fn passthrough_type(&self) -> Option<*mut ffi::PyTypeObject> {
        // the addresses of static type objects, never dereferenced here
        match self {
            Validator::Str(v) if v.is_plain() => Some(std::ptr::addr_of_mut!(ffi::PyUnicode_Type)),
            Validator::Int(v) if v.is_plain() => Some(std::ptr::addr_of_mut!(ffi::PyLong_Type)),
            Validator::Float(v) if v.is_plain() => Some(std::ptr::addr_of_mut!(ffi::PyFloat_Type)),
            _ => None,
        }
    }

    /// For an `int` validator whose options are bounds within i64 (an ORM integer column's
    /// range, a `ge`/`le` field): the inclusive range an exact `int` must be in to be handed
    /// back unchanged. `None` for every other validator.
    pub(crate) fn int_range(&self) -> Option<(i64, i64)> {
        match self {
            Validator::Int(v) if !v.is_plain() => v.range(),
            _ => None,
        }
    }

    /// Could validating run user code (validators, nested models, enum hooks) that might mutate
    /// the container the input value was borrowed from?
    pub(crate) fn runs_user_code(&self) -> bool {
        match self {
            Validator::Function(_)
            | Validator::Model(_)
            | Validator::ModelRef(_)
            | Validator::Enum(_)
            | Validator::Convert(_)
            | Validator::IsInstance(_) => true, // a metaclass's __instancecheck__
            Validator::Nullable(v) => v.inner.runs_user_code(),
            Validator::Union(v) => v.runs_user_code(),
            Validator::TaggedUnion(v) => v.runs_user_code(),
            Validator::Collection(v) => v.runs_user_code(),
            Validator::Dict(v) => v.runs_user_code(),
            _ => false,
        }
    }

    /// The tag used in union error locations: the class name for models, else the schema type.
    pub(crate) fn tag(&self, py: Python<'_>) -> PyObject {
        let text: String = match self {
            Validator::Any => "any".into(),
            Validator::Int(_) => "int".into(),
            Validator::Float(_) => "float".into(),
            Validator::Str(_) => "str".into(),
            Validator::Bool(_) => "bool".into(),
            Validator::Bytes(_) => "bytes".into(),
            Validator::Decimal(_) => "decimal".into(),
            Validator::Uuid(_) => "uuid".into(),
            Validator::Temporal(v) => v.tag().into(),
            Validator::Enum(_) => "enum".into(),
            Validator::Literal(_) => "literal".into(),
            Validator::Nullable(v) => return v.inner.tag(py),
            Validator::Union(_) => "union".into(),
            Validator::TaggedUnion(_) => "tagged-union".into(),
            Validator::Collection(v) => v.tag().into(),
            Validator::Dict(_) => "dict".into(),
            Validator::Model(v) => return v.class_name(py),
            Validator::ModelRef(v) => return v.class_name(py),
            Validator::Function(v) => return v.inner.tag(py),
            Validator::Convert(v) => return v.tag(py),
            Validator::IsInstance(_) => "is-instance".into(),
        };
        pyo3::types::PyString::new(py, &text).into_any().unbind()
    }
}
