//! Expressions, conditions, functions, ordering and column lists.

use super::super::dialect::{NullsOrder, Regex, Upsert};
use super::super::node::Node;
use super::super::SqlResult;
use super::*;

impl Compiler {
    pub(super) fn operand(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if wraps(n.tag()) {
            self.lit("(");
            self.expr(n)?;
            self.lit(")");
            Ok(())
        } else {
            self.expr(n)
        }
    }

    pub(super) fn expr(&mut self, n: &Node<'_>) -> SqlResult<()> {
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
            "regex" => self.regex(n)?,
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

    pub(super) fn junction<'x, 'a: 'x>(
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

    pub(super) fn in_(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn like(&mut self, n: &Node<'_>) -> SqlResult<()> {
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
        if let Some(collation) = self.d.exact_collation.filter(|_| !(ci && self.d.ilike)) {
            self.lit(" COLLATE ");
            self.lit(collation);
        }
        let escape = n.at(5);
        if !escape.is_null() {
            self.lit(" ESCAPE ");
            self.expr(escape)?;
        }
        Ok(())
    }

    pub(super) fn regex(&mut self, n: &Node<'_>) -> SqlResult<()> {
        let (x, pattern, ci, negated) = (n.at(1), n.at(2), n.at(3).truthy(), n.at(4).truthy());
        match self.d.regex {
            Regex::Operator => {
                self.operand(x)?;
                self.lit(match (negated, ci) {
                    (false, false) => " ~ ",
                    (false, true) => " ~* ",
                    (true, false) => " !~ ",
                    (true, true) => " !~* ",
                });
                self.operand(pattern)?;
            }
            Regex::Collate => {
                let collation = if ci {
                    self.d.caseless_collation
                } else {
                    self.d.exact_collation
                };
                self.operand(x)?;
                self.lit(if negated { " NOT REGEXP " } else { " REGEXP " });
                self.operand(pattern)?;
                self.lit(" COLLATE ");
                self.lit(collation.unwrap_or("None"));
            }
            Regex::Function if ci => {
                self.lit(if negated { "NOT regexp(" } else { "regexp(" });
                self.expr(pattern)?;
                self.lit(", ");
                self.expr(x)?;
                self.lit(", 'i')");
            }
            Regex::Function => {
                self.operand(x)?;
                self.lit(if negated { " NOT REGEXP " } else { " REGEXP " });
                self.operand(pattern)?;
            }
            Regex::None => return self.unsupported("regular expression match"),
        }
        Ok(())
    }

    pub(super) fn func(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn over(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn cast_type(&self, ty: &str) -> String {
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

    pub(super) fn raw(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn excluded(&mut self, name: &str) {
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

    pub(super) fn order_item(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn order_items<'x, 'a: 'x>(
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

    pub(super) fn columns<'x, 'a: 'x>(
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

    pub(super) fn conditions(&mut self, conds: &[&Node<'_>]) -> SqlResult<()> {
        let Conj(items) = conjuncts(conds);
        if items.len() == 1 {
            self.expr(items[0])
        } else {
            self.junction(items.into_iter(), " AND ")
        }
    }

    // --- statements ----------------------------------------------------------------------------
}
