//! `pattern` on ASCII text through a fully built DFA. A small DFA is copied once more into a
//! byte table (`Table`): one load per input byte, no special-state test per byte. A larger DFA
//! is walked by `regex-automata`'s own search; without a DFA (too large to build, or one that
//! gives up on an input) the `regex` crate's engine answers.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, Input};

/// Byte budgets for building: a pattern whose DFA would be larger keeps the lazy engine.
const DFA_BYTES: usize = 1 << 20;
const DETERMINIZE_BYTES: usize = 1 << 21;

/// The ASCII translation of a pattern, searched as `regex::bytes::Regex::is_match` does (the
/// DFA boxed: inline it would make every validator enum value ~1 KiB).
pub(crate) struct AsciiMatcher {
    table: Option<Table>,
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
        let table = dfa.as_deref().and_then(Table::new);
        Some(AsciiMatcher { table, dfa, regex })
    }

    /// Is there a match anywhere in `text` (ASCII text: every position is a character
    /// boundary, so no empty match is set aside as splitting one)?
    #[inline]
    pub(crate) fn is_match(&self, text: &[u8]) -> bool {
        if let Some(table) = &self.table {
            return table.is_match(text);
        }
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

/// No match can start or end any more: the answer is no.
const DEAD: u8 = 0;
/// A match has been seen: the answer is yes, whatever follows.
const MATCHED: u8 = 1;
/// Bytes read between two looks at whether the walk has reached `DEAD` or `MATCHED`.
const STRIDE: usize = 16;

/// A DFA of at most 254 live states as `next[state * 256 + byte]` (one byte per entry), for
/// a search from the start of the text: the unanchored start state without look-behind, each
/// match state folded into `MATCHED` (only whether a match exists is asked) and each dead
/// state into `DEAD`. `None` for a DFA that is larger, or that can give up (a quit byte).
struct Table {
    next: Box<[u8]>,
    start: u8,
    /// Per state: does the end of the text make a match (the DFA's end-of-input transition)?
    at_end: Box<[bool]>,
}

impl Table {
    fn new(dfa: &dense::DFA<Vec<u32>>) -> Option<Self> {
        let config = start::Config::new()
            .anchored(Anchored::No)
            .look_behind(None);
        let first = dfa.start_state(&config).ok()?;
        // the DFA's states in the order they are reached; index + 2 is the table's id
        let mut order: Vec<StateID> = Vec::new();
        let mut id_of = std::collections::HashMap::new();
        let classify = |s: StateID,
                        order: &mut Vec<StateID>,
                        id_of: &mut std::collections::HashMap<StateID, u8>|
         -> Option<u8> {
            if dfa.is_quit_state(s) {
                return None;
            }
            if dfa.is_dead_state(s) {
                return Some(DEAD);
            }
            if dfa.is_match_state(s) {
                return Some(MATCHED);
            }
            if let Some(&id) = id_of.get(&s) {
                return Some(id);
            }
            let id = u8::try_from(order.len() + 2).ok()?;
            order.push(s);
            id_of.insert(s, id);
            Some(id)
        };
        let start = classify(first, &mut order, &mut id_of)?;
        let mut next = vec![DEAD; 2 * 256];
        next[usize::from(MATCHED) * 256..].fill(MATCHED);
        let mut at_end = vec![false, true];
        let mut done = 0;
        while done < order.len() {
            let state = order[done];
            done += 1;
            for byte in 0..=255u8 {
                let to = classify(dfa.next_state(state, byte), &mut order, &mut id_of)?;
                next.push(to);
            }
            at_end.push(dfa.is_match_state(dfa.next_eoi_state(state)));
        }
        Some(Table {
            next: next.into_boxed_slice(),
            start,
            at_end: at_end.into_boxed_slice(),
        })
    }

    #[inline]
    fn is_match(&self, text: &[u8]) -> bool {
        let mut state = self.start;
        for chunk in text.chunks(STRIDE) {
            for &byte in chunk {
                state = self.next[usize::from(state) << 8 | usize::from(byte)];
            }
            if state <= MATCHED {
                break;
            }
        }
        self.at_end[usize::from(state)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's answer is the DFA search's, on every short text over a pattern's bytes.
    #[test]
    fn table_agrees_with_the_dfa_search() {
        let patterns = [
            r"(?-u)\A[^@\s]+@[^@\s]+\.[A-Za-z]{2,}(?:\n?\z)",
            r"(?-u)a",
            r"(?-u)\Aa*\z",
            r"(?-u)(?:ab|b)c\z",
            r"(?-u)(?-u:\b)x(?-u:\b)",
            r"(?-u)(?-u:\B)",
            r"(?-u)(?m:^)b(?m:$)",
            r"(?-u)\A\z",
            r"(?-u)x{3,5}y",
        ];
        // ASCII only: the matcher is for ASCII text (where no empty match splits a character)
        let alphabet = b"ab@.x \nyzA\x7f";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for pattern in patterns {
            let matcher = AsciiMatcher::new(pattern).unwrap();
            let table = matcher.table.as_ref().expect("a small DFA has a table");
            let dfa = matcher.dfa.as_ref().unwrap();
            for _ in 0..20_000 {
                let len = (next() % 40) as usize;
                let text: Vec<u8> = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                let expected = dfa
                    .try_search_fwd(&Input::new(&text).earliest(true))
                    .unwrap()
                    .is_some();
                assert_eq!(table.is_match(&text), expected, "{pattern} {text:?}");
                assert_eq!(
                    matcher.regex.is_match(&text),
                    expected,
                    "{pattern} {text:?}"
                );
            }
        }
        for (text, expected) in [
            (&b"alice@example.com"[..], true),
            (b"alice@example.com\n", true),
            (b"alice@example.com\n\n", false),
            (b"alice@example.c", false),
            (b"a b@c.de", false),
            (b"", false),
        ] {
            let matcher = AsciiMatcher::new(patterns[0]).unwrap();
            assert_eq!(matcher.is_match(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_large_dfa_keeps_the_search() {
        // more than 254 states: no table, the DFA search answers
        let matcher = AsciiMatcher::new(r"(?-u)a[ab]{300}\z").unwrap();
        assert!(matcher.table.is_none());
        assert!(matcher.is_match(&[b'a'; 301]));
        assert!(!matcher.is_match(&[b'a'; 300]));
    }
}
