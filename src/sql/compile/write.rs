//! INSERT (with upserts and MERGE), UPDATE, DELETE and RETURNING.

use super::super::dialect::Upsert;
use super::super::node::Node;
use super::super::SqlResult;
use super::*;

impl Compiler {
    /// RETURNING at the end; SQL Server's OUTPUT goes wherever the caller calls this.
    pub(super) fn returning(
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

    pub(super) fn sets(&mut self, sets: &[&Node<'_>]) -> SqlResult<()> {
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

    pub(super) fn check_returning(&self, kind: &str, returning: &[&Node<'_>]) -> SqlResult<()> {
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

    pub(super) fn insert(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn rows(&mut self, rows: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn conflict(&mut self, names: &[Node<'_>], conflict: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn merge(
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

    pub(super) fn update(&mut self, n: &Node<'_>) -> SqlResult<()> {
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

    pub(super) fn delete(&mut self, n: &Node<'_>) -> SqlResult<()> {
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
