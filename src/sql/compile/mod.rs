//! Node tree -> SQL text + the order in which to bind the values. Mirrors
//! the pure-Python twin line for line (`python/ferrule/sql/compiler.py` and, file for file,
//! `python/ferrule/sql/_compile/`); their output must be byte-identical.

mod expr;
mod query;
mod write;

use super::dialect::{Dialect, LengthUnit, ParamStyle};
use super::node::Node;
use super::{SqlError, SqlResult};

/// SQL text and, for each placeholder in text order, the index of the value it binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compiled {
    pub sql: String,
    pub order: Vec<u32>,
}

pub(crate) fn compile(node: &Node<'_>, dialect: &'static Dialect) -> SqlResult<Compiled> {
    let mut c = Compiler {
        d: dialect,
        out: String::with_capacity(256),
        order: Vec::new(),
        unqualified: false,
        prefix: None,
        defining: Vec::new(),
        bad_identifier: None,
    };
    let result = c.statement(node);
    // `ident` cannot fail (it is called everywhere); the first bad name it saw comes before
    // any later error in the text, as the Python twin raises it.
    if let Some(err) = c.bad_identifier.take() {
        return Err(err);
    }
    result?;
    Ok(Compiled {
        sql: c.out,
        order: c.order,
    })
}

fn invalid<T>(message: impl Into<String>) -> SqlResult<T> {
    Err(SqlError::Invalid(message.into()))
}

/// Operands with these tags are parenthesised inside another operator.
fn wraps(tag: &str) -> bool {
    matches!(
        tag,
        "op" | "and" | "or" | "not" | "isnull" | "in" | "between" | "like" | "regex" | "neg"
    )
}

/// The steps of a builder chain `(prev, step, arg)`, first step first.
fn steps<'n, 'a>(mut link: &'n Node<'a>) -> SqlResult<Vec<(&'a str, &'n Node<'a>)>> {
    let mut out = Vec::new();
    while !link.is_null() {
        out.push((link.at(1).str()?, link.at(2)));
        link = link.at(0);
    }
    out.reverse();
    Ok(out)
}

/// Flatten a list of conditions into one AND node (or the single condition).
fn conjuncts<'n, 'a>(conds: &[&'n Node<'a>]) -> Conj<'n, 'a> {
    let mut items: Vec<&'n Node<'a>> = Vec::new();
    for c in conds {
        if c.tag() == "and" {
            items.extend(c.at(1).items().iter());
        } else {
            items.push(c);
        }
    }
    Conj(items)
}

struct Conj<'n, 'a>(Vec<&'n Node<'a>>);

#[derive(Default)]
struct Select<'n, 'a> {
    cols: Vec<&'n Node<'a>>,
    froms: Vec<&'n Node<'a>>,
    joins: Vec<&'n Node<'a>>,
    wheres: Vec<&'n Node<'a>>,
    group: Vec<&'n Node<'a>>,
    having: Vec<&'n Node<'a>>,
    order: Vec<&'n Node<'a>>,
    ctes: Vec<&'n Node<'a>>,
    limit: Option<&'n Node<'a>>,
    offset: Option<&'n Node<'a>>,
    distinct: Option<&'n Node<'a>>,
    lock: Option<&'n Node<'a>>,
}

fn opt<'n, 'a>(n: &'n Node<'a>) -> Option<&'n Node<'a>> {
    if n.is_null() {
        None
    } else {
        Some(n)
    }
}

impl<'n, 'a> Select<'n, 'a> {
    fn fold(link: &'n Node<'a>) -> SqlResult<Self> {
        let mut s = Select::default();
        for (step, arg) in steps(link)? {
            match step {
                "cols" => s.cols.extend(arg.items()),
                "from" => s.froms.extend(arg.items()),
                "join" => s.joins.push(arg),
                "where" => s.wheres.push(arg),
                "group" => s.group.extend(arg.items()),
                "having" => s.having.push(arg),
                "order" => s.order.extend(arg.items()),
                "limit" => s.limit = opt(arg),
                "offset" => s.offset = opt(arg),
                "distinct" => s.distinct = Some(arg),
                "lock" => s.lock = Some(arg),
                "with" => {
                    let name = arg.at(1);
                    if s.ctes.iter().all(|c| c.at(1) != name) {
                        s.ctes.push(arg);
                    }
                }
                other => return invalid(format!("unknown select step '{other}'")),
            }
        }
        Ok(s)
    }
}

