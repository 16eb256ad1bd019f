//! A bound on native recursion: every entry from Python into the core checks that enough of
//! the thread's C stack is left, so Python code that re-enters ferrule from inside a validator
//! (a validator calling `model_validate`, with the recursion limit raised) gets a
//! `RecursionError` instead of overflowing the stack.

use std::cell::Cell;

/// Keep at least this much stack free for one validation (or half a small thread stack).
const MARGIN: usize = 256 * 1024;

thread_local! {
    /// The lowest address this thread's stack may reach plus the margin (0: not known yet;
    /// usize::MAX: unknown on this platform, never refuse).
    static FLOOR: Cell<usize> = const { Cell::new(0) };
}

/// The current stack position (an address inside this frame).
#[inline(always)]
fn here() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

#[cfg(target_os = "linux")]
fn floor() -> usize {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; it is destroyed after.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return usize::MAX;
        }
        let mut low: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let found = libc::pthread_attr_getstack(&attr, &mut low, &mut size) == 0;
        libc::pthread_attr_destroy(&mut attr);
        if !found || low.is_null() || size == 0 {
            return usize::MAX;
        }
        (low as usize).saturating_add(MARGIN.min(size / 2))
    }
}

#[cfg(not(target_os = "linux"))]
fn floor() -> usize {
    usize::MAX
}

/// Is there room for another level of validation on this thread's stack?
#[inline]
pub(crate) fn room_left() -> bool {
    let floor = FLOOR.with(|cell| {
        let known = cell.get();
        if known != 0 {
            return known;
        }
        let found = floor();
        cell.set(found);
        found
    });
    floor == usize::MAX || here() > floor
}
