//! `pattern`: a Python `re` pattern run by Rust's `regex` engine with the answers of `re.search`.
//!
//! The pattern is parsed by CPython's own parser (`re._parser`; `sre_parse` on 3.10), so every
//! escape, flag and quantifier means what it means to Python. Each one-character item (a literal,
//! `.`, a class, `\d` `\w` `\s`) becomes the explicit set of code points Python's `re` matches:
//! the `\w` `\d` `\s` tables are read once per process by asking `re` which code points match
//! (they follow the running interpreter's Unicode version), and under IGNORECASE `re` itself is
//! asked about every code point that has a case mapping. Anchors keep Python's meaning: `^` is
//! `\A`, `$` is "the end, or before a final newline", `\Z` is `\z`, `\b` `\B` use Python's `\w`.
//!
//! What the engine cannot express (backreferences, lookaround, conditionals, atomic groups,
//! possessive repeats, LOCALE, a translation past the engine's size limit) runs on Python's `re`.
//! The translation is compiled twice: with every class cut to ASCII, for ASCII text (a smaller
//! automaton: the common case runs faster), and whole, for any other text. Three constructs are
//! exact on Rust's engine only for some inputs, and the other inputs run on Python's `re`:
//! Unicode `\b` `\B` (ASCII text, where Python's `\w` is Rust's ASCII `\w`), `\B` (non-empty
//! text) and a `$` followed by more pattern (text without a final newline).

use std::fmt::Write as _;

use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyString;

use crate::conv::py_re_compile;

// `re` flag bits (re.IGNORECASE, ...): public values, unchanged since Python 2.
const IGNORECASE: u32 = 2;
const LOCALE: u32 = 4;
const MULTILINE: u32 = 8;
const DOTALL: u32 = 16;
const UNICODE: u32 = 32;
const ASCII: u32 = 256;
const TYPE_FLAGS: u32 = ASCII | LOCALE | UNICODE;

const MAX_POINT: u32 = 0x10FFFF;
/// Deeper nesting runs on Python's `re` (Rust's engine stops at 250 anyway).
const MAX_DEPTH: usize = 100;

/// A compiled `pattern` option: Rust's engine where it gives `re.search`'s answer, else `re`.
pub(crate) struct Pattern {
    native: Option<Native>,
    python: PyObject,
}

/// The translation compiled twice: with every class cut to ASCII, as bytes, for ASCII text (a
/// smaller automaton and no UTF-8 bookkeeping: the common case), and whole for other text
/// (`None`: such text runs on `re`).
struct Native {
    ascii: super::ascii_dfa::AsciiMatcher,
    any: Option<regex::Regex>,
    needs: Needs,
}

impl Pattern {
    /// Compile `source` (a `re.error` for an invalid pattern, as `re.compile` raises it).
    pub(crate) fn compile(py: Python<'_>, source: &str) -> PyResult<Self> {
        let python = py_re_compile(py).call1((source,))?.unbind();
        let native = translate(py, source)?.and_then(|out| {
            Some(Native {
                ascii: super::ascii_dfa::AsciiMatcher::new(&out.ascii)?,
                any: out.any.and_then(|any| regex::Regex::new(&any).ok()),
                needs: out.needs,
            })
        });
        Ok(Pattern { native, python })
    }

    /// The native engine's answer for `text`, when it has one without Python's `re` (`ascii`:
    /// the caller already knows `text` is ASCII; false means "not known", not "not ASCII").
    #[inline]
    pub(crate) fn native_match(&self, text: &str, ascii: bool) -> Option<bool> {
        let native = self.native.as_ref()?;
        if !native.needs.hold(text) {
            return None;
        }
        if ascii || text.is_ascii() {
            return Some(native.ascii.is_match(text.as_bytes()));
        }
        native.any.as_ref().map(|any| any.is_match(text))
    }

    /// `re.search(pattern, value) is not None` on Python's `re` (for text that is not UTF-8).
    pub(crate) fn search_python(&self, value: &Bound<'_, PyString>) -> PyResult<bool> {
        Ok(!self
            .python
            .bind(value.py())
            .call_method1("search", (value,))?
            .is_none())
    }

    /// `re.search(pattern, value) is not None`; `text` is `value` as UTF-8 (`ascii`: as for
    /// `native_match`).
    pub(crate) fn is_match(
        &self,
        py: Python<'_>,
        text: &str,
        ascii: bool,
        value: &Bound<'_, PyString>,
    ) -> PyResult<bool> {
        if let Some(found) = self.native_match(text, ascii) {
            return Ok(found);
        }
        Ok(!self
            .python
            .bind(py)
            .call_method1("search", (value,))?
            .is_none())
    }
}

