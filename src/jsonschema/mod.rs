//! `JsonSchemaCore`: a JSON Schema plan (built and checked in Python by
//! `ferrule.json._schema_plan`) turned into a native tree of checks over Python values.
//!
//! The plan is a list of nodes (node 0 is the root): `True`, `False` or a list of
//! `(keyword, argument)` pairs whose subschemas are node indices, so a recursive `$ref` is a
//! cycle of indices. The tree keeps that order; `eval` runs it in the same order as the
//! pure-Python twin (`ferrule.json._pure_schema`), so both give the same errors.

pub(crate) mod eval;
pub(crate) mod format;
pub(crate) mod number;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyList, PyString, PyTuple};

use crate::validate::pattern::Pattern;
use format::Format;
use number::Num;

/// Nested schema evaluations before an instance is refused (as `_schema_plan.MAX_DEPTH`).
pub(crate) const MAX_DEPTH: usize = 500;

pub(crate) enum Node {
    True,
    False,
    Checks(Vec<Check>),
}

/// Which JSON types a `type` keyword allows, as bits.
pub(crate) mod types {
    pub(crate) const NULL: u8 = 1;
    pub(crate) const BOOLEAN: u8 = 2;
    pub(crate) const OBJECT: u8 = 4;
    pub(crate) const ARRAY: u8 = 8;
    pub(crate) const NUMBER: u8 = 16;
    pub(crate) const STRING: u8 = 32;
    pub(crate) const INTEGER: u8 = 64;
}

#[derive(Clone, Copy)]
pub(crate) enum BoundKind {
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
}

#[derive(Clone, Copy)]
pub(crate) enum Size {
    MinLength,
    MaxLength,
    MinItems,
    MaxItems,
    MinProperties,
    MaxProperties,
}

pub(crate) struct Key {
    pub(crate) name: Py<PyString>,
}

pub(crate) enum Check {
    Ref(usize),
    Type(u8, PyObject),
    Enum(PyObject),
    Const(PyObject),
    Bound(BoundKind, Num),
    MultipleOf(Num),
    Size(Size, usize),
    Pattern(usize),
    Format(Format, PyObject),
    UniqueItems,
    PrefixItems(Vec<usize>),
    Items(usize, usize),
    Contains(usize, usize, Option<usize>),
    Required(Vec<Key>),
    DependentRequired(Vec<(Key, Vec<Key>)>),
    Properties(Vec<(Key, usize)>),
    PatternProperties(Vec<(usize, usize)>),
    AdditionalProperties(usize, ahash::AHashSet<String>, Vec<usize>),
    PropertyNames(usize),
    DependentSchemas(Vec<(Key, usize)>),
    AllOf(Vec<usize>),
    AnyOf(Vec<usize>),
    OneOf(Vec<usize>),
    Not(usize),
    If(usize, Option<usize>, Option<usize>),
    UnevaluatedProperties(usize),
    UnevaluatedItems(usize),
}

/// A compiled JSON Schema: the nodes, the patterns they use (source and engine), and the
/// Python fallback for `multipleOf` on numbers past 128-bit arithmetic.
#[pyclass(frozen, module = "ferrule._ferrule")]
pub(crate) struct JsonSchemaCore {
    pub(crate) nodes: Vec<Node>,
    pub(crate) patterns: Vec<(PyObject, Pattern)>,
    pub(crate) multiple_of: PyObject,
}

