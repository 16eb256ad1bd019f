//! `SQLiteStatements`: ferrule's statement cache and runner on one `sqlite3.Connection`.

use std::collections::HashMap;
use std::ffi::CString;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

use super::api::{self, Api, Db};
use super::errors;
use super::statement::{Statement, Unsupported};
use crate::cpython::gc::GcPause;
use crate::rows::instances::Loader;

/// Rows read between two looks at the clock.
const CHUNK: usize = 512;
/// `SQLITE_TOOBIG`, the one refusal a bind of a checked value can meet.
const TOO_BIG: std::os::raw::c_int = 18;

/// The connection's handle as last seen; a new handle (never expected) empties the cache.
struct Handle(*mut Db);
// SAFETY: only compared and passed to SQLite, which allows handles to move between threads.
unsafe impl Send for Handle {}
// SAFETY: as above; the class's borrow flag keeps calls from overlapping.
unsafe impl Sync for Handle {}

#[pyclass(module = "ferrule._ferrule", name = "SQLiteStatements")]
pub(crate) struct SqliteStatements {
    api: &'static Api,
    connection: Py<PyAny>,
    converters: Py<PyDict>,
    handle: Handle,
    cache: HashMap<String, Statement, ahash::RandomState>,
    capacity: usize,
    hits: u64,
    misses: u64,
    /// `cursor.description` of the last `fetch`.
    last_description: Option<Py<PyTuple>>,
}

/// What `fetch` gives back when its time ran out: the rows so far and the rest to read.
#[pyclass(module = "ferrule._ferrule", name = "SQLitePendingRows")]
pub(crate) struct PendingRows {
    api: &'static Api,
    statement: Option<Statement>,
    converters: Py<PyDict>,
    sink: Sink,
}

impl SqliteStatements {
    /// The live handle, or `None` when the connection is closed (the module then answers).
    fn db(&mut self, py: Python<'_>) -> Option<*mut Db> {
        // SAFETY: `connection` is a live `sqlite3.Connection` (checked at construction).
        let db = unsafe { crate::cpython::sqlite::connection_db(self.connection.as_ptr()) }?;
        if db != self.handle.0 {
            self.cache.clear();
            self.handle = Handle(db);
        }
        let _ = py;
        Some(db)
    }

    fn take(&mut self, db: *mut Db, sql: &str) -> Result<Statement, Unsupported> {
        if let Some(found) = self.cache.remove(sql) {
            self.hits += 1;
            return Ok(found);
        }
        self.misses += 1;
        Statement::prepare(self.api, db, sql)
    }

    fn give_back(&mut self, sql: &str, statement: Statement) {
        statement.reset();
        if self.cache.len() >= self.capacity {
            self.cache.clear(); // rare: more distinct statements in use than the capacity
        }
        if self.capacity > 0 {
            self.cache.insert(sql.to_owned(), statement);
        }
    }
}

/// How far one read goes: at most `limit` rows, until `budget` is spent (looked at every
/// `CHUNK` rows), with the GIL released around each step when `detached` (a worker thread).
struct Reach {
    budget: Option<Duration>,
    limit: usize,
    detached: bool,
}

/// What each row becomes: a tuple as the module makes it, or an instance of a model.
enum Sink {
    Tuples,
    Instances(std::sync::Arc<Loader>),
}

impl Sink {
    fn from_plan(plan: Option<&Bound<'_, PyTuple>>) -> PyResult<Self> {
        let Some(plan) = plan else {
            return Ok(Sink::Tuples);
        };
        // (model, names, positions, converters[, the class a converter's error is wrapped in])
        let marker = match plan.len() {
            4 => None,
            5 => Some(plan.get_item(4)?),
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "an instance plan has 4 or 5 parts, not {other}"
                )))
            }
        };
        let (cls, names, positions, converters): (
            Bound<'_, PyType>,
            Bound<'_, PyTuple>,
            Bound<'_, PyTuple>,
            Bound<'_, PyTuple>,
        ) = (
            plan.get_item(0)?.extract()?,
            plan.get_item(1)?.extract()?,
            plan.get_item(2)?.extract()?,
            plan.get_item(3)?.extract()?,
        );
        Ok(Sink::Instances(Loader::shared(
            &cls,
            &names,
            &positions,
            &converters,
            marker.as_ref(),
        )?))
    }

    fn take<'py>(&self, py: Python<'py>, statement: &Statement) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Sink::Tuples => Ok(statement.row(py)?.into_any()),
            Sink::Instances(loader) => {
                loader.build(py, |position| statement.column_value(py, position))
            }
        }
    }
}