/// The `regex` sources a pattern runs as: on ASCII text, and on other text (`None`: on Python's
/// `re`); `None` when it always runs on Python's `re` (for tests).
#[pyfunction]
pub(crate) fn _pattern_translation(
    py: Python<'_>,
    pattern: &str,
) -> PyResult<Option<(String, Option<String>)>> {
    let compiled = Pattern::compile(py, pattern)?;
    Ok(compiled.native.map(|n| {
        let any = n.any.map(|any| any.as_str().to_owned());
        (n.ascii.as_str().to_owned(), any)
    }))
}

/// What the input must be for the translation to answer as `re` does.
#[derive(Clone, Copy, Default, Debug)]
struct Needs {
    /// `\B`: Python's never matches in an empty string (before 3.14), Rust's does.
    nonempty: bool,
    /// A `$` with pattern after it: it is `\z` unless the text ends with "\n".
    no_final_newline: bool,
}

impl Needs {
    fn hold(&self, text: &str) -> bool {
        (!self.nonempty || !text.is_empty()) && (!self.no_final_newline || !text.ends_with('\n'))
    }
}

// --- code-point sets ----------------------------------------------------------------------------

/// Sorted, disjoint, non-touching inclusive ranges of code points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct CodeSet(Vec<(u32, u32)>);

impl CodeSet {
    fn new(mut ranges: Vec<(u32, u32)>) -> Self {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        CodeSet(out)
    }

    fn everything() -> Self {
        CodeSet(vec![(0, MAX_POINT)])
    }

    fn union(&self, other: &CodeSet) -> Self {
        CodeSet::new(self.0.iter().chain(&other.0).copied().collect())
    }

    fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi + 1;
        }
        if next <= MAX_POINT {
            out.push((next, MAX_POINT));
        }
        CodeSet(out)
    }

    fn intersect(&self, other: &CodeSet) -> Self {
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while i < self.0.len() && j < other.0.len() {
            let (a, b) = (self.0[i], other.0[j]);
            let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        CodeSet(out)
    }

    fn minus(&self, other: &CodeSet) -> Self {
        self.intersect(&other.complement())
    }

    /// Every code point a Rust `str` can hold (no surrogates): what a haystack can contain.
    fn scalars(&self) -> Self {
        self.minus(&CodeSet(vec![(0xD800, 0xDFFF)]))
    }

    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.0
            .iter()
            .flat_map(|&(lo, hi)| (lo..=hi).filter_map(char::from_u32))
    }

    /// As `regex` syntax: one `\x{..}` for one code point, else a class (`bytes`: for a bytes
    /// regex without Unicode, where the set is ASCII).
    fn write(&self, out: &mut String, bytes: bool) {
        let set = self.scalars();
        match set.0.as_slice() {
            // nothing (in bytes mode, nothing that can be in ASCII text)
            [] if bytes => out.push_str(r"[^\x{0}-\x{7F}]"),
            [] => out.push_str(r"[^\x{0}-\x{10FFFF}]"),
            [(lo, hi)] if lo == hi => {
                let _ = write!(out, "\\x{{{lo:X}}}");
            }
            ranges => {
                out.push('[');
                for (lo, hi) in ranges {
                    let _ = if lo == hi {
                        write!(out, "\\x{{{lo:X}}}")
                    } else {
                        write!(out, "\\x{{{lo:X}}}-\\x{{{hi:X}}}")
                    };
                }
                out.push(']');
            }
        }
    }
}

// --- asking Python's re which code points match -----------------------------------------------

/// The characters of a set as one Python str, to run `re` over all of them at once.
struct Universe {
    text: Py<PyString>,
    /// (index in `text`, first code point, last code point) per range.
    starts: Vec<(usize, u32, u32)>,
}

impl Universe {
    fn new(py: Python<'_>, set: &CodeSet) -> Self {
        let set = set.scalars();
        let mut text = String::new();
        let mut starts = Vec::with_capacity(set.0.len());
        let mut index = 0usize;
        for &(lo, hi) in &set.0 {
            starts.push((index, lo, hi));
            text.extend((lo..=hi).filter_map(char::from_u32));
            index += (hi - lo + 1) as usize;
        }
        Universe {
            text: PyString::new(py, &text).unbind(),
            starts,
        }
    }