impl JsonSchemaCore {
    pub(crate) fn build(
        py: Python<'_>,
        plan: &Bound<'_, PyList>,
        multiple_of: PyObject,
    ) -> PyResult<Self> {
        let mut core = JsonSchemaCore {
            nodes: Vec::with_capacity(plan.len()),
            patterns: Vec::new(),
            multiple_of,
        };
        let count = plan.len();
        for node in plan.iter() {
            let built = if let Ok(flag) = node.downcast_exact::<PyBool>() {
                if flag.is_true() {
                    Node::True
                } else {
                    Node::False
                }
            } else {
                let checks = node.downcast::<PyList>()?;
                let mut out = Vec::with_capacity(checks.len());
                for pair in checks.iter() {
                    let pair = pair.downcast::<PyTuple>()?;
                    let keyword: String = pair.get_item(0)?.extract()?;
                    out.push(core.check(py, &keyword, &pair.get_item(1)?)?);
                }
                Node::Checks(out)
            };
            core.nodes.push(built);
        }
        // every index must name a node: a broken plan fails here, not during validation
        for node in &core.nodes {
            if let Node::Checks(checks) = node {
                for check in checks {
                    if check_indices(check).any(|i| i >= count) {
                        return Err(pyo3::exceptions::PyValueError::new_err(
                            "plan node index out of range",
                        ));
                    }
                }
            }
        }
        Ok(core)
    }

    fn pattern(&mut self, py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<usize> {
        let text: String = source.extract()?;
        let compiled = Pattern::compile(py, &text)?;
        self.patterns.push((source.clone().unbind(), compiled));
        Ok(self.patterns.len() - 1)
    }

    fn check(&mut self, py: Python<'_>, keyword: &str, arg: &Bound<'_, PyAny>) -> PyResult<Check> {
        let node = |v: &Bound<'_, PyAny>| v.extract::<usize>();
        let nodes = |v: &Bound<'_, PyAny>| v.extract::<Vec<usize>>();
        Ok(match keyword {
            "$ref" => Check::Ref(node(arg)?),
            "type" => {
                let mut mask = 0u8;
                for name in arg.try_iter()? {
                    mask |= match name?.extract::<String>()?.as_str() {
                        "null" => types::NULL,
                        "boolean" => types::BOOLEAN,
                        "object" => types::OBJECT,
                        "array" => types::ARRAY,
                        "number" => types::NUMBER,
                        "string" => types::STRING,
                        "integer" => types::INTEGER,
                        other => return Err(bad_plan(other)),
                    };
                }
                Check::Type(
                    mask,
                    PyList::new(py, arg.try_iter()?.collect::<PyResult<Vec<_>>>()?)?
                        .into_any()
                        .unbind(),
                )
            }
            "enum" => Check::Enum(arg.clone().unbind()),
            "const" => Check::Const(arg.clone().unbind()),
            "minimum" => Check::Bound(BoundKind::Minimum, Num::new(arg)?),
            "maximum" => Check::Bound(BoundKind::Maximum, Num::new(arg)?),
            "exclusiveMinimum" => Check::Bound(BoundKind::ExclusiveMinimum, Num::new(arg)?),
            "exclusiveMaximum" => Check::Bound(BoundKind::ExclusiveMaximum, Num::new(arg)?),
            "multipleOf" => Check::MultipleOf(Num::new(arg)?),
            "minLength" => Check::Size(Size::MinLength, arg.extract()?),
            "maxLength" => Check::Size(Size::MaxLength, arg.extract()?),
            "minItems" => Check::Size(Size::MinItems, arg.extract()?),
            "maxItems" => Check::Size(Size::MaxItems, arg.extract()?),
            "minProperties" => Check::Size(Size::MinProperties, arg.extract()?),
            "maxProperties" => Check::Size(Size::MaxProperties, arg.extract()?),
            "pattern" => Check::Pattern(self.pattern(py, arg)?),
            "format" => {
                let name: String = arg.extract()?;
                let format = Format::named(&name).ok_or_else(|| bad_plan(&name))?;
                Check::Format(format, arg.clone().unbind())
            }
            "uniqueItems" => Check::UniqueItems,
            "prefixItems" => Check::PrefixItems(nodes(arg)?),
            "items" => {
                let (sub, start): (usize, usize) = arg.extract()?;
                Check::Items(sub, start)
            }
            "contains" => {
                let (sub, low, high): (usize, usize, Option<usize>) = arg.extract()?;
                Check::Contains(sub, low, high)
            }
            "required" => Check::Required(keys(arg)?),
            "dependentRequired" => {
                let mut out = Vec::new();
                for pair in arg.try_iter()? {
                    let pair = pair?;
                    out.push((key(&pair.get_item(0)?)?, keys(&pair.get_item(1)?)?));
                }
                Check::DependentRequired(out)
            }
            "properties" => Check::Properties(named_nodes(arg)?),
            "patternProperties" => {
                let mut out = Vec::new();
                for pair in arg.try_iter()? {
                    let pair = pair?;
                    out.push((
                        self.pattern(py, &pair.get_item(0)?)?,
                        node(&pair.get_item(1)?)?,
                    ));
                }
                Check::PatternProperties(out)
            }
            "additionalProperties" => {
                let sub = node(&arg.get_item(0)?)?;
                let names: Vec<String> = arg.get_item(1)?.extract()?;
                let mut patterns = Vec::new();
                for source in arg.get_item(2)?.try_iter()? {
                    patterns.push(self.pattern(py, &source?)?);
                }
                Check::AdditionalProperties(sub, names.into_iter().collect(), patterns)
            }
            "propertyNames" => Check::PropertyNames(node(arg)?),
            "dependentSchemas" => Check::DependentSchemas(named_nodes(arg)?),
            "allOf" => Check::AllOf(nodes(arg)?),
            "anyOf" => Check::AnyOf(nodes(arg)?),
            "oneOf" => Check::OneOf(nodes(arg)?),
            "not" => Check::Not(node(arg)?),
            "if" => {
                let (test, then, other): (usize, Option<usize>, Option<usize>) = arg.extract()?;
                Check::If(test, then, other)
            }
            "unevaluatedProperties" => Check::UnevaluatedProperties(node(arg)?),
            "unevaluatedItems" => Check::UnevaluatedItems(node(arg)?),
            other => return Err(bad_plan(other)),
        })
    }
}

fn bad_plan(what: &str) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(format!("unknown plan entry {what:?}"))
}

