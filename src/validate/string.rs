//! `str`: strings (bytes decoded in lax mode), then strip/case, length, pattern, email and URL.

use jiter::JsonValue;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};

use super::errors::{line_with_ctx, Errors, ValError, ValResult};
use super::pattern::Pattern;
use super::{schema, Exactness, State};
use crate::conv::{is_py_space, py_strip};
use crate::input::Input;

enum Case {
    Keep,
    Lower,
    Upper,
}

pub(crate) struct StrValidator {
    strict: bool,
    strip: bool,
    case: Case,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<(Pattern, PyObject)>,
    email: bool,
    url: bool,
    /// No option at all: any str passes unchanged.
    plain: bool,
}

impl StrValidator {
    /// No option at all and lax: an exact str passes unchanged.
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    fn check_length<'py>(
        &self,
        py: Python<'py>,
        value: Bound<'py, PyString>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        // pydantic reads the text before any constraint: a lone surrogate is refused first
        if crate::cpython::ascii_bytes(&value).is_none() && value.to_str().is_err() {
            return Err(ValError::new(py, "string_unicode", input));
        }
        let length = code_points(&value);
        if let Some(min) = self.min_length.filter(|m| length < *m) {
            return Err(ValError::Lines(vec![line_with_ctx(
                py,
                "string_too_short",
                input.to_object(py),
                &[("min_length", min.into_pyobject(py)?.into_any().unbind())],
            )]));
        }
        if let Some(max) = self.max_length.filter(|m| length > *m) {
            return Err(ValError::Lines(vec![line_with_ctx(
                py,
                "string_too_long",
                input.to_object(py),
                &[("max_length", max.into_pyobject(py)?.into_any().unbind())],
            )]));
        }
        Ok(value.into_any())
    }

    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let case = if schema::flag(schema, "to_lower")? {
            Case::Lower
        } else if schema::flag(schema, "to_upper")? {
            Case::Upper
        } else {
            Case::Keep
        };
        let pattern = match schema::optional::<String>(schema, "pattern")? {
            Some(source) => Some((
                Pattern::compile(py, &source)?,
                PyString::new(py, &source).into_any().unbind(),
            )),
            None => None,
        };
        let mut validator = StrValidator {
            strict: schema::flag(schema, "strict")?,
            strip: schema::flag(schema, "strip_whitespace")?,
            case,
            min_length: schema::optional(schema, "min_length")?,
            max_length: schema::optional(schema, "max_length")?,
            pattern,
            email: schema::flag(schema, "email")?,
            url: schema::flag(schema, "url")?,
            plain: false,
        };
        validator.plain = validator.compute_plain();
        Ok(validator)
    }

    /// Only length bounds to check (no other option changes or rejects a string).
    /// Every check reads the text as it is (no stripping or case change): a JSON string can
    /// be judged before it becomes a Python str (`text_passes`).
    pub(crate) fn checks_text_only(&self) -> bool {
        !self.strip && matches!(self.case, Case::Keep)
    }

    /// `text` (as the str it becomes) passes every check, decided without Python; false means
    /// "failed, or not decidable here": the caller then takes the ordinary path, which reports.
    /// `ascii`: the caller knows `text` is ASCII (false: not known).
    pub(crate) fn text_passes(&self, text: &str, ascii: bool) -> bool {
        self.length_ok(text, ascii)
            && self
                .pattern
                .as_ref()
                .is_none_or(|(pattern, _)| pattern.native_match(text, ascii) == Some(true))
            && (!self.email || is_email(text))
            && (!self.url || check_url(text).is_ok())
    }

    /// Whether `text` (as the Python str it becomes) is within the length bounds.
    pub(crate) fn length_ok(&self, text: &str, ascii: bool) -> bool {
        if self.min_length.is_none() && self.max_length.is_none() {
            return true;
        }
        let length = if ascii || text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        self.min_length.is_none_or(|min| length >= min)
            && self.max_length.is_none_or(|max| length <= max)
    }

    fn compute_plain(&self) -> bool {
        !self.strip
            && matches!(self.case, Case::Keep)
            && self.min_length.is_none()
            && self.max_length.is_none()
            && self.pattern.is_none()
            && !self.email
            && !self.url
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let value: Bound<'py, PyString> = match input {
            Input::Py(obj) => {
                if let Ok(s) = obj.downcast::<PyString>() {
                    if obj.is_exact_instance_of::<PyString>() {
                        s.clone()
                    } else {
                        // a subclass: a plain str of its text (`str.__str__`, the base type's
                        // own slot, copies it, lone surrogates too), as pydantic gives
                        state.floor(Exactness::Strict);
                        py.get_type::<PyString>()
                            .getattr(pyo3::intern!(py, "__str__"))?
                            .call1((obj,))?
                            .downcast_into::<PyString>()
                            .map_err(PyErr::from)?
                    }
                } else if !strict
                    && (obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>())
                {
                    state.floor(Exactness::Lax);
                    // the C-level contents: never sized by a (subclass's) __len__
                    let raw = crate::conv::byte_contents(obj)?;
                    match std::str::from_utf8(&raw) {
                        Ok(text) => PyString::new(py, text),
                        Err(_) => return Err(ValError::new(py, "string_unicode", input)),
                    }
                } else {
                    return Err(ValError::new(py, "string_type", input));
                }
            }
            // JSON text may stand for another type (a UUID, a date): not an exact match
            Input::Json(JsonValue::Str(s)) => {
                state.floor(Exactness::Strict);
                PyString::new(py, s)
            }
            Input::Json(_) => return Err(ValError::new(py, "string_type", input)),
        };
        if self.plain {
            return Ok(value.into_any());
        }
        self.check(py, value, input)
    }

    fn check<'py>(
        &self,
        py: Python<'py>,
        value: Bound<'py, PyString>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        if !self.strip
            && matches!(self.case, Case::Keep)
            && self.pattern.is_none()
            && !self.email
            && !self.url
        {
            // only length bounds: counted in place (check_length reads the text only to refuse a
            // lone surrogate)
            return self.check_length(py, value, input);
        }
        let (text, ascii) = match text_of(&value) {
            Some(found) => found,
            // lone surrogates: no UTF-8 view; only Python-side checks are possible
            None => return Err(ValError::new(py, "string_unicode", input)),
        };
        let mut owned: Option<String> = None;
        let mut current: Bound<'py, PyString> = value.clone();
        if self.strip {
            let stripped = py_strip(text);
            if stripped.len() != text.len() {
                owned = Some(stripped.to_owned());
            }
        }
        match self.case {
            Case::Keep => {}
            Case::Lower | Case::Upper => {
                let base = owned.as_deref().unwrap_or(text);
                if ascii {
                    owned = Some(match self.case {
                        Case::Lower => base.to_ascii_lowercase(),
                        _ => base.to_ascii_uppercase(),
                    });
                } else {
                    let method = if matches!(self.case, Case::Lower) {
                        "lower"
                    } else {
                        "upper"
                    };
                    let converted = PyString::new(py, base).call_method0(method)?;
                    owned = Some(converted.extract::<String>()?);
                }
            }
        }
        if let Some(new_text) = &owned {
            current = PyString::new(py, new_text);
        }
        let final_text: &str = owned.as_deref().unwrap_or(text);
        // a strip or an ASCII case change keeps ASCII text ASCII
        let final_ascii = ascii || (owned.is_some() && final_text.is_ascii());
        let mut errors = Errors::default();
        let input_obj = || input.to_object(py);
        if self.min_length.is_some() || self.max_length.is_some() {
            let length = code_points(&current);
            if let Some(min) = self.min_length.filter(|m| length < *m) {
                errors.push(line_with_ctx(
                    py,
                    "string_too_short",
                    input_obj(),
                    &[("min_length", min.into_pyobject(py)?.into_any().unbind())],
                ));
            }
            if let Some(max) = self.max_length.filter(|m| length > *m) {
                errors.push(line_with_ctx(
                    py,
                    "string_too_long",
                    input_obj(),
                    &[("max_length", max.into_pyobject(py)?.into_any().unbind())],
                ));
            }
        }
        if let Some((pattern, source)) = &self.pattern {
            if !pattern.is_match(py, final_text, final_ascii, &current)? {
                errors.push(line_with_ctx(
                    py,
                    "string_pattern_mismatch",
                    input_obj(),
                    &[("pattern", source.clone_ref(py))],
                ));
            }
        }
        if self.email && !is_email(final_text) {
            errors.push(super::errors::LineError {
                kind: "email_invalid".into(),
                loc: smallvec::SmallVec::new(),
                input: input_obj(),
                ctx: None,
                msg: None,
            });
        }
        if self.url {
            if let Err(reason) = check_url(final_text) {
                errors.push(line_with_ctx(
                    py,
                    "url_parsing",
                    input_obj(),
                    &[("error", PyString::new(py, reason).into_any().unbind())],
                ));
            }
        }
        errors.into_result(current.into_any())
    }
}