    /// The code points of the universe that `(?:item)+` matches under `flags`.
    fn scan(&self, py: Python<'_>, item: &str, flags: u32) -> PyResult<CodeSet> {
        let compiled = py_re_compile(py).call1((format!("(?:{item})+"), flags))?;
        let mut ranges = Vec::new();
        for found in compiled
            .call_method1("finditer", (self.text.bind(py),))?
            .try_iter()?
        {
            let found = found?;
            let start: usize = found.call_method0("start")?.extract()?;
            let end: usize = found.call_method0("end")?.extract()?;
            self.points(start, end, &mut ranges);
        }
        Ok(CodeSet::new(ranges))
    }

    /// The code points at indexes `start..end` of the text.
    fn points(&self, start: usize, end: usize, out: &mut Vec<(u32, u32)>) {
        let mut k = self
            .starts
            .partition_point(|s| s.0 <= start)
            .saturating_sub(1);
        let mut at = start;
        while at < end && k < self.starts.len() {
            let (first, lo, hi) = self.starts[k];
            let stop = (first + (hi - lo) as usize + 1).min(end);
            if stop > at {
                out.push((lo + (at - first) as u32, lo + (stop - 1 - first) as u32));
                at = stop;
            }
            k += 1;
        }
    }
}

#[derive(Clone, Copy)]
enum Category {
    Digit,
    Space,
    Word,
}

impl Category {
    fn escape(self, negated: bool) -> &'static str {
        match (self, negated) {
            (Category::Digit, false) => r"\d",
            (Category::Digit, true) => r"\D",
            (Category::Space, false) => r"\s",
            (Category::Space, true) => r"\S",
            (Category::Word, false) => r"\w",
            (Category::Word, true) => r"\W",
        }
    }
}

static CATEGORIES: [GILOnceCell<CodeSet>; 6] = [const { GILOnceCell::new() }; 6];

/// The code points `\d` `\s` or `\w` match, as the running `re` says (ASCII: under `re.ASCII`,
/// where nothing past U+007F can match, so the first 256 code points are asked).
fn category_set(py: Python<'_>, category: Category, ascii: bool) -> PyResult<CodeSet> {
    let cell = &CATEGORIES[category as usize * 2 + usize::from(ascii)];
    let set = cell.get_or_try_init(py, || {
        let (universe, flags) = if ascii {
            (CodeSet(vec![(0, 0xFF)]), ASCII)
        } else {
            (CodeSet::everything(), 0)
        };
        Universe::new(py, &universe).scan(py, category.escape(false), flags)
    })?;
    Ok(set.clone())
}

/// Every code point whose IGNORECASE meaning can differ from its case-sensitive one, with the
/// same code points as one str: those with a lower, upper or case-folded form of their own, and
/// those forms. Python's extra equivalences (`ſ` `s`, `K` `k`, ...) are among them.
static CASED: GILOnceCell<(CodeSet, Universe)> = GILOnceCell::new();

