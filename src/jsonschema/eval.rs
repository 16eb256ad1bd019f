//! Running a compiled schema over a Python value: `is_valid` stops at the first failure,
//! `errors` collects `(loc, keyword, input, ctx)` for every one, in the pure twin's order.
//!
//! Recursion is bounded twice: `MAX_DEPTH` nested evaluations (the twin's limit, so both cores
//! refuse the same documents with a `JSONError`), and the thread's native stack (`stack`).

use ahash::AHashSet;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PySet, PyString, PyTuple};

use super::number::{compare, is_integral, is_multiple, json_equal, kind, Kind};
use super::{types, BoundKind, Check, JsonSchemaCore, Node, Size, MAX_DEPTH};
use crate::errors::ferrule_err;

/// What `unevaluated*` asks about: property names (a set of the instance's keys) or indexes.
pub(crate) enum Seen<'py> {
    Props(Bound<'py, PySet>),
    Items(AHashSet<usize>),
}

pub(crate) struct Run<'a, 'py> {
    core: &'a JsonSchemaCore,
    py: Python<'py>,
    collect: bool,
    path: Vec<PyObject>,
    pub(crate) errors: Vec<PyObject>,
}

impl<'a, 'py> Run<'a, 'py> {
    pub(crate) fn new(core: &'a JsonSchemaCore, py: Python<'py>, collect: bool) -> Self {
        Run {
            core,
            py,
            collect,
            path: Vec::new(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn root(&mut self, value: &Bound<'py, PyAny>) -> PyResult<bool> {
        self.eval(0, value, 0)
    }

    fn report(
        &mut self,
        keyword: &str,
        value: &Bound<'py, PyAny>,
        ctx: Option<Bound<'py, PyDict>>,
    ) -> PyResult<()> {
        let loc = PyTuple::new(self.py, self.path.iter().map(|t| t.bind(self.py)))?;
        let ctx = match ctx {
            Some(ctx) => ctx.into_any(),
            None => self.py.None().into_bound(self.py),
        };
        let error = PyTuple::new(
            self.py,
            [
                loc.into_any(),
                PyString::new(self.py, keyword).into_any(),
                value.clone(),
                ctx,
            ],
        )?;
        self.errors.push(error.into_any().unbind());
        Ok(())
    }

    /// A failed keyword: recorded when collecting; `Ok(false)`: stop here.
    fn fail(
        &mut self,
        keyword: &str,
        value: &Bound<'py, PyAny>,
        ctx: impl FnOnce(Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>>,
    ) -> PyResult<bool> {
        if self.collect {
            let ctx = ctx(self.py)?;
            self.report(keyword, value, ctx)?;
        }
        Ok(self.collect)
    }

    /// `index` evaluated quietly (no errors recorded): anyOf, oneOf, not, if, contains.
    fn test(&mut self, index: usize, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<bool> {
        let saved = std::mem::replace(&mut self.collect, false);
        let result = self.eval(index, value, depth);
        self.collect = saved;
        result
    }

    /// A subschema at a child location; a `false` subschema reports `keyword` there.
    fn child(
        &mut self,
        index: usize,
        value: &Bound<'py, PyAny>,
        token: PyObject,
        depth: usize,
        keyword: &str,
    ) -> PyResult<bool> {
        self.path.push(token);
        let result = if matches!(self.core.nodes[index], Node::False) {
            if self.collect {
                self.report(keyword, value, None).map(|()| false)
            } else {
                Ok(false)
            }
        } else {
            self.eval(index, value, depth)
        };
        self.path.pop();
        result
    }

    fn eval(&mut self, index: usize, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<bool> {
        let py = self.py;
        if depth >= MAX_DEPTH || !crate::stack::room_left() {
            return Err(ferrule_err(
                py,
                "JSONError",
                format!("schema evaluation nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let core = self.core;
        let checks = match &core.nodes[index] {
            Node::True => return Ok(true),
            Node::False => {
                if self.collect {
                    self.report("false", value, None)?;
                }
                return Ok(false);
            }
            Node::Checks(checks) => checks,
        };
        let kind = kind(value)?;
        let depth = depth + 1;
        let mut ok = true;
        macro_rules! failed {
            ($keyword:expr, $ctx:expr) => {{
                ok = false;
                if !self.fail($keyword, value, $ctx)? {
                    return Ok(false);
                }
            }};
        }
        macro_rules! sub {
            ($result:expr) => {{
                if !$result? {
                    ok = false;
                    if !self.collect {
                        return Ok(false);
                    }
                }
            }};
        }
        for check in checks {
            match check {
                Check::Ref(target) => sub!(self.eval(*target, value, depth)),
                Check::Type(mask, names) => {
                    let good = match kind {
                        Kind::Null => mask & types::NULL != 0,
                        Kind::Bool => mask & types::BOOLEAN != 0,
                        Kind::Str => mask & types::STRING != 0,
                        Kind::List => mask & types::ARRAY != 0,
                        Kind::Dict => mask & types::OBJECT != 0,
                        Kind::Int => mask & (types::INTEGER | types::NUMBER) != 0,
                        Kind::Float | Kind::Decimal => {
                            mask & types::NUMBER != 0
                                || (mask & types::INTEGER != 0 && is_integral(value, kind)?)
                        }
                    };
                    if !good {
                        failed!("type", |py| ctx1(py, "expected", names.bind(py)));
                    }
                }
                Check::Enum(items) => {
                    let mut found = false;
                    for item in items.bind(py).downcast::<PyList>()?.iter() {
                        if json_equal(value, &item, 0)? {
                            found = true;
                            break;
                        }
                    }
                    if !found {
                        failed!("enum", |py| ctx1(py, "expected", items.bind(py)));
                    }
                }
                Check::Const(expected) => {
                    if !json_equal(value, expected.bind(py), 0)? {
                        failed!("const", |py| ctx1(py, "expected", expected.bind(py)));
                    }
                }
                Check::Bound(which, limit) => {
                    if kind.is_number() {
                        let order = compare(value, kind, limit)?;
                        let (good, keyword) = match which {
                            BoundKind::Minimum => (order.is_ge(), "minimum"),
                            BoundKind::Maximum => (order.is_le(), "maximum"),
                            BoundKind::ExclusiveMinimum => (order.is_gt(), "exclusiveMinimum"),
                            BoundKind::ExclusiveMaximum => (order.is_lt(), "exclusiveMaximum"),
                        };
                        if !good {
                            failed!(keyword, |py| ctx1(py, "limit", limit.object.bind(py)));
                        }
                    }
                }
                Check::MultipleOf(divisor) => {
                    if kind.is_number() && !is_multiple(value, kind, divisor, &core.multiple_of)? {
                        failed!("multipleOf", |py| ctx1(
                            py,
                            "limit",
                            divisor.object.bind(py)
                        ));
                    }
                }
                Check::Size(which, limit) => {
                    let (applies, keyword, at_least) = match which {
                        Size::MinLength => (kind == Kind::Str, "minLength", true),
                        Size::MaxLength => (kind == Kind::Str, "maxLength", false),
                        Size::MinItems => (kind == Kind::List, "minItems", true),
                        Size::MaxItems => (kind == Kind::List, "maxItems", false),
                        Size::MinProperties => (kind == Kind::Dict, "minProperties", true),
                        Size::MaxProperties => (kind == Kind::Dict, "maxProperties", false),
                    };
                    if applies {
                        let size = value.len()?;
                        let good = if at_least {
                            size >= *limit
                        } else {
                            size <= *limit
                        };
                        if !good {
                            let limit = *limit;
                            failed!(keyword, |py| ctx2(py, ("limit", limit), ("actual", size)));
                        }
                    }
                }
                Check::Pattern(at) => {
                    if kind == Kind::Str && !self.search(*at, value)? {
                        let source = &core.patterns[*at].0;
                        failed!("pattern", |py| ctx1(py, "pattern", source.bind(py)));
                    }
                }
                Check::Format(format, name) => {
                    if kind == Kind::Str {
                        let good = match value.downcast::<PyString>()?.to_str() {
                            Ok(text) => format.check(text),
                            Err(_) => false, // a lone surrogate fits no format
                        };
                        if !good {
                            failed!("format", |py| ctx1(py, "format", name.bind(py)));
                        }
                    }
                }
                Check::UniqueItems => {
                    if kind == Kind::List {
                        if let Some((first, second)) = duplicate(value.downcast::<PyList>()?)? {
                            failed!("uniqueItems", |py| ctx2(
                                py,
                                ("first", first),
                                ("second", second)
                            ));
                        }
                    }
                }
                Check::PrefixItems(nodes) => {
                    if kind == Kind::List {
                        let list = value.downcast::<PyList>()?;
                        for (i, node) in nodes.iter().enumerate() {
                            let Ok(item) = list.get_item(i) else { break };
                            sub!(self.child(
                                *node,
                                &item,
                                index_token(py, i),
                                depth,
                                "prefixItems"
                            ));
                        }
                    }
                }
                Check::Items(node, start) => {
                    if kind == Kind::List {
                        let list = value.downcast::<PyList>()?;
                        let mut i = *start;
                        while let Ok(item) = list.get_item(i) {
                            sub!(self.child(*node, &item, index_token(py, i), depth, "items"));
                            i += 1;
                        }
                    }
                }
                Check::Contains(node, low, high) => {
                    if kind == Kind::List {
                        let list = value.downcast::<PyList>()?;
                        let mut matched = 0usize;
                        let mut i = 0;
                        while let Ok(item) = list.get_item(i) {
                            if self.test(*node, &item, depth)? {
                                matched += 1;
                            }
                            i += 1;
                        }
                        if matched < *low {
                            let low = *low;
                            failed!("contains", |py| ctx2(
                                py,
                                ("min", low),
                                ("matched", matched)
                            ));
                        } else if high.is_some_and(|h| matched > h) {
                            let high = high.unwrap_or_default();
                            failed!("maxContains", |py| ctx2(
                                py,
                                ("max", high),
                                ("matched", matched)
                            ));
                        }
                    }
                }
                Check::Required(names) => {
                    if kind == Kind::Dict {
                        let dict = value.downcast::<PyDict>()?;
                        for key in names {
                            if !dict.contains(key.name.bind(py))? {
                                failed!("required", |py| ctx1(py, "property", key.name.bind(py)));
                            }
                        }
                    }
                }
                Check::DependentRequired(pairs) => {
                    if kind == Kind::Dict {
                        let dict = value.downcast::<PyDict>()?;
                        for (name, others) in pairs {
                            if !dict.contains(name.name.bind(py))? {
                                continue;
                            }
                            for other in others {
                                if !dict.contains(other.name.bind(py))? {
                                    failed!("dependentRequired", |py| ctx2(
                                        py,
                                        ("property", other.name.bind(py)),
                                        ("because", name.name.bind(py))
                                    ));
                                }
                            }
                        }
                    }
                }
                Check::Properties(props) => {
                    if kind == Kind::Dict {
                        let dict = value.downcast::<PyDict>()?;
                        for (key, node) in props {
                            let name = key.name.bind(py);
                            if let Some(item) = dict.get_item(name)? {
                                let token = name.clone().into_any().unbind();
                                sub!(self.child(*node, &item, token, depth, "properties"));
                            }
                        }
                    }
                }
                Check::PatternProperties(pairs) => {
                    if kind == Kind::Dict {
                        for (key, item) in value.downcast::<PyDict>()?.iter() {
                            check_key(&key)?;
                            for (at, node) in pairs {
                                if self.search(*at, &key)? {
                                    let token = key.clone().unbind();
                                    sub!(self.child(
                                        *node,
                                        &item,
                                        token,
                                        depth,
                                        "patternProperties"
                                    ));
                                }
                            }
                        }
                    }
                }
                Check::AdditionalProperties(node, names, patterns) => {
                    if kind == Kind::Dict {
                        for (key, item) in value.downcast::<PyDict>()?.iter() {
                            check_key(&key)?;
                            let known = match key.downcast::<PyString>()?.to_str() {
                                Ok(text) => names.contains(text),
                                Err(_) => false,
                            };
                            if known {
                                continue;
                            }
                            let mut matched = false;
                            for at in patterns {
                                if self.search(*at, &key)? {
                                    matched = true;
                                    break;
                                }
                            }
                            if matched {
                                continue;
                            }
                            let token = key.clone().unbind();
                            sub!(self.child(*node, &item, token, depth, "additionalProperties"));
                        }
                    }
                }
                Check::PropertyNames(node) => {
                    if kind == Kind::Dict {
                        for key in value.downcast::<PyDict>()?.keys().iter() {
                            check_key(&key)?;
                            if !self.test(*node, &key, depth)? {
                                failed!("propertyNames", |_| ctx1(py, "property", &key));
                            }
                        }
                    }
                }
                Check::DependentSchemas(pairs) => {
                    if kind == Kind::Dict {
                        let dict = value.downcast::<PyDict>()?;
                        for (name, node) in pairs {
                            if dict.contains(name.name.bind(py))? {
                                sub!(self.eval(*node, value, depth));
                            }
                        }
                    }
                }
                Check::AllOf(nodes) => {
                    for node in nodes {
                        sub!(self.eval(*node, value, depth));
                    }
                }
                Check::AnyOf(nodes) => {
                    let mut any = false;
                    for node in nodes {
                        if self.test(*node, value, depth)? {
                            any = true;
                            break;
                        }
                    }
                    if !any {
                        failed!("anyOf", |_| Ok(None));
                    }
                }
                Check::OneOf(nodes) => {
                    let mut matched = 0usize;
                    for node in nodes {
                        if self.test(*node, value, depth)? {
                            matched += 1;
                        }
                    }
                    if matched != 1 {
                        failed!("oneOf", |py| {
                            let ctx = PyDict::new(py);
                            ctx.set_item("matched", matched)?;
                            Ok(Some(ctx))
                        });
                    }
                }
                Check::Not(node) => {
                    if self.test(*node, value, depth)? {
                        failed!("not", |_| Ok(None));
                    }
                }
                Check::If(test, then, other) => {
                    let branch = if self.test(*test, value, depth)? {
                        then
                    } else {
                        other
                    };
                    if let Some(branch) = branch {
                        sub!(self.eval(*branch, value, depth));
                    }
                }
                Check::UnevaluatedProperties(node) => {
                    if kind == Kind::Dict {
                        let mut seen = Seen::Props(PySet::empty(py)?);
                        let all = self.seen(index, value, depth, &mut seen, true)?;
                        let Seen::Props(names) = seen else { continue };
                        for (key, item) in value.downcast::<PyDict>()?.iter() {
                            check_key(&key)?;
                            if all || names.contains(&key)? {
                                continue;
                            }
                            let token = key.clone().unbind();
                            sub!(self.child(*node, &item, token, depth, "unevaluatedProperties"));
                        }
                    }
                }
                Check::UnevaluatedItems(node) => {
                    if kind == Kind::List {
                        let mut seen = Seen::Items(AHashSet::new());
                        let all = self.seen(index, value, depth, &mut seen, true)?;
                        let Seen::Items(indexes) = seen else { continue };
                        let list = value.downcast::<PyList>()?;
                        let mut i = 0;
                        while let Ok(item) = list.get_item(i) {
                            if !all && !indexes.contains(&i) {
                                let token = index_token(py, i);
                                sub!(self.child(*node, &item, token, depth, "unevaluatedItems"));
                            }
                            i += 1;
                        }
                    }
                }
            }
        }
        Ok(ok)
    }

    /// Adds to `seen` the property names (or item indexes) that node `index` evaluates in
    /// `value`; `Ok(true)`: all of them. `top`: leave out the node's own `unevaluated*`.
    fn seen(
        &mut self,
        index: usize,
        value: &Bound<'py, PyAny>,
        depth: usize,
        seen: &mut Seen<'py>,
        top: bool,
    ) -> PyResult<bool> {
        let py = self.py;
        if depth >= MAX_DEPTH || !crate::stack::room_left() {
            return Err(ferrule_err(
                py,
                "JSONError",
                format!("schema evaluation nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let core = self.core;
        let Node::Checks(checks) = &core.nodes[index] else {
            return Ok(false);
        };
        let depth = depth + 1;
        for check in checks {
            match seen {
                Seen::Props(names) => {
                    let dict = value.downcast::<PyDict>()?;
                    match check {
                        Check::Properties(props) => {
                            for (key, _) in props {
                                if dict.contains(key.name.bind(py))? {
                                    names.add(key.name.bind(py))?;
                                }
                            }
                        }
                        Check::PatternProperties(pairs) => {
                            for key in dict.keys().iter() {
                                check_key(&key)?;
                                for (at, _) in pairs {
                                    if self.search(*at, &key)? {
                                        names.add(&key)?;
                                        break;
                                    }
                                }
                            }
                        }
                        Check::AdditionalProperties(..) => return Ok(true),
                        Check::UnevaluatedProperties(_) if !top => return Ok(true),
                        Check::DependentSchemas(pairs) => {
                            for (name, sub) in pairs {
                                if dict.contains(name.name.bind(py))?
                                    && self.seen(*sub, value, depth, seen, false)?
                                {
                                    return Ok(true);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Seen::Items(indexes) => {
                    let list = value.downcast::<PyList>()?;
                    match check {
                        Check::PrefixItems(nodes) => indexes.extend(0..nodes.len().min(list.len())),
                        Check::Items(..) => return Ok(true),
                        Check::UnevaluatedItems(_) if !top => return Ok(true),
                        Check::Contains(sub, _, _) => {
                            let mut i = 0;
                            while let Ok(item) = list.get_item(i) {
                                if self.test(*sub, &item, depth)? {
                                    indexes.insert(i);
                                }
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let all_of: &[usize] = match check {
                Check::Ref(sub) => std::slice::from_ref(sub),
                Check::AllOf(nodes) => nodes,
                _ => &[],
            };
            for sub in all_of {
                if self.seen(*sub, value, depth, seen, false)? {
                    return Ok(true);
                }
            }
            match check {
                Check::AnyOf(nodes) | Check::OneOf(nodes) => {
                    for sub in nodes {
                        if self.test(*sub, value, depth)?
                            && self.seen(*sub, value, depth, seen, false)?
                        {
                            return Ok(true);
                        }
                    }
                }
                Check::If(test, then, other) => {
                    if self.test(*test, value, depth)? {
                        if self.seen(*test, value, depth, seen, false)? {
                            return Ok(true);
                        }
                        if let Some(then) = then {
                            if self.seen(*then, value, depth, seen, false)? {
                                return Ok(true);
                            }
                        }
                    } else if let Some(other) = other {
                        if self.seen(*other, value, depth, seen, false)? {
                            return Ok(true);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(false)
    }

    /// `re.search(pattern, text) is not None` for the pattern at `at`.
    fn search(&self, at: usize, text: &Bound<'py, PyAny>) -> PyResult<bool> {
        let text = text.downcast::<PyString>()?;
        let pattern = &self.core.patterns[at].1;
        match text.to_str() {
            Ok(utf8) => pattern.is_match(self.py, utf8, false, text),
            Err(_) => pattern.search_python(text),
        }
    }
}

fn ctx1<'py>(
    py: Python<'py>,
    name: &str,
    value: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let ctx = PyDict::new(py);
    ctx.set_item(name, value)?;
    Ok(Some(ctx))
}

fn ctx2<'py>(
    py: Python<'py>,
    first: (&str, impl IntoPyObject<'py>),
    second: (&str, impl IntoPyObject<'py>),
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let ctx = PyDict::new(py);
    ctx.set_item(first.0, first.1)?;
    ctx.set_item(second.0, second.1)?;
    Ok(Some(ctx))
}

fn index_token(py: Python<'_>, i: usize) -> PyObject {
    i.into_pyobject(py)
        .map(|n| n.into_any().unbind())
        .unwrap_or_else(|_| py.None())
}

fn check_key(key: &Bound<'_, PyAny>) -> PyResult<()> {
    if key.is_exact_instance_of::<PyString>() {
        return Ok(());
    }
    let name = key.get_type().name()?;
    Err(ferrule_err(
        key.py(),
        "JSONError",
        format!("object keys must be str, not {name}"),
    ))
}

/// A scalar as a hash key that is equal exactly when the values are JSON-equal.
#[derive(PartialEq, Eq, Hash)]
enum ScalarKey<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(&'a str),
}

fn scalar_key<'a>(item: &'a Bound<'_, PyAny>) -> Option<ScalarKey<'a>> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2**63
    if item.is_none() {
        return Some(ScalarKey::Null);
    }
    if let Ok(flag) = item.downcast_exact::<PyBool>() {
        return Some(ScalarKey::Bool(flag.is_true()));
    }
    if let Ok(text) = item.downcast_exact::<PyString>() {
        return text.to_str().ok().map(ScalarKey::Str);
    }
    if item.is_exact_instance_of::<PyInt>() {
        return item.extract::<i64>().ok().map(ScalarKey::Int);
    }
    let f = item.downcast_exact::<PyFloat>().ok()?.value();
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
        return Some(ScalarKey::Int(f as i64)); // exact: integral and in range
    }
    Some(ScalarKey::Float(f.to_bits()))
}

/// The twin's answer in linear time for an array of plain scalars (`None`: not one).
fn duplicate_scalars(items: &[Bound<'_, PyAny>]) -> Option<Option<(usize, usize)>> {
    let mut first: ahash::AHashMap<ScalarKey<'_>, usize> = ahash::AHashMap::new();
    let mut keys = Vec::with_capacity(items.len());
    for item in items {
        keys.push(scalar_key(item)?);
    }
    for (j, key) in keys.into_iter().enumerate() {
        let i = *first.entry(key).or_insert(j);
        if i != j {
            return Some(Some((i, j)));
        }
    }
    Some(None)
}

/// The first `(i, j)`, `i < j`, by `j` then `i`, of two equal items (as the twin's).
fn duplicate(list: &Bound<'_, PyList>) -> PyResult<Option<(usize, usize)>> {
    let items: Vec<Bound<'_, PyAny>> = list.iter().collect();
    if let Some(answer) = duplicate_scalars(&items) {
        return Ok(answer);
    }
    for j in 1..items.len() {
        for i in 0..j {
            if json_equal(&items[j], &items[i], 0)? {
                return Ok(Some((i, j)));
            }
        }
    }
    Ok(None)
}