/// Read rows into `rows` until the statement is done (`true`) or `reach` stops it (`false`).
fn read_rows<'py>(
    py: Python<'py>,
    api: &Api,
    statement: &mut Statement,
    converters: &Bound<'py, PyDict>,
    rows: &Bound<'py, PyList>,
    sink: &Sink,
    reach: &Reach,
) -> PyResult<bool> {
    if reach.limit == 0 {
        return Ok(true);
    }
    // Not in a worker: the loop thread runs meanwhile, and the collector is process-wide.
    let _paused = (!reach.detached && matches!(sink, Sink::Instances(_))).then(GcPause::new);
    let started = Instant::now();
    let mut first = true;
    loop {
        let rc = if reach.detached {
            statement.step_detached(py)
        } else {
            statement.step()
        };
        if first && (rc == api::ROW || rc == api::DONE) {
            statement.refresh_converters(py, converters)?; // as the module, after a first step
            first = false;
        }
        match rc {
            api::ROW => {
                statement.load_row();
                rows.append(sink.take(py, statement)?)?;
                if rows.len() >= reach.limit {
                    return Ok(true);
                }
                if let Some(budget) = reach.budget {
                    if rows.len() % CHUNK == 0 && started.elapsed() > budget {
                        return Ok(false);
                    }
                }
            }
            api::DONE => return Ok(true),
            rc => {
                // SAFETY: a live statement's connection.
                let db = unsafe { (api.db_handle)(statement_raw(statement)) };
                return Err(errors::from_step(py, api, db, rc));
            }
        }
    }
}

fn statement_raw(statement: &Statement) -> *mut std::os::raw::c_void {
    statement.raw_handle()
}

/// What a statement without result columns did: `(rowcount, last insert rowid, version)`.
type Ran = (i64, i64, (u64, c_int));

impl SqliteStatements {
    /// Step `sql` (no result columns) once with `params`: `(rowcount, last insert rowid)`
    /// (rowcount -1 for a statement that is not an INSERT/UPDATE/DELETE/REPLACE), or `None`
    /// when the module must run it (nothing ran).
    fn run_without_rows(
        &mut self,
        py: Python<'_>,
        sql: &Bound<'_, PyString>,
        params: &Bound<'_, PyAny>,
    ) -> PyResult<Option<Ran>> {
        let text = sql.to_str()?;
        let Some(db) = self.db(py) else {
            return Ok(None);
        };
        let Ok(mut statement) = self.take(db, text) else {
            return Ok(None);
        };
        if statement.column_count() != 0 || statement.bind(params).is_err() {
            self.give_back(text, statement);
            return Ok(None);
        }
        let rc = statement.step();
        if rc != api::DONE {
            let err = if rc == api::ROW {
                pyo3::exceptions::PyRuntimeError::new_err("a statement with no columns gave a row")
            } else {
                errors::from_step(py, self.api, db, rc)
            };
            self.give_back(text, statement);
            return Err(err);
        }
        let count = if statement.is_dml {
            statement.changes()
        } else {
            -1
        };
        // SAFETY: the live handle, read on the thread that holds the GIL: no other statement
        // of this connection runs in between (the module's calls need the GIL too).
        let rowid = unsafe { (self.api.last_insert_rowid)(db) };
        let version = statement.version();
        self.give_back(text, statement);
        Ok(Some((count, rowid, version)))
    }
}