fn cased(py: Python<'_>) -> PyResult<&'static (CodeSet, Universe)> {
    CASED.get_or_try_init(py, || {
        let mut points = Vec::new();
        let all: Vec<char> = CodeSet::everything().chars().collect();
        for chunk in all.chunks(512) {
            let text: String = chunk.iter().collect();
            let original = PyString::new(py, &text);
            for method in ["lower", "upper", "casefold"] {
                let mapped = original.call_method0(method)?;
                if mapped.eq(&original)? {
                    continue;
                }
                let mapped: String = mapped.extract()?;
                if mapped.chars().count() == chunk.len() {
                    // every character mapped to exactly one: compare position by position
                    for (a, b) in chunk.iter().zip(mapped.chars()) {
                        if *a != b {
                            points.extend([*a as u32, b as u32]);
                        }
                    }
                } else {
                    for &a in chunk {
                        let one = PyString::new(py, a.encode_utf8(&mut [0; 4]));
                        let mapped: String = one.call_method0(method)?.extract()?;
                        if mapped.chars().ne([a]) {
                            points.push(a as u32);
                            points.extend(mapped.chars().map(|c| c as u32));
                        }
                    }
                }
            }
        }
        // the simple lowercase `re` folds with (for the few where it is not the full one)
        let lower = py.import("_sre")?.getattr("unicode_tolower")?;
        let found = CodeSet::new(points.iter().map(|&p| (p, p)).collect());
        for c in found.chars() {
            let folded: u32 = lower.call1((c as u32,))?.extract()?;
            points.push(folded);
        }
        let set = CodeSet::new(points.into_iter().map(|p| (p, p)).collect());
        let universe = Universe::new(py, &set);
        Ok((set, universe))
    })
}

// --- one-character items ------------------------------------------------------------------------

enum Item {
    Point(u32),
    Range(u32, u32),
    Class(Category, bool),
}

/// A literal, a negated literal or a class: the items Python's parser gives, and a negation.
struct CharItem {
    negate: bool,
    items: Vec<Item>,
}

impl CharItem {
    /// The set matched without IGNORECASE.
    fn set(&self, py: Python<'_>, ascii: bool) -> PyResult<CodeSet> {
        let mut ranges = Vec::new();
        let mut set = CodeSet::default();
        for item in &self.items {
            match *item {
                Item::Point(c) => ranges.push((c, c)),
                Item::Range(lo, hi) => ranges.push((lo, hi)),
                Item::Class(category, negated) => {
                    let class = category_set(py, category, ascii)?;
                    set = set.union(&if negated { class.complement() } else { class });
                }
            }
        }
        let set = set.union(&CodeSet::new(ranges));
        Ok(if self.negate { set.complement() } else { set })
    }

    /// The item as a Python class, for asking `re` what it matches under IGNORECASE.
    fn python_source(&self) -> String {
        let mut out = String::from(if self.negate { "[^" } else { "[" });
        for item in &self.items {
            let _ = match *item {
                Item::Point(c) => write!(out, "\\U{c:08x}"),
                Item::Range(lo, hi) => write!(out, "\\U{lo:08x}-\\U{hi:08x}"),
                Item::Class(category, negated) => out.write_str(category.escape(negated)),
            };
        }
        out.push(']');
        out
    }

    /// The set matched under IGNORECASE: `re` is asked about the code points with a case
    /// mapping; the others match exactly as without the flag.
    fn folded(&self, py: Python<'_>, ascii: bool) -> PyResult<CodeSet> {
        let (cased, universe) = cased(py)?;
        let flags = IGNORECASE | if ascii { ASCII } else { 0 };
        let answered = universe.scan(py, &self.python_source(), flags)?;
        Ok(self.set(py, ascii)?.minus(cased).union(&answered))
    }
}

// --- walking Python's parse tree ----------------------------------------------------------------

/// Why a walk stopped: a construct Rust's engine cannot express, or a Python error.
enum Stop {
    Unsupported,
    Py(PyErr),
}

impl From<PyErr> for Stop {
    fn from(err: PyErr) -> Self {
        Stop::Py(err)
    }
}

/// A parse tree of a shape this module does not know: leave the pattern to Python's `re`.
trait Shape<T> {
    fn shape(self) -> Result<T, Stop>;
}

impl<T, E> Shape<T> for Result<T, E> {
    fn shape(self) -> Result<T, Stop> {
        self.map_err(|_| Stop::Unsupported)
    }
}

/// A translation: for ASCII text, for any text (`None` when only ASCII text can run on Rust's
/// engine: Unicode `\b` `\B`), and what the text must be.
struct Translation {
    ascii: String,
    any: Option<String>,
    needs: Needs,
}

/// The translation, or `None` when the pattern must run on Python's `re`.
fn translate(py: Python<'_>, source: &str) -> PyResult<Option<Translation>> {
    let mut walk = Walk {
        py,
        needs: Needs::default(),
        ascii_only: false,
        unbounded: 0,
        any: String::with_capacity(source.len() * 4),
        ascii: String::from("(?-u)"),
    };
    match walk.run(source) {
        Ok(()) => Ok(Some(Translation {
            ascii: walk.ascii,
            any: (!walk.ascii_only).then_some(walk.any),
            needs: walk.needs,
        })),
        Err(Stop::Unsupported) => Ok(None),
        Err(Stop::Py(err)) => Err(err),
    }
}

struct Walk<'py> {
    py: Python<'py>,
    needs: Needs,
    /// Unicode `\b` `\B`: Python's `\w` and Rust's ASCII `\w` are the same set on ASCII text.
    ascii_only: bool,
    /// `re`'s MAXREPEAT: the parser's "no upper bound".
    unbounded: u64,
    any: String,
    ascii: String,
}

