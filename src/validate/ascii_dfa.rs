//! `pattern` on ASCII text through a fully built DFA: a table walk per byte, no lazy
//! automaton to consult or cache to borrow. Built only when small; otherwise (and whenever the
//! DFA gives up on an input) the `regex` crate's engine answers.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::syntax;
use regex_automata::Input;

/// Byte budgets for building: a pattern whose DFA would be larger keeps the lazy engine.
const DFA_BYTES: usize = 1 << 20;
const DETERMINIZE_BYTES: usize = 1 << 21;

/// The ASCII translation of a pattern, searched as `regex::bytes::Regex::is_match` does (the
/// DFA boxed: inline it would make every validator enum value ~1 KiB).
pub(crate) struct AsciiMatcher {
    dfa: Option<Box<dense::DFA<Vec<u32>>>>,
    regex: regex::bytes::Regex,
}

impl AsciiMatcher {
    /// `regex` compiled from `source`, and a DFA of the same source with the same syntax.
    pub(crate) fn new(source: &str) -> Option<Self> {
        let regex = regex::bytes::Regex::new(source).ok()?;
        let dfa = dense::Builder::new()
            .configure(
                dense::DFA::config()
                    .dfa_size_limit(Some(DFA_BYTES))
                    .determinize_size_limit(Some(DETERMINIZE_BYTES)),
            )
            // as `regex::bytes::Regex::new`: Unicode-aware syntax, matches need not be UTF-8
            .syntax(syntax::Config::new().utf8(false))
            .build(source)
            .ok()
            .map(Box::new);
        Some(AsciiMatcher { dfa, regex })
    }

    /// Is there a match anywhere in `text`?
    #[inline]
    pub(crate) fn is_match(&self, text: &[u8]) -> bool {
        if let Some(dfa) = &self.dfa {
            if let Ok(found) = dfa.try_search_fwd(&Input::new(text).earliest(true)) {
                return found.is_some();
            }
        }
        self.regex.is_match(text)
    }

    /// The regex source (for the tests that read the translation).
    pub(crate) fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}