fn key(value: &Bound<'_, PyAny>) -> PyResult<Key> {
    let name = value.downcast::<PyString>()?;
    Ok(Key {
        name: name.clone().unbind(),
    })
}

fn keys(value: &Bound<'_, PyAny>) -> PyResult<Vec<Key>> {
    value.try_iter()?.map(|v| key(&v?)).collect()
}

fn named_nodes(value: &Bound<'_, PyAny>) -> PyResult<Vec<(Key, usize)>> {
    let mut out = Vec::new();
    for pair in value.try_iter()? {
        let pair = pair?;
        out.push((key(&pair.get_item(0)?)?, pair.get_item(1)?.extract()?));
    }
    Ok(out)
}

/// Every node index a check refers to.
fn check_indices(check: &Check) -> Box<dyn Iterator<Item = usize> + '_> {
    match check {
        Check::Ref(i) | Check::Items(i, _) | Check::Contains(i, _, _) => {
            Box::new(std::iter::once(*i))
        }
        Check::UnevaluatedProperties(i) | Check::UnevaluatedItems(i) => {
            Box::new(std::iter::once(*i))
        }
        Check::PropertyNames(i) | Check::Not(i) | Check::AdditionalProperties(i, _, _) => {
            Box::new(std::iter::once(*i))
        }
        Check::PrefixItems(v) | Check::AllOf(v) | Check::AnyOf(v) | Check::OneOf(v) => {
            Box::new(v.iter().copied())
        }
        Check::Properties(v) | Check::DependentSchemas(v) => Box::new(v.iter().map(|(_, i)| *i)),
        Check::PatternProperties(v) => Box::new(v.iter().map(|(_, i)| *i)),
        Check::If(a, b, c) => Box::new([Some(*a), *b, *c].into_iter().flatten()),
        _ => Box::new(std::iter::empty()),
    }
}