impl Walk<'_> {
    fn push(&mut self, syntax: &str) {
        self.any.push_str(syntax);
        self.ascii.push_str(syntax);
    }

    fn push_set(&mut self, set: &CodeSet) {
        set.write(&mut self.any, false);
        set.intersect(&CodeSet(vec![(0, 0x7F)]))
            .write(&mut self.ascii, true);
    }

    fn run(&mut self, source: &str) -> Result<(), Stop> {
        let re = self.py.import("re")?;
        let parser = match re.getattr("_parser") {
            Ok(parser) => parser,
            Err(_) => self.py.import("sre_parse").shape()?.into_any(),
        };
        self.unbounded = self.py.import("_sre")?.getattr("MAXREPEAT")?.extract()?;
        let parsed = parser.call_method1("parse", (source,)).shape()?;
        let flags: u32 = parsed
            .getattr("state")
            .shape()?
            .getattr("flags")
            .shape()?
            .extract()
            .shape()?;
        self.sequence(&parsed, flags, true, 0)
    }

    /// A parsed sub-pattern; `tail` when nothing in the pattern can follow it.
    fn sequence(
        &mut self,
        sub: &Bound<'_, PyAny>,
        flags: u32,
        tail: bool,
        depth: usize,
    ) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::Unsupported);
        }
        let data = sub.getattr("data").shape()?;
        let items: Vec<Bound<'_, PyAny>> = data.try_iter().shape()?.collect::<PyResult<_>>()?;
        let last = items.len().saturating_sub(1);
        for (i, item) in items.iter().enumerate() {
            let (op, arg): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract().shape()?;
            self.node(&name(&op)?, &arg, flags, tail && i == last, depth)?;
        }
        Ok(())
    }

    fn node(
        &mut self,
        op: &str,
        arg: &Bound<'_, PyAny>,
        flags: u32,
        tail: bool,
        depth: usize,
    ) -> Result<(), Stop> {
        if flags & LOCALE != 0 {
            return Err(Stop::Unsupported);
        }
        match op {
            "ANY" => {
                let set = if flags & DOTALL != 0 {
                    CodeSet::everything()
                } else {
                    CodeSet(vec![(10, 10)]).complement()
                };
                self.push_set(&set);
            }
            "LITERAL" | "NOT_LITERAL" | "IN" => {
                let item = char_item(op, arg)?;
                let ascii = flags & ASCII != 0;
                let set = if flags & IGNORECASE != 0 {
                    item.folded(self.py, ascii)?
                } else {
                    item.set(self.py, ascii)?
                };
                self.push_set(&set);
            }
            "AT" => {
                let anchor = self.anchor(&name(arg)?, flags, tail)?;
                self.push(anchor);
            }
            "BRANCH" => {
                let (_, branches): (Bound<'_, PyAny>, Vec<Bound<'_, PyAny>>) =
                    arg.extract().shape()?;
                self.push("(?:");
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.push("|");
                    }
                    self.sequence(branch, flags, tail, depth + 1)?;
                }
                self.push(")");
            }
            "SUBPATTERN" => {
                let (_, add, remove, sub): (Bound<'_, PyAny>, u32, u32, Bound<'_, PyAny>) =
                    arg.extract().shape()?;
                let mut inner = flags;
                if add & TYPE_FLAGS != 0 {
                    inner &= !TYPE_FLAGS;
                }
                self.push("(?:");
                self.sequence(&sub, (inner | add) & !remove, tail, depth + 1)?;
                self.push(")");
            }
            "MAX_REPEAT" | "MIN_REPEAT" => {
                // laziness cannot change whether a match exists
                let (min, max, sub): (u64, u64, Bound<'_, PyAny>) = arg.extract().shape()?;
                self.push("(?:");
                // a `$` in a part that can repeat may have more of the pattern after it
                self.sequence(&sub, flags, tail && max <= 1, depth + 1)?;
                let bound = if max >= self.unbounded {
                    String::new()
                } else {
                    max.to_string()
                };
                self.push(&format!("){{{min},{bound}}}"));
            }
            _ => return Err(Stop::Unsupported),
        }
        Ok(())
    }

    fn anchor(&mut self, at: &str, flags: u32, tail: bool) -> Result<&'static str, Stop> {
        let multiline = flags & MULTILINE != 0;
        let ascii = flags & ASCII != 0;
        Ok(match at {
            "AT_BEGINNING" if multiline => "(?m:^)",
            "AT_BEGINNING" | "AT_BEGINNING_STRING" => r"\A",
            "AT_BEGINNING_LINE" => "(?m:^)",
            "AT_END" if multiline => "(?m:$)",
            "AT_END_LINE" => "(?m:$)",
            // nothing after it: taking the final newline in changes no answer
            "AT_END" if tail => r"(?:\n?\z)",
            "AT_END" => {
                self.needs.no_final_newline = true;
                r"\z"
            }
            "AT_END_STRING" => r"\z",
            "AT_BOUNDARY" => {
                self.ascii_only |= !ascii;
                r"(?-u:\b)"
            }
            "AT_NON_BOUNDARY" => {
                self.ascii_only = true;
                self.needs.nonempty = true;
                r"(?-u:\B)"
            }
            _ => return Err(Stop::Unsupported),
        })
    }
}