#[pymethods]
impl SqliteStatements {
    /// A runner for `connection` (a `sqlite3.Connection` of `module`, whose `__file__` is the
    /// extension to take SQLite's functions from). `None` where that is not possible.
    #[staticmethod]
    #[pyo3(signature = (module, connection, capacity, error_names=None))]
    fn attach(
        module: &Bound<'_, PyAny>,
        connection: &Bound<'_, PyAny>,
        capacity: usize,
        error_names: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Option<Self>> {
        let py = module.py();
        if !crate::cpython::enabled() {
            return Ok(None);
        }
        let class = module.getattr("Connection")?;
        if !connection.get_type().is(&class) {
            return Ok(None); // a subclass could have been built differently: not trusted
        }
        let Ok(file) = module.getattr("__file__")?.extract::<String>() else {
            return Ok(None);
        };
        let version: String = module.getattr("sqlite_version")?.extract()?;
        let mut parts = version
            .split('.')
            .map(|part| part.parse::<c_int>().unwrap_or(-1));
        let mut next = || parts.next().unwrap_or(0);
        let (major, minor, patch) = (next(), next(), next());
        let path = CString::new(file).map_err(|_| PyValueError::new_err("NUL in a path"))?;
        let Some(api) = api::load(&path, major * 1_000_000 + minor * 1_000 + patch) else {
            return Ok(None);
        };
        errors::remember(module, error_names)?;
        let converters = module
            .getattr("converters")?
            .downcast_into::<PyDict>()?
            .unbind();
        let mut runner = SqliteStatements {
            api,
            connection: connection.clone().unbind(),
            converters,
            handle: Handle(std::ptr::null_mut()),
            cache: HashMap::default(),
            capacity,
            hits: 0,
            misses: 0,
            last_description: None,
        };
        if runner.db(py).is_none() {
            return Ok(None);
        }
        Ok(Some(runner))
    }

    /// All rows of `sql` run with `params`, as a list of tuples; or `(rows so far,
    /// SQLitePendingRows)` once `budget` seconds are spent; or `NotImplemented` when this
    /// statement or its parameters are ones the `sqlite3` module must run (nothing ran).
    /// `limit` stops after that many rows (the rest is never computed, as with `fetchone`).
    /// With `plan` = `(model class, field names, positions, converters)`, each row becomes an
    /// instance as `model_rows` would make it, with no tuple in between.
    #[pyo3(signature = (sql, params, budget=None, limit=None, plan=None))]
    fn fetch<'py>(
        &mut self,
        py: Python<'py>,
        sql: &Bound<'py, PyString>,
        params: &Bound<'py, PyAny>,
        budget: Option<f64>,
        limit: Option<usize>,
        plan: Option<&Bound<'py, PyTuple>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, || {
            let sink = Sink::from_plan(plan)?;
            let text = sql.to_str()?;
            let Some(db) = self.db(py) else {
                return Ok(py.NotImplemented().into_bound(py));
            };
            let Ok(mut statement) = self.take(db, text) else {
                return Ok(py.NotImplemented().into_bound(py));
            };
            if statement.bind(params).is_err() {
                self.give_back(text, statement);
                return Ok(py.NotImplemented().into_bound(py));
            }
            let budget = budget.map(|seconds| Duration::from_secs_f64(seconds.clamp(0.0, 1e6)));
            let converters = self.converters.bind(py).clone();
            let rows = PyList::empty(py);
            let reach = Reach {
                budget,
                limit: limit.unwrap_or(usize::MAX),
                detached: false,
            };
            let read = read_rows(
                py,
                self.api,
                &mut statement,
                &converters,
                &rows,
                &sink,
                &reach,
            );
            self.last_description = statement.description(py);
            match read {
                Ok(true) => {
                    self.give_back(text, statement);
                    Ok(rows.into_any())
                }
                Ok(false) => {
                    let pending = PendingRows {
                        api: self.api,
                        statement: Some(statement),
                        converters: self.converters.clone_ref(py),
                        sink,
                    };
                    let pending = Bound::new(py, pending)?.into_any();
                    Ok(PyTuple::new(py, [rows.into_any(), pending])?.into_any())
                }
                Err(err) => {
                    self.give_back(text, statement);
                    Err(err)
                }
            }
        })
    }

    /// Run `sql` (a statement that returns no rows) and give its `rowcount` as the module
    /// would: the changes of an INSERT/UPDATE/DELETE/REPLACE, -1 otherwise. `NotImplemented`
    /// as for `fetch`.
    fn execute<'py>(
        &mut self,
        py: Python<'py>,
        sql: &Bound<'py, PyString>,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, || match self.run_without_rows(py, sql, params)? {
            Some((count, _, _)) => Ok(count.into_pyobject(py)?.into_any()),
            None => Ok(py.NotImplemented().into_bound(py)),
        })
    }

    /// Run `sql`, an INSERT without result columns, and give `(rowcount, rowid, version)`:
    /// the rows it inserted, `sqlite3_last_insert_rowid` read right after it, before anything
    /// else can run on the connection (what the module's `cursor.lastrowid` reads; the rowid
    /// of the row inserted when it inserted one row), and the compiled statement's
    /// `(serial, recompilations)`, which changes whenever the schema it ran against may have.
    /// Cheaper than `RETURNING`, which makes SQLite collect the returned rows in a temporary
    /// table first. `NotImplemented` as for `fetch`.
    fn insert<'py>(
        &mut self,
        py: Python<'py>,
        sql: &Bound<'py, PyString>,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, || match self.run_without_rows(py, sql, params)? {
            Some((count, rowid, version)) => {
                Ok((count, rowid, version).into_pyobject(py)?.into_any())
            }
            None => Ok(py.NotImplemented().into_bound(py)),
        })
    }

    /// `cursor.description` of the last `fetch` (`None` for a statement without columns).
    #[getter]
    fn last_description(&self, py: Python<'_>) -> Option<Py<PyTuple>> {
        self.last_description
            .as_ref()
            .map(|found| found.clone_ref(py))
    }

    /// Run `sql` (no result columns) once per parameter row of `rows` (an exact list or
    /// tuple), as the module's `executemany`: in order, stopping at the first error. Every row
    /// is checked before the first runs, so `NotImplemented` means nothing ran.
    fn execute_many<'py>(
        &mut self,
        py: Python<'py>,
        sql: &Bound<'py, PyString>,
        rows: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, || {
            let text = sql.to_str()?;
            let not_mine = || Ok(py.NotImplemented().into_bound(py));
            let rows: Vec<Bound<'py, PyAny>> = if let Ok(list) = rows.downcast_exact::<PyList>() {
                list.iter().collect()
            } else if let Ok(tuple) = rows.downcast_exact::<PyTuple>() {
                tuple.iter().collect()
            } else {
                return not_mine();
            };
            let Some(db) = self.db(py) else {
                return not_mine();
            };
            let Ok(mut statement) = self.take(db, text) else {
                return not_mine();
            };
            if statement.column_count() != 0 || rows.iter().any(|row| statement.check(row).is_err())
            {
                self.give_back(text, statement);
                return not_mine();
            }
            for row in &rows {
                if statement.bind(row).is_err() {
                    let err = if statement.check(row).is_ok() {
                        errors::from_step(py, self.api, db, TOO_BIG) // SQLite refused a value's size
                    } else {
                        // a row changed since it was checked: it cannot run as it was checked
                        pyo3::exceptions::PyTypeError::new_err(
                            "executemany(): a parameter row changed while the rows were run",
                        )
                    };
                    self.give_back(text, statement);
                    return Err(err);
                }
                let rc = statement.step();
                if rc != api::DONE {
                    let err = errors::from_step(py, self.api, db, rc);
                    self.give_back(text, statement);
                    return Err(err);
                }
                statement.reset();
            }
            self.give_back(text, statement);
            Ok(py.None().into_bound(py))
        })
    }

    /// Whether SQLite is outside a transaction on this connection (for the probe).
    fn autocommit(&mut self, py: Python<'_>) -> Option<bool> {
        let db = self.db(py)?;
        // SAFETY: the live handle.
        Some(unsafe { (self.api.get_autocommit)(db) } != 0)
    }

    /// Finalize every cached statement (before the connection closes).
    fn clear(&mut self) {
        self.cache.clear();
    }

    /// `{"size", "hits", "misses", "capacity"}` of the statement cache.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let stats = PyDict::new(py);
        stats.set_item("capacity", self.capacity)?;
        stats.set_item("size", self.cache.len())?;
        stats.set_item("hits", self.hits)?;
        stats.set_item("misses", self.misses)?;
        Ok(stats)
    }
}

#[pymethods]
impl PendingRows {
    /// Let go of the statement (reset and finalized) without reading on: after a cancelled
    /// read, so that no statement of the connection stays active (SQLite keeps interrupting
    /// new statements until none is).
    fn close(&mut self) {
        self.statement = None;
    }

    /// The remaining rows, read with the GIL released around each step (for a worker thread).
    fn fetch_rest<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        crate::errors::guard(py, || {
            let Some(mut statement) = self.statement.take() else {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "these rows were read already",
                ));
            };
            let converters = self.converters.bind(py).clone();
            let rows = PyList::empty(py);
            let reach = Reach {
                budget: None,
                limit: usize::MAX,
                detached: true,
            };
            read_rows(
                py,
                self.api,
                &mut statement,
                &converters,
                &rows,
                &self.sink,
                &reach,
            )?;
            Ok(rows)
        })
    }
}
