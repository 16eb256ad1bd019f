//! The SQLite C functions, taken from the library the `sqlite3` module itself is linked to.
//!
//! A connection handle may only be used through the library that opened it: a second copy of
//! SQLite (bundled here) would have other internals. So nothing is linked at build time; the
//! functions are looked up with `dlsym` in the already loaded `_sqlite3` extension, which finds
//! them in the libsqlite3 it depends on. Where that fails (an interpreter with SQLite built in,
//! or a library missing a function), `load` answers `None` and ferrule keeps the `sqlite3`
//! module's own statement path.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::OnceLock;

pub(crate) type Db = c_void;
pub(crate) type Stmt = c_void;
pub(crate) type Value = c_void;
pub(crate) type Mutex = c_void;

pub(crate) const OK: c_int = 0;
pub(crate) const ROW: c_int = 100;
pub(crate) const DONE: c_int = 101;
pub(crate) const INTEGER: c_int = 1;
pub(crate) const FLOAT: c_int = 2;
pub(crate) const TEXT: c_int = 3;
pub(crate) const NULL: c_int = 5;
/// `SQLITE_STMTSTATUS_REPREPARE`: how often a statement was compiled again (schema change).
pub(crate) const STATUS_REPREPARE: c_int = 5;
/// `SQLITE_TRANSIENT`: SQLite copies a bound text or blob before the call returns.
pub(crate) const TRANSIENT: isize = -1;

macro_rules! functions {
    ($($name:ident: fn($($arg:ty),*) -> $ret:ty;)*) => {
        /// The functions used here, by their SQLite names without the `sqlite3_` prefix.
        pub(crate) struct Api {
            $(pub(crate) $name: unsafe extern "C" fn($($arg),*) -> $ret,)*
        }

        impl Api {
            /// # Safety
            /// `handle` must come from `dlopen`.
            unsafe fn resolve(handle: *mut c_void) -> Option<Api> {
                Some(Api {
                    $($name: {
                        let name = concat!("sqlite3_", stringify!($name), "\0");
                        let found = libc::dlsym(handle, name.as_ptr().cast());
                        if found.is_null() {
                            return None;
                        }
                        std::mem::transmute::<*mut c_void, unsafe extern "C" fn($($arg),*) -> $ret>(
                            found,
                        )
                    },)*
                })
            }
        }
    };
}

functions! {
    prepare_v2: fn(*mut Db, *const c_char, c_int, *mut *mut Stmt, *mut *const c_char) -> c_int;
    step: fn(*mut Stmt) -> c_int;
    reset: fn(*mut Stmt) -> c_int;
    finalize: fn(*mut Stmt) -> c_int;
    bind_parameter_count: fn(*mut Stmt) -> c_int;
    bind_int64: fn(*mut Stmt, c_int, i64) -> c_int;
    bind_double: fn(*mut Stmt, c_int, f64) -> c_int;
    bind_text: fn(*mut Stmt, c_int, *const c_char, c_int, isize) -> c_int;
    bind_blob: fn(*mut Stmt, c_int, *const c_void, c_int, isize) -> c_int;
    bind_null: fn(*mut Stmt, c_int) -> c_int;
    column_count: fn(*mut Stmt) -> c_int;
    column_decltype: fn(*mut Stmt, c_int) -> *const c_char;
    column_name: fn(*mut Stmt, c_int) -> *const c_char;
    column_value: fn(*mut Stmt, c_int) -> *mut Value;
    value_type: fn(*mut Value) -> c_int;
    value_int64: fn(*mut Value) -> i64;
    value_double: fn(*mut Value) -> f64;
    value_text: fn(*mut Value) -> *const u8;
    value_blob: fn(*mut Value) -> *const c_void;
    value_bytes: fn(*mut Value) -> c_int;
    db_mutex: fn(*mut Db) -> *mut Mutex;
    mutex_enter: fn(*mut Mutex) -> ();
    mutex_leave: fn(*mut Mutex) -> ();
    errmsg: fn(*mut Db) -> *const c_char;
    extended_errcode: fn(*mut Db) -> c_int;
    changes: fn(*mut Db) -> c_int;
    last_insert_rowid: fn(*mut Db) -> i64;
    stmt_status: fn(*mut Stmt, c_int, c_int) -> c_int;
    libversion_number: fn() -> c_int;
    get_autocommit: fn(*mut Db) -> c_int;
    db_handle: fn(*mut Stmt) -> *mut Db;
}

// SAFETY: plain function pointers into a library that stays loaded for the process's life.
unsafe impl Send for Api {}
unsafe impl Sync for Api {}

static API: OnceLock<Option<Api>> = OnceLock::new();

/// The functions of the SQLite that `extension` (the `_sqlite3` module's file) is linked to,
/// when that library is loaded and its version is `version` (`sqlite3.sqlite_version_info`
/// as one number). Decided once per process.
pub(crate) fn load(extension: &CStr, version: c_int) -> Option<&'static Api> {
    API.get_or_init(|| {
        // SAFETY: RTLD_NOLOAD only finds an object already loaded (the extension the caller
        // imported); it never runs a library's initialisers. The handle is kept for good.
        let api = unsafe {
            let handle = libc::dlopen(extension.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD);
            if handle.is_null() {
                return None;
            }
            Api::resolve(handle)?
        };
        // SAFETY: a function of the library just resolved, with no arguments.
        (unsafe { (api.libversion_number)() } == version).then_some(api)
    })
    .as_ref()
}
