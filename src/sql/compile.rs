//! Node tree -> SQL text + the order in which to bind the values. Mirrors
//! `python/ferrule/sql/compiler.py` line for line; their output must be byte-identical.

use super::dialect::{Dialect, Locking, NullsOrder, ParamStyle, Upsert};
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
    };
    c.statement(node)?;
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
        "op" | "and" | "or" | "not" | "isnull" | "in" | "between" | "like" | "neg"
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

    fn operand(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if wraps(n.tag()) {
            self.lit("(");
            self.expr(n)?;
            self.lit(")");
            Ok(())
        } else {
            self.expr(n)
        }
    }

    fn expr(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if let Node::Param(i) = n {
            self.param(*i);
            return Ok(());
        }
        match n.tag() {
            "col" => {
                if let Some(prefix) = self.prefix {
                    self.lit(prefix);
                    self.lit(".");
                } else if !n.at(1).is_null() && !self.unqualified {
                    self.ident(n.at(1).str()?);
                    self.lit(".");
                }
                self.ident(n.at(2).str()?);
            }
            "op" => {
                self.operand(n.at(2))?;
                self.lit(" ");
                self.lit(n.at(1).str()?);
                self.lit(" ");
                self.operand(n.at(3))?;
            }
            tag @ ("and" | "or") => {
                let joiner = if tag == "and" { " AND " } else { " OR " };
                self.junction(n.at(1).items().iter(), joiner)?;
            }
            "star" => {
                if let Some(prefix) = self.prefix {
                    self.lit(prefix);
                    self.lit(".*");
                } else if !n.at(1).is_null() && !self.unqualified {
                    self.ident(n.at(1).str()?);
                    self.lit(".*");
                } else {
                    self.lit("*");
                }
            }
            "null" => self.lit("NULL"),
            "not" => {
                if n.at(1).tag() == "exists" {
                    self.lit("NOT ");
                    self.expr(n.at(1))?;
                } else {
                    self.lit("NOT (");
                    self.expr(n.at(1))?;
                    self.lit(")");
                }
            }
            "neg" => {
                self.lit("-");
                self.operand(n.at(1))?;
            }
            "isnull" => {
                self.operand(n.at(1))?;
                self.lit(if n.at(2).truthy() {
                    " IS NOT NULL"
                } else {
                    " IS NULL"
                });
            }
            "in" => self.in_(n)?,
            "between" => {
                self.operand(n.at(1))?;
                self.lit(if n.at(4).truthy() {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.operand(n.at(2))?;
                self.lit(" AND ");
                self.operand(n.at(3))?;
            }
            "like" => self.like(n)?,
            "func" => self.func(n)?,
            "over" => self.over(n)?,
            "case" => {
                self.lit("CASE");
                for pair in n.at(1).items() {
                    self.lit(" WHEN ");
                    self.expr(pair.at(0))?;
                    self.lit(" THEN ");
                    self.expr(pair.at(1))?;
                }
                if !n.at(2).is_null() {
                    self.lit(" ELSE ");
                    self.expr(n.at(2))?;
                }
                self.lit(" END");
            }
            "cast" => {
                self.lit("CAST(");
                self.expr(n.at(1))?;
                self.lit(" AS ");
                let ty = self.cast_type(n.at(2).str()?);
                self.lit(&ty);
                self.lit(")");
            }
            "exists" => {
                self.lit("EXISTS (");
                self.statement(n.at(1))?;
                self.lit(")");
            }
            "sub" => {
                self.lit("(");
                self.statement(n.at(1))?;
                self.lit(")");
            }
            "raw" => self.raw(n)?,
            "label" => self.ident(n.at(2).str()?),
            "excluded" => self.excluded(n.at(1).str()?),
            "order" => self.order_item(n)?,
            other => return invalid(format!("unknown expression node '{other}'")),
        }
        Ok(())
    }

    fn junction<'x, 'a: 'x>(
        &mut self,
        items: impl Iterator<Item = &'x Node<'a>>,
        joiner: &str,
    ) -> SqlResult<()> {
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.lit(joiner);
            }
            if matches!(item.tag(), "and" | "or") {
                self.lit("(");
                self.expr(item)?;
                self.lit(")");
            } else {
                self.expr(item)?;
            }
        }
        Ok(())
    }

    fn in_(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let target = n.at(2);
        let negated = n.at(3).truthy();
        if target.items().is_empty() {
            self.lit(if negated { "1 = 1" } else { "1 = 0" });
            return Ok(());
        }
        self.operand(n.at(1))?;
        self.lit(if negated { " NOT IN (" } else { " IN (" });
        if matches!(target.at(0), Node::Str(_)) {
            self.statement(target)?;
        } else {
            self.exprs(target.items())?;
        }
        self.lit(")");
        Ok(())
    }

    fn like(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let (x, pattern, ci, negated) = (n.at(1), n.at(2), n.at(3).truthy(), n.at(4).truthy());
        let keyword = if negated { " NOT LIKE " } else { " LIKE " };
        if ci && self.d.ilike {
            self.operand(x)?;
            self.lit(if negated { " NOT ILIKE " } else { " ILIKE " });
            self.operand(pattern)?;
        } else if ci {
            self.lit("LOWER(");
            self.expr(x)?;
            self.lit(")");
            self.lit(keyword);
            self.lit("LOWER(");
            self.expr(pattern)?;
            self.lit(")");
        } else {
            self.operand(x)?;
            self.lit(keyword);
            self.operand(pattern)?;
        }
        Ok(())
    }

    fn func(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let name = n.at(1).str()?;
        let args = n.at(2).items();
        let filter = n.at(4);
        self.lit(name);
        self.lit("(");
        if n.at(3).truthy() {
            self.lit("DISTINCT ");
        }
        if !filter.is_null() && !self.d.filter_clause {
            self.lit("CASE WHEN ");
            self.expr(filter)?;
            self.lit(" THEN ");
            match args.first() {
                Some(first) => self.expr(first)?,
                None => self.lit("1"),
            }
            self.lit(" END");
            for arg in args.iter().skip(1) {
                self.lit(", ");
                self.expr(arg)?;
            }
            self.lit(")");
            return Ok(());
        }
        if !args.is_empty() {
            self.exprs(args)?;
        } else if name == "COUNT" {
            self.lit("*");
        }
        self.lit(")");
        if !filter.is_null() {
            self.lit(" FILTER (WHERE ");
            self.expr(filter)?;
            self.lit(")");
        }
        Ok(())
    }

    fn over(&mut self, n: &Node<'_>) -> SqlResult<()> {
        self.expr(n.at(1))?;
        self.lit(" OVER (");
        let mut space = false;
        if !n.at(2).items().is_empty() {
            self.lit("PARTITION BY ");
            self.exprs(n.at(2).items())?;
            space = true;
        }
        if !n.at(3).items().is_empty() {
            self.lit(if space { " ORDER BY " } else { "ORDER BY " });
            self.order_items(n.at(3).items())?;
            space = true;
        }
        let frame = n.at(4);
        if !frame.is_null() {
            let mode = frame.at(0).str()?;
            if mode == "GROUPS" && !self.d.frame_groups {
                return self.unsupported("GROUPS window frame");
            }
            let (start, end) = (frame.at(1).str()?, frame.at(2).str()?);
            let offset = |b: &str| b.starts_with(|c: char| c.is_ascii_digit());
            if mode == "RANGE" && !self.d.range_offsets && (offset(start) || offset(end)) {
                return self.unsupported("RANGE window frame with an offset");
            }
            if space {
                self.lit(" ");
            }
            self.lit(mode);
            self.lit(" BETWEEN ");
            self.lit(frame.at(1).str()?);
            self.lit(" AND ");
            self.lit(frame.at(2).str()?);
        }
        self.lit(")");
        Ok(())
    }

    fn cast_type(&self, ty: &str) -> String {
        let (base, suffix) = match ty.find('(') {
            Some(i) => (&ty[..i], &ty[i..]),
            None => (ty, ""),
        };
        match self.d.cast(&base.trim().to_ascii_lowercase()) {
            None => ty.to_ascii_uppercase(),
            Some(mapped) if mapped.contains('(') => mapped.to_owned(),
            Some(mapped) => format!("{mapped}{}", suffix.to_ascii_uppercase()),
        }
    }

    fn raw(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let parts = n.at(1).items();
        let params = n.at(2).items();
        if parts.len() != params.len() + 1 {
            return invalid("raw fragment parts and params do not match");
        }
        self.lit(parts[0].str()?);
        for (i, p) in params.iter().enumerate() {
            self.expr(p)?;
            self.lit(parts[i + 1].str()?);
        }
        Ok(())
    }

    fn excluded(&mut self, name: &str) {
        match self.d.upsert {
            Upsert::OnConflict => {
                self.lit("EXCLUDED.");
                self.ident(name);
            }
            Upsert::DuplicateKey => {
                self.lit("VALUES(");
                self.ident(name);
                self.lit(")");
            }
            Upsert::Merge => {
                self.ident("src");
                self.lit(".");
                self.ident(name);
            }
        }
    }

    fn order_item(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if n.tag() != "order" {
            return self.expr(n);
        }
        let (x, desc, nulls) = (n.at(1), n.at(2), n.at(3));
        let last = matches!(nulls, Node::Str("last"));
        if !nulls.is_null() {
            match self.d.nulls_order {
                NullsOrder::Native => {}
                NullsOrder::IsNull => {
                    self.operand(x)?;
                    self.lit(if last { " IS NULL, " } else { " IS NOT NULL, " });
                }
                NullsOrder::Case => {
                    self.lit("CASE WHEN ");
                    self.operand(x)?;
                    self.lit(if last {
                        " IS NULL THEN 1 ELSE 0 END, "
                    } else {
                        " IS NULL THEN 0 ELSE 1 END, "
                    });
                }
            }
        }
        self.expr(x)?;
        if !desc.is_null() {
            self.lit(if desc.truthy() { " DESC" } else { " ASC" });
        }
        if !nulls.is_null() && self.d.nulls_order == NullsOrder::Native {
            self.lit(if last { " NULLS LAST" } else { " NULLS FIRST" });
        }
        Ok(())
    }

    fn order_items<'x, 'a: 'x>(
        &mut self,
        nodes: impl IntoIterator<Item = &'x Node<'a>>,
    ) -> SqlResult<()> {
        for (i, n) in nodes.into_iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.order_item(n)?;
        }
        Ok(())
    }

    fn columns<'x, 'a: 'x>(
        &mut self,
        nodes: impl IntoIterator<Item = &'x Node<'a>>,
    ) -> SqlResult<()> {
        for (i, n) in nodes.into_iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            if n.tag() == "label" {
                self.expr(n.at(1))?;
                self.lit(" AS ");
                self.ident(n.at(2).str()?);
            } else {
                self.expr(n)?;
            }
        }
        Ok(())
    }

    fn conditions(&mut self, conds: &[&Node<'_>]) -> SqlResult<()> {
        let Conj(items) = conjuncts(conds);
        if items.len() == 1 {
            self.expr(items[0])
        } else {
            self.junction(items.into_iter(), " AND ")
        }
    }

    // --- statements ----------------------------------------------------------------------------

    fn statement(&mut self, n: &Node<'_>) -> SqlResult<()> {
        match n.tag() {
            "select" => {
                let s = Select::fold(n.at(1))?;
                self.select(&s, true)
            }
            "compound" => self.compound(n, true),
            "insert" => self.insert(n),
            "update" => self.update(n),
            "delete" => self.delete(n),
            "raw" => self.raw(n),
            other => invalid(format!("unknown statement node '{other}'")),
        }
    }

    fn with_clause(&mut self, ctes: &[&Node<'_>]) -> SqlResult<()> {
        let recursive = ctes.iter().any(|c| c.at(4).truthy());
        self.lit(if recursive && self.d.recursive_keyword {
            "WITH RECURSIVE "
        } else {
            "WITH "
        });
        for (i, cte) in ctes.iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.ident(cte.at(1).str()?);
            if !cte.at(2).items().is_empty() {
                self.lit(" (");
                self.idents(cte.at(2).items())?;
                self.lit(")");
            }
            self.lit(" AS (");
            self.statement(cte.at(3))?;
            self.lit(")");
        }
        self.lit(" ");
        Ok(())
    }

    fn source(&mut self, n: &Node<'_>) -> SqlResult<()> {
        match n.tag() {
            "table" => {
                self.table(n)?;
                if !n.at(3).is_null() {
                    self.lit(" AS ");
                    self.ident(n.at(3).str()?);
                }
            }
            "subq" => {
                self.lit("(");
                self.statement(n.at(1))?;
                self.lit(") AS ");
                self.ident(n.at(2).str()?);
            }
            other => return invalid(format!("unknown FROM item '{other}'")),
        }
        Ok(())
    }

    fn table(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if !n.at(2).is_null() {
            self.ident(n.at(2).str()?);
            self.lit(".");
        }
        self.ident(n.at(1).str()?);
        Ok(())
    }

    fn select(&mut self, s: &Select<'_, '_>, with_ctes: bool) -> SqlResult<()> {
        let d = self.d;
        if with_ctes && !s.ctes.is_empty() {
            self.with_clause(&s.ctes)?;
        }
        self.lit("SELECT ");
        if let Some(distinct) = s.distinct {
            if distinct.items().is_empty() {
                self.lit("DISTINCT ");
            } else {
                if !d.distinct_on {
                    return self.unsupported("DISTINCT ON");
                }
                self.lit("DISTINCT ON (");
                self.exprs(distinct.items())?;
                self.lit(") ");
            }
        }
        let top = d.fetch && s.limit.is_some() && s.offset.is_none();
        if let (true, Some(limit)) = (top, s.limit) {
            self.lit("TOP (");
            self.expr(limit)?;
            self.lit(") ");
        }
        if s.cols.is_empty() {
            self.lit("*");
        } else {
            self.columns(s.cols.iter().copied())?;
        }
        if !s.froms.is_empty() {
            self.lit(" FROM ");
            for (i, item) in s.froms.iter().enumerate() {
                if i > 0 {
                    self.lit(", ");
                }
                self.source(item)?;
            }
        }
        for join in &s.joins {
            let kind = join.at(0).str()?;
            let keyword = match kind {
                "inner" => " JOIN ",
                "left" => " LEFT JOIN ",
                "right" => " RIGHT JOIN ",
                "full" => " FULL JOIN ",
                "cross" => " CROSS JOIN ",
                other => return invalid(format!("unknown join kind '{other}'")),
            };
            if kind == "full" && !d.full_join {
                return self.unsupported("FULL JOIN");
            }
            self.lit(keyword);
            self.source(join.at(1))?;
            if !join.at(2).is_null() {
                self.lit(" ON ");
                self.expr(join.at(2))?;
            }
        }
        if !s.wheres.is_empty() {
            self.lit(" WHERE ");
            self.conditions(&s.wheres)?;
        }
        if !s.group.is_empty() {
            self.lit(" GROUP BY ");
            self.exprs(s.group.iter().copied())?;
        }
        if !s.having.is_empty() {
            self.lit(" HAVING ");
            self.conditions(&s.having)?;
        }
        if !s.order.is_empty() {
            self.lit(" ORDER BY ");
            self.order_items(s.order.iter().copied())?;
        }
        self.limit_offset(!s.order.is_empty(), s.limit, s.offset, top)?;
        if let Some(lock) = s.lock {
            self.lock(lock)?;
        }
        Ok(())
    }

    fn limit_offset(
        &mut self,
        ordered: bool,
        limit: Option<&Node<'_>>,
        offset: Option<&Node<'_>>,
        top: bool,
    ) -> SqlResult<()> {
        if !self.d.fetch {
            if let Some(limit) = limit {
                self.lit(" LIMIT ");
                self.expr(limit)?;
            }
            if let Some(offset) = offset {
                if let (None, Some(no_limit)) = (limit, self.d.no_limit) {
                    self.lit(" LIMIT ");
                    self.lit(no_limit);
                }
                self.lit(" OFFSET ");
                self.expr(offset)?;
            }
        } else if !top && (limit.is_some() || offset.is_some()) {
            if !ordered {
                self.lit(" ORDER BY (SELECT NULL)");
            }
            self.lit(" OFFSET ");
            match offset {
                None => self.lit("0"),
                Some(offset) => self.expr(offset)?,
            }
            self.lit(" ROWS");
            if let Some(limit) = limit {
                self.lit(" FETCH NEXT ");
                self.expr(limit)?;
                self.lit(" ROWS ONLY");
            }
        }
        Ok(())
    }

    fn lock(&mut self, lock: &Node<'_>) -> SqlResult<()> {
        let update = lock.at(0).str()? == "update";
        let feature = if update { "FOR UPDATE" } else { "FOR SHARE" };
        let of = lock.at(3).items();
        if self.d.locking == Locking::None {
            return self.unsupported(feature);
        }
        if !of.is_empty() && !self.d.lock_of {
            return self.unsupported(format!("{feature} OF"));
        }
        if update {
            self.lit(" FOR UPDATE");
        } else if self.d.locking == Locking::Standard {
            self.lit(" FOR SHARE");
        } else {
            self.lit(" LOCK IN SHARE MODE");
        }
        if !of.is_empty() {
            self.lit(" OF ");
            self.idents(of)?;
        }
        if lock.at(1).truthy() {
            self.lit(" NOWAIT");
        }
        if lock.at(2).truthy() {
            self.lit(" SKIP LOCKED");
        }
        Ok(())
    }

    fn compound(&mut self, n: &Node<'_>, with_ctes: bool) -> SqlResult<()> {
        let all = steps(n.at(1))?;
        let Some(((_, parts), rest)) = all.split_first() else {
            return invalid("empty compound");
        };
        let kind = parts.at(0).str()?;
        let members = parts.at(1).items();
        let keyword = match kind {
            "union" => " UNION ",
            "union_all" => " UNION ALL ",
            "intersect" => " INTERSECT ",
            "intersect_all" => " INTERSECT ALL ",
            "except" => " EXCEPT ",
            "except_all" => " EXCEPT ALL ",
            other => return invalid(format!("unknown set operation '{other}'")),
        };
        if matches!(kind, "intersect_all" | "except_all") && !self.d.set_op_all {
            return self.unsupported(if kind == "intersect_all" {
                "INTERSECT ALL"
            } else {
                "EXCEPT ALL"
            });
        }
        let mut order: Vec<&Node<'_>> = Vec::new();
        let (mut limit, mut offset) = (None, None);
        for (step, arg) in rest {
            match *step {
                "order" => order.extend(arg.items()),
                "limit" => limit = opt(arg),
                "offset" => offset = opt(arg),
                other => return invalid(format!("unknown compound step '{other}'")),
            }
        }
        if with_ctes {
            let mut ctes = Vec::new();
            member_ctes(n, &mut ctes)?;
            if !ctes.is_empty() {
                self.with_clause(&ctes)?;
            }
        }
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                self.lit(keyword);
            }
            self.member(m)?;
        }
        if !order.is_empty() {
            self.lit(" ORDER BY ");
            self.unqualified = true;
            let result = self.order_items(order.iter().copied());
            self.unqualified = false;
            result?;
        }
        self.limit_offset(!order.is_empty(), limit, offset, false)
    }

    fn member(&mut self, m: &Node<'_>) -> SqlResult<()> {
        let select = if m.tag() == "select" {
            Some(Select::fold(m.at(1))?)
        } else {
            None
        };
        let (wrap, feature) = match &select {
            Some(s) => (
                !s.order.is_empty() || s.limit.is_some() || s.offset.is_some() || s.lock.is_some(),
                "ORDER BY/LIMIT in a compound member",
            ),
            None => (true, "nested set operation"),
        };
        if wrap && !self.d.member_parens {
            return self.unsupported(feature);
        }
        if wrap {
            self.lit("(");
        }
        match &select {
            Some(s) => self.select(s, false)?,
            None => self.compound(m, false)?,
        }
        if wrap {
            self.lit(")");
        }
        Ok(())
    }

    /// RETURNING at the end; SQL Server's OUTPUT goes wherever the caller calls this.
    fn returning(
        &mut self,
        kind: &str,
        items: &[&Node<'_>],
        prefix: &'static str,
    ) -> SqlResult<()> {
        if items.is_empty() {
            return Ok(());
        }
        if self.d.output_clause {
            self.lit(" OUTPUT ");
            self.prefix = Some(prefix);
            let result = self.columns(items.iter().copied());
            self.prefix = None;
            return result;
        }
        let (insert, update, delete) = self.d.returning;
        let allowed = match kind {
            "insert" => insert,
            "update" => update,
            _ => delete,
        };
        if !allowed {
            return self.unsupported(format!("{} ... RETURNING", kind.to_ascii_uppercase()));
        }
        self.lit(" RETURNING ");
        self.columns(items.iter().copied())
    }

    fn sets(&mut self, sets: &[&Node<'_>]) -> SqlResult<()> {
        for (i, pair) in sets.iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.ident(pair.at(0).str()?);
            self.lit(" = ");
            self.expr(pair.at(1))?;
        }
        Ok(())
    }

    fn check_returning(&self, kind: &str, returning: &[&Node<'_>]) -> SqlResult<()> {
        if returning.is_empty() || self.d.output_clause {
            return Ok(());
        }
        let (insert, update, delete) = self.d.returning;
        let allowed = match kind {
            "insert" => insert,
            "update" => update,
            _ => delete,
        };
        if allowed {
            Ok(())
        } else {
            self.unsupported(format!("{} ... RETURNING", kind.to_ascii_uppercase()))
        }
    }

    fn insert(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let mut table = &Node::Null;
        let mut names: &[Node<'_>] = &[];
        let mut rows: Option<&Node<'_>> = None;
        let mut query: Option<&Node<'_>> = None;
        let mut returning: Vec<&Node<'_>> = Vec::new();
        let mut conflict: Option<&Node<'_>> = None;
        for (step, arg) in steps(n.at(1))? {
            match step {
                "into" => table = arg,
                "values" => (names, rows, query) = (arg.at(0).items(), Some(arg.at(1)), None),
                "select" => (names, query, rows) = (arg.at(0).items(), Some(arg.at(1)), None),
                "returning" => returning.extend(arg.items()),
                "conflict" => conflict = Some(arg),
                other => return invalid(format!("unknown insert step '{other}'")),
            }
        }
        if let (Some(conflict), Upsert::Merge) = (conflict, self.d.upsert) {
            return self.merge(table, names, rows, query, conflict, &returning);
        }
        self.check_returning("insert", &returning)?;
        self.lit("INSERT INTO ");
        self.table(table)?;
        if !names.is_empty() {
            self.lit(" (");
            self.idents(names)?;
            self.lit(")");
        }
        if self.d.output_clause {
            self.returning("insert", &returning, "INSERTED")?;
        }
        if let Some(rows) = rows {
            self.lit(" VALUES ");
            self.rows(rows)?;
        } else if let Some(query) = query {
            self.lit(" ");
            self.statement(query)?;
        } else {
            self.lit(self.d.default_values);
        }
        if let Some(conflict) = conflict {
            self.conflict(names, conflict)?;
        }
        if !self.d.output_clause {
            self.returning("insert", &returning, "INSERTED")?;
        }
        Ok(())
    }

    fn rows(&mut self, rows: &Node<'_>) -> SqlResult<()> {
        for (i, row) in rows.items().iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.lit("(");
            self.exprs(row.items())?;
            self.lit(")");
        }
        Ok(())
    }

    fn conflict(&mut self, names: &[Node<'_>], conflict: &Node<'_>) -> SqlResult<()> {
        let target = conflict.at(0).items();
        let action = conflict.at(1);
        let sets: Vec<&Node<'_>> = action.at(0).items().iter().collect();
        if self.d.upsert == Upsert::OnConflict {
            self.lit(" ON CONFLICT");
            if !target.is_empty() {
                self.lit(" (");
                self.idents(target)?;
                self.lit(")");
            }
            if action.is_null() {
                self.lit(" DO NOTHING");
                return Ok(());
            }
            self.lit(" DO UPDATE SET ");
            self.sets(&sets)?;
            if !action.at(1).is_null() {
                self.lit(" WHERE ");
                self.expr(action.at(1))?;
            }
            return Ok(());
        }
        self.lit(" ON DUPLICATE KEY UPDATE ");
        if action.is_null() {
            let first = match (target.first(), names.first()) {
                (Some(t), _) => t.str()?,
                (None, Some(n)) => n.str()?,
                (None, None) => {
                    return invalid("on_conflict_do_nothing needs a target or inserted columns")
                }
            };
            self.ident(first);
            self.lit(" = ");
            self.ident(first);
            return Ok(());
        }
        if !action.at(1).is_null() {
            return self.unsupported("ON CONFLICT DO UPDATE ... WHERE");
        }
        self.sets(&sets)
    }

    fn merge(
        &mut self,
        table: &Node<'_>,
        names: &[Node<'_>],
        rows: Option<&Node<'_>>,
        query: Option<&Node<'_>>,
        conflict: &Node<'_>,
        returning: &[&Node<'_>],
    ) -> SqlResult<()> {
        let target = conflict.at(0).items();
        let action = conflict.at(1);
        if target.is_empty() {
            return self.unsupported("upsert without a conflict target");
        }
        if names.is_empty() {
            return invalid("an upsert needs values");
        }
        self.lit("MERGE INTO ");
        self.table(table)?;
        self.lit(" USING (");
        if let Some(rows) = rows {
            self.lit("VALUES ");
            self.rows(rows)?;
        } else if let Some(query) = query {
            self.statement(query)?;
        }
        self.lit(") AS ");
        self.ident("src");
        self.lit(" (");
        self.idents(names)?;
        self.lit(") ON ");
        let table_name = table.at(1).str()?;
        for (i, name) in target.iter().enumerate() {
            if i > 0 {
                self.lit(" AND ");
            }
            let name = name.str()?;
            self.ident(table_name);
            self.lit(".");
            self.ident(name);
            self.lit(" = ");
            self.ident("src");
            self.lit(".");
            self.ident(name);
        }
        if !action.is_null() {
            self.lit(" WHEN MATCHED");
            if !action.at(1).is_null() {
                self.lit(" AND ");
                self.expr(action.at(1))?;
            }
            self.lit(" THEN UPDATE SET ");
            let sets: Vec<&Node<'_>> = action.at(0).items().iter().collect();
            self.sets(&sets)?;
        }
        self.lit(" WHEN NOT MATCHED THEN INSERT (");
        self.idents(names)?;
        self.lit(") VALUES (");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            self.ident("src");
            self.lit(".");
            self.ident(name.str()?);
        }
        self.lit(")");
        self.returning("insert", returning, "INSERTED")?;
        self.lit(";");
        Ok(())
    }

    fn update(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let mut table = &Node::Null;
        let mut sets: Vec<&Node<'_>> = Vec::new();
        let mut wheres: Vec<&Node<'_>> = Vec::new();
        let mut returning: Vec<&Node<'_>> = Vec::new();
        for (step, arg) in steps(n.at(1))? {
            match step {
                "table" => table = arg,
                "set" => sets.extend(arg.items()),
                "where" => wheres.push(arg),
                "returning" => returning.extend(arg.items()),
                other => return invalid(format!("unknown update step '{other}'")),
            }
        }
        if sets.is_empty() {
            return invalid("an UPDATE needs set()");
        }
        self.check_returning("update", &returning)?;
        self.lit("UPDATE ");
        self.table(table)?;
        self.lit(" SET ");
        self.sets(&sets)?;
        if self.d.output_clause {
            self.returning("update", &returning, "INSERTED")?;
        }
        if !wheres.is_empty() {
            self.lit(" WHERE ");
            self.conditions(&wheres)?;
        }
        if !self.d.output_clause {
            self.returning("update", &returning, "INSERTED")?;
        }
        Ok(())
    }

    fn delete(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let mut table = &Node::Null;
        let mut wheres: Vec<&Node<'_>> = Vec::new();
        let mut returning: Vec<&Node<'_>> = Vec::new();
        for (step, arg) in steps(n.at(1))? {
            match step {
                "table" => table = arg,
                "where" => wheres.push(arg),
                "returning" => returning.extend(arg.items()),
                other => return invalid(format!("unknown delete step '{other}'")),
            }
        }
        self.check_returning("delete", &returning)?;
        self.lit("DELETE FROM ");
        self.table(table)?;
        if self.d.output_clause {
            self.returning("delete", &returning, "DELETED")?;
        }
        if !wheres.is_empty() {
            self.lit(" WHERE ");
            self.conditions(&wheres)?;
        }
        if !self.d.output_clause {
            self.returning("delete", &returning, "DELETED")?;
        }
        Ok(())
    }
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
mod tests {
    use super::*;
    use crate::sql::dialect::{MSSQL, MYSQL, POSTGRES, SQLITE};

    fn l<'a>(items: Vec<Node<'a>>) -> Node<'a> {
        Node::List(items)
    }
    fn s(text: &str) -> Node<'_> {
        Node::Str(text)
    }
    fn col<'a>(table: &'a str, name: &'a str) -> Node<'a> {
        l(vec![s("col"), s(table), s(name)])
    }
    fn op<'a>(sym: &'a str, left: Node<'a>, right: Node<'a>) -> Node<'a> {
        l(vec![s("op"), s(sym), left, right])
    }
    fn table(name: &str) -> Node<'_> {
        l(vec![s("table"), s(name), Node::Null, Node::Null])
    }
    /// A select chain from (step, arg) pairs, first step first.
    fn select<'a>(steps: Vec<(&'a str, Node<'a>)>) -> Node<'a> {
        let mut link = Node::Null;
        for (step, arg) in steps {
            link = l(vec![link, s(step), arg]);
        }
        l(vec![s("select"), link])
    }

    fn sql(node: &Node<'_>, d: &'static Dialect) -> (String, Vec<u32>) {
        let c = compile(node, d).expect("compiles");
        (c.sql, c.order)
    }

    fn benchmark_query() -> Node<'static> {
        select(vec![
            ("cols", l(vec![col("u", "name"), col("o", "total")])),
            ("from", l(vec![table("u")])),
            (
                "join",
                l(vec![
                    s("inner"),
                    table("o"),
                    op("=", col("u", "id"), col("o", "uid")),
                ]),
            ),
            (
                "where",
                l(vec![
                    s("and"),
                    l(vec![
                        op(">=", col("u", "age"), Node::Param(0)),
                        op("=", col("o", "s"), Node::Param(1)),
                    ]),
                ]),
            ),
            (
                "order",
                l(vec![l(vec![
                    s("order"),
                    col("o", "total"),
                    Node::Bool(true),
                    Node::Null,
                ])]),
            ),
            ("limit", Node::Param(2)),
        ])
    }

    #[test]
    fn select_in_every_dialect() {
        let q = benchmark_query();
        assert_eq!(
            sql(&q, &POSTGRES).0,
            r#"SELECT "u"."name", "o"."total" FROM "u" JOIN "o" ON "u"."id" = "o"."uid" WHERE "u"."age" >= $1 AND "o"."s" = $2 ORDER BY "o"."total" DESC LIMIT $3"#
        );
        assert_eq!(
            sql(&q, &MYSQL).0,
            "SELECT `u`.`name`, `o`.`total` FROM `u` JOIN `o` ON `u`.`id` = `o`.`uid` WHERE `u`.`age` >= %s AND `o`.`s` = %s ORDER BY `o`.`total` DESC LIMIT %s"
        );
        assert_eq!(sql(&q, &SQLITE).1, vec![0, 1, 2]);
        // SQL Server puts the limit first (TOP), so the bind order changes.
        let (text, order) = sql(&q, &MSSQL);
        assert!(text.starts_with("SELECT TOP (?) [u].[name]"), "{text}");
        assert_eq!(order, vec![2, 0, 1]);
    }

    #[test]
    fn identifiers_escape_their_quote_and_percent() {
        let q = select(vec![("cols", l(vec![col("a\"b", "c`d]%")]))]);
        assert_eq!(sql(&q, &POSTGRES).0, r#"SELECT "a""b"."c`d]%""#);
        assert_eq!(sql(&q, &MYSQL).0, "SELECT `a\"b`.`c``d]%%`");
        assert_eq!(sql(&q, &MSSQL).0, "SELECT [a\"b].[c`d]]%]");
    }

    #[test]
    fn unsupported_constructs_name_the_dialect() {
        let q = select(vec![
            ("cols", l(vec![])),
            ("distinct", l(vec![col("t", "a")])),
        ]);
        assert_eq!(
            compile(&q, &POSTGRES).unwrap().sql,
            r#"SELECT DISTINCT ON ("t"."a") *"#
        );
        assert_eq!(
            compile(&q, &MYSQL),
            Err(SqlError::Unsupported {
                dialect: "mysql",
                feature: "DISTINCT ON".into()
            })
        );
        let lock = select(vec![(
            "lock",
            l(vec![
                s("update"),
                Node::Bool(false),
                Node::Bool(true),
                l(vec![]),
            ]),
        )]);
        assert_eq!(sql(&lock, &POSTGRES).0, "SELECT * FOR UPDATE SKIP LOCKED");
        assert!(matches!(
            compile(&lock, &SQLITE),
            Err(SqlError::Unsupported {
                dialect: "sqlite",
                ..
            })
        ));
        assert!(matches!(
            compile(&lock, &MSSQL),
            Err(SqlError::Unsupported {
                dialect: "mssql",
                ..
            })
        ));
    }

    #[test]
    fn emulations_repeat_params_in_text_order() {
        let item = l(vec![
            s("order"),
            op("+", col("t", "n"), Node::Param(0)),
            Node::Bool(false),
            s("first"),
        ]);
        let q = select(vec![("order", l(vec![item]))]);
        let (text, order) = sql(&q, &MYSQL);
        assert_eq!(
            text,
            "SELECT * ORDER BY (`t`.`n` + %s) IS NOT NULL, `t`.`n` + %s ASC"
        );
        assert_eq!(order, vec![0, 0]);
        assert_eq!(
            sql(&q, &SQLITE).0,
            r#"SELECT * ORDER BY "t"."n" + ? ASC NULLS FIRST"#
        );
    }

    #[test]
    fn malformed_trees_are_errors_not_panics() {
        assert!(matches!(
            compile(&l(vec![s("drop")]), &SQLITE),
            Err(SqlError::Invalid(_))
        ));
        assert!(matches!(
            compile(&Node::Int(3), &SQLITE),
            Err(SqlError::Invalid(_))
        ));
        let bad_step = select(vec![("explode", Node::Null)]);
        assert!(matches!(
            compile(&bad_step, &SQLITE),
            Err(SqlError::Invalid(_))
        ));
        let bad_col = select(vec![(
            "cols",
            l(vec![l(vec![s("col"), Node::Null, Node::Int(1)])]),
        )]);
        assert!(matches!(
            compile(&bad_col, &SQLITE),
            Err(SqlError::Invalid(_))
        ));
    }

    #[test]
    fn cast_types_map_per_dialect() {
        let q = select(vec![(
            "cols",
            l(vec![l(vec![s("cast"), Node::Param(0), s("varchar(10)")])]),
        )]);
        assert_eq!(sql(&q, &POSTGRES).0, "SELECT CAST($1 AS VARCHAR(10))");
        assert_eq!(sql(&q, &MYSQL).0, "SELECT CAST(%s AS CHAR(10))");
        assert_eq!(sql(&q, &MSSQL).0, "SELECT CAST(? AS NVARCHAR(10))");
    }

    fn insert_upsert() -> Node<'static> {
        let into = l(vec![Node::Null, s("into"), table("t")]);
        let values = l(vec![
            into,
            s("values"),
            l(vec![
                l(vec![s("id"), s("n")]),
                l(vec![l(vec![Node::Param(0), Node::Param(1)])]),
            ]),
        ]);
        let action = l(vec![
            l(vec![l(vec![s("n"), l(vec![s("excluded"), s("n")])])]),
            Node::Null,
        ]);
        let conflict = l(vec![
            values,
            s("conflict"),
            l(vec![l(vec![s("id")]), action]),
        ]);
        let returning = l(vec![conflict, s("returning"), l(vec![col("t", "id")])]);
        l(vec![s("insert"), returning])
    }

    #[test]
    fn upserts_per_dialect() {
        let q = insert_upsert();
        assert_eq!(
            sql(&q, &POSTGRES).0,
            r#"INSERT INTO "t" ("id", "n") VALUES ($1, $2) ON CONFLICT ("id") DO UPDATE SET "n" = EXCLUDED."n" RETURNING "t"."id""#
        );
        assert_eq!(
            sql(&q, &MYSQL).0,
            "INSERT INTO `t` (`id`, `n`) VALUES (%s, %s) ON DUPLICATE KEY UPDATE `n` = VALUES(`n`) RETURNING `t`.`id`"
        );
        assert_eq!(
            sql(&q, &MSSQL).0,
            "MERGE INTO [t] USING (VALUES (?, ?)) AS [src] ([id], [n]) ON [t].[id] = [src].[id] WHEN MATCHED THEN UPDATE SET [n] = [src].[n] WHEN NOT MATCHED THEN INSERT ([id], [n]) VALUES ([src].[id], [src].[n]) OUTPUT INSERTED.[id];"
        );
    }

    #[test]
    fn compound_order_by_is_unqualified_and_fetch_on_mssql() {
        let member = select(vec![
            ("cols", l(vec![col("t", "a")])),
            ("from", l(vec![table("t")])),
        ]);
        let parts = l(vec![
            Node::Null,
            s("parts"),
            l(vec![s("union_all"), l(vec![member.clone(), member])]),
        ]);
        let ordered = l(vec![parts, s("order"), l(vec![col("t", "a")])]);
        let limited = l(vec![ordered, s("limit"), Node::Param(0)]);
        let q = l(vec![s("compound"), limited]);
        assert_eq!(
            sql(&q, &SQLITE).0,
            r#"SELECT "t"."a" FROM "t" UNION ALL SELECT "t"."a" FROM "t" ORDER BY "a" LIMIT ?"#
        );
        assert_eq!(
            sql(&q, &MSSQL).0,
            "SELECT [t].[a] FROM [t] UNION ALL SELECT [t].[a] FROM [t] ORDER BY [a] OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY"
        );
    }

    #[test]
    fn raw_text_doubles_percent_for_format_style() {
        let q = l(vec![
            s("raw"),
            l(vec![s("SELECT 'a%' LIKE "), s("")]),
            l(vec![Node::Param(0)]),
        ]);
        assert_eq!(sql(&q, &MYSQL).0, "SELECT 'a%%' LIKE %s");
        assert_eq!(sql(&q, &POSTGRES).0, "SELECT 'a%' LIKE $1");
    }
}