/// The name of one of the parser's opcode constants (`LITERAL`, `AT_END`, ...).
fn name(op: &Bound<'_, PyAny>) -> Result<String, Stop> {
    op.getattr("name").shape()?.extract().shape()
}

fn char_item(op: &str, arg: &Bound<'_, PyAny>) -> Result<CharItem, Stop> {
    match op {
        "LITERAL" | "NOT_LITERAL" => Ok(CharItem {
            negate: op == "NOT_LITERAL",
            items: vec![Item::Point(arg.extract().shape()?)],
        }),
        _ => {
            let mut item = CharItem {
                negate: false,
                items: Vec::new(),
            };
            for entry in arg.try_iter().shape()? {
                let (op, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = entry?.extract().shape()?;
                match name(&op)?.as_str() {
                    "NEGATE" => item.negate = true,
                    "LITERAL" => item.items.push(Item::Point(value.extract().shape()?)),
                    "RANGE" => {
                        let (lo, hi): (u32, u32) = value.extract().shape()?;
                        item.items.push(Item::Range(lo, hi));
                    }
                    "CATEGORY" => {
                        let (category, negated) = match name(&value)?.as_str() {
                            "CATEGORY_DIGIT" => (Category::Digit, false),
                            "CATEGORY_NOT_DIGIT" => (Category::Digit, true),
                            "CATEGORY_SPACE" => (Category::Space, false),
                            "CATEGORY_NOT_SPACE" => (Category::Space, true),
                            "CATEGORY_WORD" => (Category::Word, false),
                            "CATEGORY_NOT_WORD" => (Category::Word, true),
                            _ => return Err(Stop::Unsupported),
                        };
                        item.items.push(Item::Class(category, negated));
                    }
                    _ => return Err(Stop::Unsupported),
                }
            }
            Ok(item)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let a = CodeSet::new(vec![(5, 9), (0, 2), (3, 3), (20, 20)]);
        assert_eq!(a, CodeSet(vec![(0, 3), (5, 9), (20, 20)]));
        assert_eq!(
            a.complement(),
            CodeSet(vec![(4, 4), (10, 19), (21, MAX_POINT)])
        );
        assert_eq!(a.complement().complement(), a);
        let b = CodeSet(vec![(2, 6), (19, 30)]);
        assert_eq!(a.intersect(&b), CodeSet(vec![(2, 3), (5, 6), (20, 20)]));
        assert_eq!(a.minus(&b), CodeSet(vec![(0, 1), (7, 9)]));
        assert_eq!(
            CodeSet(vec![(0xD000, 0xE000)]).scalars(),
            CodeSet(vec![(0xD000, 0xD7FF), (0xE000, 0xE000)])
        );
    }

    #[test]
    fn class_syntax() {
        let mut out = String::new();
        CodeSet(vec![(0x61, 0x61)]).write(&mut out, false);
        CodeSet(vec![(0x30, 0x39), (0x5F, 0x5F)]).write(&mut out, false);
        CodeSet::default().write(&mut out, false);
        CodeSet(vec![(0xD800, 0xDFFF)]).write(&mut out, false);
        assert_eq!(
            out,
            r"\x{61}[\x{30}-\x{39}\x{5F}][^\x{0}-\x{10FFFF}][^\x{0}-\x{10FFFF}]"
        );
        assert!(regex::Regex::new(&out).is_ok());
        let mut ascii = String::from("(?-u)");
        CodeSet::default().write(&mut ascii, true);
        CodeSet(vec![(0x41, 0x42)]).write(&mut ascii, true);
        let ascii = regex::bytes::Regex::new(&ascii).unwrap();
        assert!(!ascii.is_match(b"\x00\x7FAB"));
    }

    #[test]
    fn needs() {
        let all = Needs {
            nonempty: true,
            no_final_newline: true,
        };
        assert!(all.hold("ab"));
        assert!(!all.hold(""));
        assert!(all.hold("é"));
        assert!(!all.hold("a\n"));
        assert!(Needs::default().hold(""));
    }
}
