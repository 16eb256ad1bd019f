//! `ferrule.crypto.hash`'s view of the Python module's constructor table (the dict is the one
//! source of truth): the constructor for a name, and what is known of each constructor so
//! that it is called as the interpreter's specialised calls call it.
//!
//! - A name's constructor is remembered with the dict's version tag (`cpython::dict_version`)
//!   and used while the tag is unchanged, i.e. while the dict is; without the tag (fast paths
//!   off, an unknown CPython) every call looks the name up.
//! - A builtin constructor is called through its C entry (`Direct`); the `digest` method of
//!   the hashers it makes, through its C entry too, once read from a bound method of an
//!   immutable type (nothing can replace a method there), and only for hashers of that type.
//!
//! Nothing here runs user code while the table is borrowed: only pointer comparisons, clones
//! and pushes; references let go of are dropped after the borrow ends.

use std::cell::{Cell, RefCell};
use std::ptr::null_mut;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::{GILOnceCell, GILProtected};
use pyo3::types::{PyDict, PyString};

use super::direct_call::Direct;
use crate::cpython::dict::dict_version;

/// A method's C entry, called with its receiver and no arguments.
#[derive(Clone, Copy)]
pub(crate) enum Method {
    NoArgs(ffi::PyCFunction),
    Fast(ffi::PyCFunctionFast),
    FastKeywords(ffi::PyCFunctionFastWithKeywords),
}

impl Method {
    /// `receiver.<method>()`: a new reference, or NULL with the error set.
    ///
    /// # Safety
    /// `receiver` is a live object of the type the entry was read from.
    #[inline]
    pub(crate) unsafe fn call(self, receiver: *mut ffi::PyObject) -> *mut ffi::PyObject {
        let mut none = [null_mut()];
        match self {
            Method::NoArgs(entry) => entry(receiver, null_mut()),
            Method::Fast(entry) => entry(receiver, none.as_mut_ptr(), 0),
            Method::FastKeywords(entry) => entry(receiver, none.as_ptr(), 0, null_mut()),
        }
    }
}

/// What is known of one constructor.
#[derive(Clone, Copy, Default)]
pub(crate) struct Known {
    /// its C entry, when it is a builtin function
    pub(crate) call: Option<Direct>,
    /// the type of the hashers it made, and the C entry of that type's `digest`
    pub(crate) digest: Option<Digest>,
}

/// The C entry of `digest` on one type of hasher.
#[derive(Clone, Copy)]
pub(crate) struct Digest {
    kind: *mut ffi::PyTypeObject,
    method: Method,
    /// for a type whose attributes can change: the method descriptor the entry was read
    /// from, which the type must still have (NULL: an immutable type)
    descriptor: *mut ffi::PyObject,
}

impl Digest {
    /// `hasher.digest()` by the C entry, when `hasher` is of this type and the type still has
    /// this method; `None`: call it as usual.
    ///
    /// # Safety
    /// `hasher` is a live object; `name` the interned `digest`.
    #[inline]
    pub(crate) unsafe fn call(
        &self,
        hasher: *mut ffi::PyObject,
        name: *mut ffi::PyObject,
    ) -> Option<*mut ffi::PyObject> {
        if ffi::Py_TYPE(hasher) != self.kind {
            return None;
        }
        if !self.descriptor.is_null() {
            let lookup = type_lookup()?;
            if lookup(self.kind, name) != self.descriptor {
                return None;
            }
        }
        Some(self.method.call(hasher))
    }
}

type TypeLookup =
    unsafe extern "C" fn(*mut ffi::PyTypeObject, *mut ffi::PyObject) -> *mut ffi::PyObject;

/// CPython's `_PyType_Lookup` (3.10-3.13 export it; it is not in the limited API): the
/// attribute `name` found on a type or its bases through the interpreter's method cache,
/// borrowed, or NULL (no error set). Found at run time, so that an interpreter without it
/// still imports the extension (and leaves such types to the usual call); only with the fast
/// paths on.
fn type_lookup() -> Option<TypeLookup> {
    static FOUND: std::sync::OnceLock<Option<TypeLookup>> = std::sync::OnceLock::new();
    *FOUND.get_or_init(|| {
        if !crate::cpython::enabled() {
            return None;
        }
        // SAFETY: a NUL-terminated name; the symbol, when present, has this signature
        unsafe {
            let found = libc::dlsym(libc::RTLD_DEFAULT, c"_PyType_Lookup".as_ptr());
            (!found.is_null()).then(|| std::mem::transmute::<*mut libc::c_void, TypeLookup>(found))
        }
    })
}