/// The UTF-8 text of `value` and whether it is ASCII: a compact ASCII str read in place (no
/// scan), any other through the API; `None` for a str with lone surrogates.
#[inline]
fn text_of<'a>(value: &'a Bound<'_, PyString>) -> Option<(&'a str, bool)> {
    if let Some(bytes) = crate::cpython::ascii_bytes(value) {
        // SAFETY: the characters of a compact ASCII str: every byte is ASCII, so valid UTF-8
        return Some((unsafe { std::str::from_utf8_unchecked(bytes) }, true));
    }
    let text = value.to_str().ok()?;
    Some((text, text.is_ascii()))
}

/// Length in code points, as Python's `len()` (O(1) on the str object).
fn code_points(s: &Bound<'_, PyString>) -> usize {
    // SAFETY: a live str object; GetLength cannot fail on one.
    unsafe { ffi::PyUnicode_GetLength(s.as_ptr()) as usize }
}

/// `local@domain`: one `@`, non-empty local part, two or more non-empty dot-separated labels,
/// no whitespace anywhere.
pub(crate) fn is_email(s: &str) -> bool {
    // eight bytes at a time: a word with no '@', '.', byte below '!' or non-ASCII byte is
    // skipped whole; the bytes that are one of those take `EmailScan::step`
    let bytes = s.as_bytes();
    let mut scan = EmailScan::default();
    let mut words = bytes.chunks_exact(8);
    let mut base = 0usize;
    for word in words.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        if w & HIGH != 0 {
            return is_email_unicode(s);
        }
        let mut special = below_bang(w) | equal_to(w, b'@') | equal_to(w, b'.');
        while special != 0 {
            let at = base + (special.trailing_zeros() / 8) as usize;
            if !scan.step(bytes[at], at) {
                return false;
            }
            special &= special - 1;
        }
        base += 8;
    }
    for (offset, &b) in words.remainder().iter().enumerate() {
        if !b.is_ascii() {
            return is_email_unicode(s);
        }
        if !scan.step(b, base + offset) {
            return false;
        }
    }
    scan.at.is_some() && scan.labels >= 1 && scan.label_start < bytes.len()
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// 0x80 in each byte of `w` (all ASCII) below b'!' (whitespace and control bytes), exactly.
fn below_bang(w: u64) -> u64 {
    // per byte b < 0x80: b + 0x5f reaches 0x80 iff b >= 0x21, with no carry out of the byte
    !((w & LOW7) + (0x80 - 0x21) * ONES) & HIGH
}

