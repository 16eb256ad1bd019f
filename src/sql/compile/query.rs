//! SELECT, compound queries, CTEs, sources, limits and locking.

use super::super::dialect::Locking;
use super::super::node::Node;
use super::super::SqlResult;
use super::*;

impl Compiler {
    pub(super) fn statement(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn with_clause(&mut self, ctes: &[&Node<'_>]) -> SqlResult<()> {
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
            if cte.at(4).truthy() {
                self.defining.push(cte.at(1).str()?.to_owned());
                self.statement(cte.at(3))?;
                self.defining.pop();
            } else {
                self.statement(cte.at(3))?;
            }
            self.lit(")");
        }
        self.lit(" ");
        Ok(())
    }

    /// The CTEs to write in a WITH here: not those whose body is being written.
    fn own_ctes<'n, 'a>(&self, ctes: &[&'n Node<'a>]) -> Vec<&'n Node<'a>> {
        ctes.iter()
            .copied()
            .filter(|c| match c.at(1) {
                Node::Str(name) => !self.defining.iter().any(|d| d == name),
                _ => true,
            })
            .collect()
    }

    pub(super) fn source(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn table(&mut self, n: &Node<'_>) -> SqlResult<()> {
        if !n.at(2).is_null() {
            self.ident(n.at(2).str()?);
            self.lit(".");
        }
        self.ident(n.at(1).str()?);
        Ok(())
    }

    pub(super) fn select(&mut self, s: &Select<'_, '_>, with_ctes: bool) -> SqlResult<()> {
        let d = self.d;
        if with_ctes && !s.ctes.is_empty() {
            let ctes = self.own_ctes(&s.ctes);
            if !ctes.is_empty() {
                self.with_clause(&ctes)?;
            }
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

    pub(super) fn limit_offset(
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

    pub(super) fn lock(&mut self, lock: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn compound(&mut self, n: &Node<'_>, with_ctes: bool) -> SqlResult<()> {
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
            let ctes = self.own_ctes(&ctes);
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

    pub(super) fn member(&mut self, m: &Node<'_>) -> SqlResult<()> {
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
}