/// One constructor, held for ever (the pointers in `known` stay valid).
struct Row {
    constructor: Py<PyAny>,
    /// the hashers' type and its `digest` descriptor, held for `known.digest`
    held: Option<(Py<PyAny>, Option<Py<PyAny>>)>,
    known: Known,
}

/// One name's constructor while the dict's version tag is `Table::version`.
struct Name {
    name: Py<PyAny>,
    constructor: Py<PyAny>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    dict: usize,
    version: u64,
    names: Vec<Name>,
}

// SAFETY: only used with the GIL held (`GILProtected`); the raw pointers in `Known` are kept
// valid by the references held beside them.
unsafe impl Send for Table {}

/// At most this many constructors and names are remembered (the table has five names).
const MOST: usize = 8;

static TABLE: GILProtected<RefCell<Option<Table>>> = GILProtected::new(RefCell::new(None));

/// The last name found with a known constructor, copied out for `hash`'s fast path (no borrow,
/// no search, no reference taken): valid while the dict's version tag is `version`.
#[derive(Clone, Copy)]
pub(crate) struct Hit {
    dict: usize,
    version: u64,
    /// only compared: while the version is unchanged, `Table::names` holds this str
    algo: *mut ffi::PyObject,
    /// held for ever by `Table::rows`
    pub(crate) constructor: *mut ffi::PyObject,
    pub(crate) known: Known,
}

// SAFETY: only used with the GIL held (`GILProtected`); the pointers are kept valid by the
// table's references, and followed only while the version tag says they are still its.
unsafe impl Send for Hit {}

static LAST: GILProtected<Cell<Option<Hit>>> = GILProtected::new(Cell::new(None));

/// The last hit, when it is `algo`'s in the current version of `constructors` (the dict
/// `constructor` was given): its constructor and what is known of it, with no reference taken
/// (the table holds the constructor for ever).
///
/// # Safety
/// `algo` a live object; `constructors` the dict the table's names were found in.
#[inline(always)]
pub(crate) unsafe fn last_hit(
    py: Python<'_>,
    constructors: &Bound<'_, PyDict>,
    algo: *mut ffi::PyObject,
) -> Option<Hit> {
    let hit = LAST.get(py).get()?;
    (hit.algo == algo
        && hit.dict == constructors.as_ptr() as usize
        && dict_version(constructors) == Some(hit.version))
    .then_some(hit)
}

/// `constructors[algo]` (a new reference) and what is known of it; `None` when there is no
/// such name.
///
/// # Safety
/// `algo` is a live exact `str`; `constructors` a dict whose keys are exact `str`.
pub(crate) unsafe fn constructor<'py>(
    py: Python<'py>,
    constructors: &Bound<'py, PyDict>,
    algo: *mut ffi::PyObject,
) -> PyResult<Option<(Bound<'py, PyAny>, Known)>> {
    let version = dict_version(constructors);
    let dict = constructors.as_ptr() as usize;
    if let Some(version) = version {
        let table = TABLE.get(py).borrow();
        if let Some(table) = table.as_ref() {
            if table.dict == dict && table.version == version {
                if let Some(found) = table.names.iter().find(|n| n.name.as_ptr() == algo) {
                    let constructor = found.constructor.bind(py).clone();
                    let known = table.known(found.constructor.as_ptr());
                    table.note_hit(py, algo, found.constructor.as_ptr());
                    return Ok(Some((constructor, known)));
                }
            }
        }
    }
    // an exact str key in a dict of exact str keys: no user code runs in the lookup
    let found = ffi::PyDict_GetItemWithError(constructors.as_ptr(), algo);
    if found.is_null() {
        return match PyErr::take(py) {
            None => Ok(None),
            Some(err) => Err(err),
        };
    }
    let constructor = Bound::from_borrowed_ptr(py, found);
    let forgotten;
    let known;
    {
        let mut held = TABLE.get(py).borrow_mut();
        let table = held.get_or_insert_with(Table::default);
        forgotten = match version {
            Some(version) => table.remember(py, dict, version, algo, &constructor),
            None => Vec::new(),
        };
        known = table.learn(&constructor);
    }
    drop(forgotten);
    Ok(Some((constructor, known)))
}

impl Table {
    /// Remember `algo` -> `constructor` as the last hit, when the constructor is held for ever
    /// (one of `rows`) and `hash`'s fast path can make the whole call from what is known.
    fn note_hit(&self, py: Python<'_>, algo: *mut ffi::PyObject, constructor: *mut ffi::PyObject) {
        let Some(row) = self
            .rows
            .iter()
            .find(|r| r.constructor.as_ptr() == constructor)
        else {
            return;
        };
        if row.known.digest.is_some() {
            LAST.get(py).set(Some(Hit {
                dict: self.dict,
                version: self.version,
                algo,
                constructor,
                known: row.known,
            }));
        }
    }