/// 0x80 in each byte of `w` equal to `c`, exactly.
fn equal_to(w: u64, c: u8) -> u64 {
    let t = w ^ (u64::from(c) * ONES);
    !(((t & LOW7) + LOW7) | t) & HIGH
}

/// The state of one left-to-right pass over an ASCII address.
#[derive(Default)]
struct EmailScan {
    at: Option<usize>,
    labels: usize,
    label_start: usize,
}

impl EmailScan {
    /// Take byte `b` at index `i` (bytes that are none of '@', '.' or whitespace may be
    /// skipped); false once the address cannot be valid.
    #[inline(always)]
    fn step(&mut self, b: u8, i: usize) -> bool {
        match b {
            b'@' => {
                if self.at.is_some() || i == 0 {
                    return false;
                }
                self.at = Some(i);
                self.label_start = i + 1;
            }
            b'.' if self.at.is_some() => {
                if i == self.label_start {
                    return false;
                }
                self.labels += 1;
                self.label_start = i + 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f => return false,
            _ => {}
        }
        true
    }
}

fn is_email_unicode(s: &str) -> bool {
    if s.chars().any(is_py_space) {
        return false;
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

pub(crate) fn check_url(s: &str) -> Result<(), &'static str> {
    if s.chars().any(is_py_space) {
        return Err("URL must not contain whitespace");
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err("relative URL without a base");
    };
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ftp" | "ws" | "wss") {
        return Err("URL scheme should be 'http', 'https', 'ftp', 'ws' or 'wss'");
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_end == 0 {
        return Err("empty host");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        assert!(is_email("a@b.co"));
        assert!(!is_email("a@b"));
        assert!(!is_email("@b.co"));
        assert!(!is_email("a@@b.co"));
        assert!(!is_email("a b@c.de"));
        assert!(!is_email("a@b..de"));
        assert!(!is_email("a@.b.de"));
        assert!(!is_email("a@b.de."));
        assert!(is_email("ż@b.de"));
        assert!(!is_email("ż@b..de"));
    }

    #[test]
    fn email_scan_agrees_with_the_plain_rule() {
        // every string over a small alphabet that hits each special byte, at every offset
        // of the eight-byte words (lengths 0..=11), plus long ones
        let alphabet: &[char] = &[
            'a', '@', '.', ' ', '\u{1c}', '\u{1}', '\t', 'z', '\u{7f}', 'é',
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| {
                    let r = next() % 20;
                    if r < 10 {
                        'a'
                    } else {
                        alphabet[(r - 10) as usize]
                    }
                })
                .collect();
            // `is_email_unicode` is the rule written plainly (char by char, no word tricks)
            assert_eq!(is_email(&text), is_email_unicode(&text), "{text:?}");
        }
        for text in [
            "alice@example.com",
            "a.b.c.d.e.f@g.h.i.j.k.l.mn",
            "abcdefg@hijklmn.opq",
        ] {
            assert!(is_email(text));
        }
    }

    #[test]
    fn url_rules() {
        assert!(check_url("https://example.com/x?y").is_ok());
        assert!(check_url("HTTP://h").is_ok());
        assert!(check_url("mailto:x").is_err());
        assert!(check_url("https:///path").is_err());
        assert!(check_url("https://a b").is_err());
    }
}
