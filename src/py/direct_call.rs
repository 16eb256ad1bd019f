//! Calling a builtin C function without its function object, as the interpreter's specialised
//! calls do (no vectorcall wrapper, no method lookup): its C pointer, calling convention and
//! `self` are read once through the stable API (`PyCFunction_GetFunction`, `_GetFlags`,
//! `_GetSelf`) and used while a strong reference to the function keeps them alive.

use std::os::raw::c_int;

use pyo3::ffi;

/// A builtin function's C entry, by calling convention, with the `self` it is bound to.
#[derive(Clone, Copy)]
pub(crate) enum Direct {
    /// `METH_NOARGS`: `f(self, NULL)`.
    NoArgs(ffi::PyCFunction, *mut ffi::PyObject),
    /// `METH_FASTCALL`: `f(self, args, nargs)`.
    Fast(ffi::PyCFunctionFast, *mut ffi::PyObject),
    /// `METH_FASTCALL | METH_KEYWORDS`: `f(self, args, nargs, NULL)`.
    FastKeywords(ffi::PyCFunctionFastWithKeywords, *mut ffi::PyObject),
}

// SAFETY: the pointers are only followed with the GIL held, while the function object they
// were read from is alive (its owner keeps a strong reference to it).
unsafe impl Send for Direct {}
unsafe impl Sync for Direct {}

impl Direct {
    /// `func`'s C entry when it is exactly a builtin function (or a builtin bound method) of
    /// one of the conventions above; `None` for anything else, which is called as usual.
    ///
    /// # Safety
    /// `func` must be a live object.
    pub(crate) unsafe fn of(func: *mut ffi::PyObject) -> Option<Direct> {
        if ffi::PyCFunction_CheckExact(func) == 0 {
            return None;
        }
        let flags: c_int = ffi::PyCFunction_GetFlags(func);
        let entry = ffi::PyCFunction_GetFunction(func)?;
        let owner = ffi::PyCFunction_GetSelf(func);
        // SAFETY (transmutes): the flags name the signature CPython itself calls `entry` with
        match flags {
            ffi::METH_NOARGS => Some(Direct::NoArgs(entry, owner)),
            ffi::METH_FASTCALL => Some(Direct::Fast(
                std::mem::transmute::<ffi::PyCFunction, ffi::PyCFunctionFast>(entry),
                owner,
            )),
            flags if flags == ffi::METH_FASTCALL | ffi::METH_KEYWORDS => {
                Some(Direct::FastKeywords(
                    std::mem::transmute::<ffi::PyCFunction, ffi::PyCFunctionFastWithKeywords>(
                        entry,
                    ),
                    owner,
                ))
            }
            _ => None,
        }
    }

    /// The call with `nargs` positional arguments (none for `NoArgs`): a new reference, or
    /// NULL with the error set; `None` when the count does not fit the convention.
    ///
    /// # Safety
    /// The function this was read from is alive; `args` holds `nargs` borrowed references.
    #[inline]
    pub(crate) unsafe fn call(
        self,
        args: *const *mut ffi::PyObject,
        nargs: usize,
    ) -> Option<*mut ffi::PyObject> {
        let count = ffi::Py_ssize_t::try_from(nargs).ok()?;
        Some(match self {
            Direct::NoArgs(entry, owner) if nargs == 0 => entry(owner, std::ptr::null_mut()),
            Direct::NoArgs(..) => return None,
            Direct::Fast(entry, owner) => entry(owner, args.cast_mut(), count),
            Direct::FastKeywords(entry, owner) => entry(owner, args, count, std::ptr::null_mut()),
        })
    }
}