    fn known(&self, constructor: *mut ffi::PyObject) -> Known {
        self.rows
            .iter()
            .find(|row| row.constructor.as_ptr() == constructor)
            .map_or_else(Known::default, |row| row.known)
    }

    /// Remember `algo`'s constructor for this version of the dict; the names remembered for
    /// another version are handed back, to be dropped once the table is no longer borrowed.
    unsafe fn remember(
        &mut self,
        py: Python<'_>,
        dict: usize,
        version: u64,
        algo: *mut ffi::PyObject,
        constructor: &Bound<'_, PyAny>,
    ) -> Vec<Name> {
        let mut forgotten = Vec::new();
        if self.dict != dict || self.version != version {
            forgotten = std::mem::take(&mut self.names);
            self.dict = dict;
            self.version = version;
        }
        if self.names.len() < MOST {
            self.names.push(Name {
                name: Bound::from_borrowed_ptr(py, algo).unbind(),
                constructor: constructor.clone().unbind(),
            });
        }
        forgotten
    }

    /// What is known of `constructor`, reading its C entry on first sight.
    unsafe fn learn(&mut self, constructor: &Bound<'_, PyAny>) -> Known {
        if let Some(row) = self.rows.iter().find(|r| r.constructor.is(constructor)) {
            return row.known;
        }
        let known = Known {
            call: Direct::of(constructor.as_ptr()),
            digest: None,
        };
        if self.rows.len() < MOST {
            self.rows.push(Row {
                constructor: constructor.clone().unbind(),
                held: None,
                known,
            });
        }
        known
    }
}

/// Remember the C entry of `digest` on the type of `hasher`, made by `constructor`, when the
/// bound method is a builtin one bound to `hasher`. For a type whose attributes can change
/// (fast paths on only), also the method descriptor it came from, to be found again on every
/// call; there, hashers with an instance dict (which could shadow it) are left alone.
///
/// # Safety
/// Live objects.
pub(crate) unsafe fn learn_digest(
    py: Python<'_>,
    constructor: &Bound<'_, PyAny>,
    hasher: &Bound<'_, PyAny>,
) {
    let kind = ffi::Py_TYPE(hasher.as_ptr());
    let name = digest_name(py);
    let descriptor = if ffi::PyType_GetFlags(kind) & ffi::Py_TPFLAGS_IMMUTABLETYPE != 0 {
        None
    } else {
        let Some(lookup) = type_lookup() else {
            return;
        };
        if hasher.hasattr("__dict__").unwrap_or(true) {
            return;
        }
        let found = lookup(kind, name.as_ptr());
        if found.is_null() || ffi::Py_TYPE(found) != std::ptr::addr_of_mut!(ffi::PyMethodDescr_Type)
        {
            return;
        }
        Some(Bound::from_borrowed_ptr(py, found).unbind())
    };
    let Ok(bound) = hasher.getattr(name) else {
        return;
    };
    let method = match Direct::of(bound.as_ptr()) {
        Some(Direct::NoArgs(entry, owner)) if owner == hasher.as_ptr() => Method::NoArgs(entry),
        Some(Direct::Fast(entry, owner)) if owner == hasher.as_ptr() => Method::Fast(entry),
        Some(Direct::FastKeywords(entry, owner)) if owner == hasher.as_ptr() => {
            Method::FastKeywords(entry)
        }
        _ => return,
    };
    let digest = Digest {
        kind,
        method,
        descriptor: descriptor.as_ref().map_or(null_mut(), |d| d.as_ptr()),
    };
    let mut held = TABLE.get(py).borrow_mut();
    let Some(table) = held.as_mut() else {
        return;
    };
    if let Some(row) = table
        .rows
        .iter_mut()
        .find(|r| r.constructor.is(constructor))
    {
        if row.known.digest.is_none() {
            row.held = Some((hasher.get_type().into_any().unbind(), descriptor));
            row.known.digest = Some(digest);
        }
    }
}

/// The interned name `digest`.
pub(crate) fn digest_name(py: Python<'_>) -> &Bound<'_, PyString> {
    static NAME: GILOnceCell<Py<PyString>> = GILOnceCell::new();
    NAME.get_or_init(py, || PyString::intern(py, "digest").unbind())
        .bind(py)
}