struct Compiler {
    d: &'static Dialect,
    out: String,
    order: Vec<u32>,
    unqualified: bool,
    prefix: Option<&'static str>,
    /// Recursive CTEs whose bodies are being written: there the name is a self-reference.
    defining: Vec<String>,
    bad_identifier: Option<SqlError>,
}

/// Why the server could not hold `name` exactly (the same text as the Python twin's).
fn identifier_error(name: &str, d: &Dialect) -> Option<SqlError> {
    let error = |problem: String, limit| {
        Some(SqlError::Identifier {
            dialect: d.name,
            name: name.to_owned(),
            problem,
            limit,
        })
    };
    if name.contains('\0') {
        return error("contains a NUL character".to_owned(), None);
    }
    let limit = d.max_identifier_length?;
    if name.chars().count() * 4 <= limit {
        return None;
    }
    let (length, units) = match d.identifier_length_unit {
        LengthUnit::Bytes => (name.len(), "bytes (UTF-8)"),
        LengthUnit::Chars => (name.chars().count(), "characters"),
        LengthUnit::Utf16 => (name.encode_utf16().count(), "UTF-16 code units"),
    };
    if length <= limit {
        return None;
    }
    error(
        format!("is {length} {units} long, more than the {limit} the server keeps"),
        Some(limit),
    )
}

impl Compiler {
    // --- output primitives ---------------------------------------------------------------------

    fn lit(&mut self, text: &str) {
        if self.d.percent_escape && text.contains('%') {
            for ch in text.chars() {
                if ch == '%' {
                    self.out.push('%');
                }
                self.out.push(ch);
            }
        } else {
            self.out.push_str(text);
        }
    }

    fn ident(&mut self, name: &str) {
        if self.bad_identifier.is_none() {
            self.bad_identifier = identifier_error(name, self.d);
        }
        let (open, close) = self.d.quote;
        self.out.push(open);
        for ch in name.chars() {
            if ch == close {
                self.out.push(close);
            } else if ch == '%' && self.d.percent_escape {
                self.out.push('%');
            }
            self.out.push(ch);
        }
        self.out.push(close);
    }

    fn param(&mut self, index: u32) {
        self.order.push(index);
        match self.d.paramstyle {
            ParamStyle::Dollar => {
                self.out.push('$');
                let mut b = itoa::Buffer::new();
                self.out.push_str(b.format(self.order.len()));
            }
            ParamStyle::Format => self.out.push_str("%s"),
            ParamStyle::Qmark => self.out.push('?'),
        }
    }

    fn unsupported<T>(&self, feature: impl Into<String>) -> SqlResult<T> {
        Err(SqlError::Unsupported {
            dialect: self.d.name,
            feature: feature.into(),
        })
    }

    fn idents(&mut self, names: &[Node<'_>]) -> SqlResult<()> {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.ident(name.str()?);
        }
        Ok(())
    }

    fn exprs<'x, 'a: 'x>(
        &mut self,
        nodes: impl IntoIterator<Item = &'x Node<'a>>,
    ) -> SqlResult<()> {
        for (i, n) in nodes.into_iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.expr(n)?;
        }
        Ok(())
    }

    // --- expressions ---------------------------------------------------------------------------
}

fn member_ctes<'n, 'a>(n: &'n Node<'a>, ctes: &mut Vec<&'n Node<'a>>) -> SqlResult<()> {
    match n.tag() {
        "select" => {
            for cte in Select::fold(n.at(1))?.ctes {
                if ctes.iter().all(|c| c.at(1) != cte.at(1)) {
                    ctes.push(cte);
                }
            }
        }
        "compound" => {
            if let Some((_, parts)) = steps(n.at(1))?.first() {
                for m in parts.at(1).items() {
                    member_ctes(m, ctes)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests;
