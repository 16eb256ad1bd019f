//! The token reader of the streaming JSON path. The common tokens (structure, strings without
//! escapes, plain integers and decimals) are read here; everything else (escapes, exponents,
//! long numbers, skipped and generic subtrees) is handed to jiter at the current position, so
//! what counts as valid JSON, and every value, is jiter's. An error carries no text: the caller
//! asks jiter for the message by parsing the whole input (`error_message`).

use jiter::{Jiter, JsonValue, NumberAny, NumberInt, Peek};

/// What an object holds next: the key the caller expected, another key, or its end.
pub(crate) enum Key<'s> {
    Expected,
    Other(&'s str),
    End,
}

/// A number `Scan::plain_number` read, or `Other`: one to leave to jiter.
pub(crate) enum Number {
    Int(i64),
    Float(f64),
    Other,
}

/// The input is not valid JSON (the message comes from `error_message`).
#[derive(Debug)]
pub(crate) struct ScanError;

type R<T> = Result<T, ScanError>;

/// Where the last string read lives: in the input, or decoded into the scanner's buffer.
enum Text<'j> {
    Input(&'j str),
    Buffer,
}

/// `Text` before the UTF-8 check: the string's bytes in the input, or the decoded buffer.
enum Raw<'j> {
    Input(&'j [u8]),
    Buffer,
}

pub(crate) struct Scan<'j> {
    data: &'j [u8],
    pos: usize,
    /// Strings with escapes, decoded into this buffer (UTF-8 once `string` checked it).
    buffer: Vec<u8>,
}

impl<'j> Scan<'j> {
    pub(crate) fn new(data: &'j [u8]) -> Self {
        Scan {
            data,
            pos: 0,
            buffer: Vec::new(),
        }
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        let mut pos = self.pos;
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.data.get(pos) {
            pos += 1;
        }
        self.pos = pos;
    }

    /// The first byte of the next value (whitespace skipped), not consumed.
    #[inline]
    pub(crate) fn peek(&mut self) -> R<Peek> {
        self.skip_whitespace();
        self.data
            .get(self.pos)
            .map(|b| Peek::new(*b))
            .ok_or(ScanError)
    }

    pub(crate) fn current_index(&self) -> usize {
        self.pos
    }

    /// Move to `index` (just past a token the caller read itself).
    pub(crate) fn set_index(&mut self, index: usize) {
        self.pos = index.min(self.data.len());
    }

    pub(crate) fn slice_to_current(&self, start: usize) -> &'j [u8] {
        &self.data[start..self.pos]
    }

    /// Only whitespace may follow the document.
    pub(crate) fn finish(&mut self) -> R<()> {
        self.skip_whitespace();
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(ScanError)
        }
    }

    fn literal(&mut self, word: &[u8]) -> R<()> {
        if self.data[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(ScanError)
        }
    }

    pub(crate) fn known_null(&mut self) -> R<()> {
        self.literal(b"null")
    }

    pub(crate) fn known_bool(&mut self, peek: Peek) -> R<bool> {
        if peek == Peek::True {
            self.literal(b"true").map(|()| true)
        } else if peek == Peek::False {
            self.literal(b"false").map(|()| false)
        } else {
            Err(ScanError)
        }
    }

    /// A string at the current position (its opening quote), and whether it is all ASCII.
    #[inline(always)] // its callers are the entry points: one call per string
    fn string(&mut self) -> R<(Text<'j>, bool)> {
        match self.string_bytes()? {
            // SAFETY: every byte is ASCII, so the slice is valid UTF-8.
            (Raw::Input(bytes), true) => Ok((
                Text::Input(unsafe { std::str::from_utf8_unchecked(bytes) }),
                true,
            )),
            (Raw::Input(bytes), false) => std::str::from_utf8(bytes)
                .map(|text| (Text::Input(text), false))
                .map_err(|_| ScanError),
            (Raw::Buffer, true) => Ok((Text::Buffer, true)),
            (Raw::Buffer, false) => match std::str::from_utf8(&self.buffer) {
                Ok(_) => Ok((Text::Buffer, false)),
                Err(_) => Err(ScanError),
            },
        }
    }

    /// `string` without the UTF-8 check of non-ASCII text (for a caller whose decoder checks
    /// it anyway): the bytes in the input, or (with escapes) decoded into the buffer.
    #[inline(always)]
    fn string_bytes(&mut self) -> R<(Raw<'j>, bool)> {
        let data = self.data;
        let start = self.pos + 1;
        let (end, ascii) = plain_run(data, start);
        match data.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                Ok((Raw::Input(&data[start..end]), ascii))
            }
            Some(b'\\') => self
                .string_escaped(start, end, ascii)
                .map(|ascii| (Raw::Buffer, ascii)),
            // a control character, or the input ends inside the string
            _ => Err(ScanError),
        }
    }

    /// A string with escapes, decoded into the buffer: `data[start..at]` is plain, `at` is the
    /// first backslash. The common escapes are decoded here; anything else (a surrogate in a
    /// `\u` escape, an escape JSON does not have, a control character) hands the whole string
    /// to jiter, which decodes or refuses it. Returns whether the text is all ASCII.
    #[inline(never)]
    fn string_escaped(&mut self, start: usize, mut at: usize, mut ascii: bool) -> R<bool> {
        let data = self.data;
        self.buffer.clear();
        self.buffer.extend_from_slice(&data[start..at]);
        loop {
            // `at` is a backslash
            match data.get(at + 1) {
                Some(b'u') => {
                    let Some(c) = data.get(at + 2..at + 6).and_then(hex_char) else {
                        return self.string_by_jiter();
                    };
                    let mut encoded = [0u8; 4];
                    self.buffer
                        .extend_from_slice(c.encode_utf8(&mut encoded).as_bytes());
                    ascii &= c.is_ascii();
                    at += 6;
                }
                Some(&escape) => {
                    let byte = match escape {
                        b'"' | b'\\' | b'/' => escape,
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        _ => return self.string_by_jiter(),
                    };
                    self.buffer.push(byte);
                    at += 2;
                }
                None => return self.string_by_jiter(),
            }
            let (end, plain) = plain_run(data, at);
            ascii &= plain;
            self.buffer.extend_from_slice(&data[at..end]);
            match data.get(end) {
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(ascii);
                }
                Some(b'\\') => at = end,
                _ => return self.string_by_jiter(),
            }
        }
    }

    /// A string jiter decodes (or refuses) from its opening quote at the current position.
    #[cold]
    fn string_by_jiter(&mut self) -> R<bool> {
        let data = self.data;
        let mut sub = Jiter::new(&data[self.pos..]);
        let text = sub.known_str().map_err(|_| ScanError)?;
        self.buffer.clear();
        self.buffer.extend_from_slice(text.as_bytes());
        self.pos += sub.current_index();
        Ok(false)
    }

    fn text(&self, text: Text<'j>) -> &str {
        match text {
            Text::Input(text) => text,
            // SAFETY: `string` checked the buffer (or knows it is ASCII) before saying Buffer
            Text::Buffer => unsafe { std::str::from_utf8_unchecked(&self.buffer) },
        }
    }

    pub(crate) fn known_str(&mut self) -> R<&str> {
        let (text, _) = self.string()?;
        Ok(self.text(text))
    }

    /// A string's UTF-8 bytes and whether they are all ASCII, the non-ASCII ones not checked:
    /// the caller must decode them with a checking decoder (`cpython::decoded_str`).
    #[inline]
    pub(crate) fn known_str_bytes(&mut self) -> R<(&[u8], bool)> {
        match self.string_bytes()? {
            (Raw::Input(bytes), ascii) => Ok((bytes, ascii)),
            (Raw::Buffer, ascii) => Ok((&self.buffer, ascii)),
        }
    }

    /// As `known_str`, with whether the text is all ASCII (`false` may still be ASCII: a
    /// string with escapes is not looked at again).
    #[inline]
    pub(crate) fn known_str_ascii(&mut self) -> R<(&str, bool)> {
        let (text, ascii) = self.string()?;
        Ok((self.text(text), ascii))
    }

    /// A number: plain integers (up to 18 digits) and plain decimals here, the rest by jiter.
    /// Inlined: the caller's match on the result then folds into the reading (no `NumberAny`
    /// passed through memory).
    #[inline(always)]
    pub(crate) fn known_number(&mut self, peek: Peek) -> R<NumberAny> {
        match self.plain_number() {
            Number::Int(value) => Ok(NumberAny::Int(NumberInt::Int(value))),
            Number::Float(value) => Ok(NumberAny::Float(value)),
            Number::Other => self.number_by_jiter(peek),
        }
    }

    /// A plain integer (up to 18 digits) or a plain decimal (no exponent, 24 characters at
    /// most) at the current position, read and stepped over; `Number::Other` for anything
    /// else (the position unchanged: jiter reads it, or says why it is not a number). The
    /// digits are summed as they are scanned (wrapping: a run too long for the sum to be exact
    /// is left to jiter or to a full parse anyway).
    #[inline(always)]
    pub(crate) fn plain_number(&mut self) -> Number {
        let data = self.data;
        let start = self.pos;
        let mut end = start;
        let negative = data.get(end) == Some(&b'-');
        if negative {
            end += 1;
        }
        let digits_start = end;
        let mut value: u64 = 0;
        match data.get(end) {
            Some(b'0') => end += 1,
            Some(b'1'..=b'9') => end = digits(data, end, &mut value),
            _ => return Number::Other,
        }
        let digits_end = end;
        let mut decimal = false;
        if data.get(end) == Some(&b'.') {
            end = digits(data, end + 1, &mut value);
            if end == digits_end + 1 {
                return Number::Other;
            }
            decimal = true;
        }
        if let Some(b'e' | b'E') = data.get(end) {
            return Number::Other;
        }
        if decimal {
            if end - start > 24 {
                return Number::Other;
            }
            let fraction = end - digits_end - 1;
            let value = match exact_decimal(value, digits_end - digits_start + fraction, fraction) {
                Some(value) if negative => -value,
                Some(value) => value,
                None => {
                    // SAFETY: sign, digits and a dot are ASCII.
                    let text = unsafe { std::str::from_utf8_unchecked(&data[start..end]) };
                    // Rust's parse is correctly rounded, as jiter's (lexical) is: the same float
                    match text.parse() {
                        Ok(value) => value,
                        Err(_) => return Number::Other,
                    }
                }
            };
            self.pos = end;
            return Number::Float(value);
        }
        if digits_end - digits_start > 18 {
            return Number::Other;
        }
        // at most 18 digits: below 10^18, so exact and within i64
        let value = value as i64;
        self.pos = end;
        Number::Int(if negative { -value } else { value })
    }

    /// A number jiter reads (or refuses) at the current position.
    #[cold]
    pub(crate) fn number_by_jiter(&mut self, peek: Peek) -> R<NumberAny> {
        let data = self.data;
        let mut sub = Jiter::new(&data[self.pos..]);
        let number = sub.known_number(peek).map_err(|_| ScanError)?;
        self.pos += sub.current_index();
        Ok(number)
    }

    /// At a key (its opening quote): when the input holds exactly `expected` here (a key
    /// encoded as the writer encodes it, colon included: `"name":`), step over it and say so.
    /// Keys usually come in declaration order and plain, so this spares decoding the key and
    /// looking it up; anything else (escapes, space before the colon) takes the general path.
    #[inline]
    fn expected_key(&mut self, expected: &[u8]) -> bool {
        let rest = &self.data[self.pos..];
        if rest.len() >= expected.len()
            && crate::json::write::same_bytes(&rest[..expected.len()], expected)
        {
            self.pos += expected.len();
            true
        } else {
            false
        }
    }

    /// `{` at the current position: `Key::Expected` when the first key is `expected` (see
    /// `expected_key`), else the key, or `Key::End` for `{}`.
    pub(crate) fn known_object_expecting(&mut self, expected: &[u8]) -> R<Key<'_>> {
        self.pos += 1;
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b'}') => {
                self.pos += 1;
                Ok(Key::End)
            }
            Some(b'"') if self.expected_key(expected) => Ok(Key::Expected),
            Some(b'"') => self.key().map(Key::Other),
            _ => Err(ScanError),
        }
    }

    /// After a member's value: as `known_object_expecting`, for the next key. The shapes a
    /// writer gives (a comma, at most one space, the expected key; or the closing brace) are
    /// matched here, inlined into the caller's loop; anything else takes `next_key_general`
    /// from the same place.
    #[inline(always)]
    pub(crate) fn next_key_expecting(&mut self, expected: &[u8]) -> R<Key<'_>> {
        let data = self.data;
        let mut at = self.pos;
        match data.get(at) {
            Some(b',') => {
                at += 1;
                if data.get(at) == Some(&b' ') {
                    at += 1;
                }
                // at a key's quote (`expected` may be a marker no key matches, such as `!`)
                if let (Some(b'"'), Some(rest)) = (data.get(at), data.get(at..at + expected.len()))
                {
                    if crate::json::write::same_bytes(rest, expected) {
                        self.pos = at + expected.len();
                        return Ok(Key::Expected);
                    }
                }
            }
            Some(b'}') => {
                self.pos = at + 1;
                return Ok(Key::End);
            }
            _ => {}
        }
        self.next_key_general(expected)
    }

    #[inline(never)]
    fn next_key_general(&mut self, expected: &[u8]) -> R<Key<'_>> {
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                match self.data.get(self.pos) {
                    Some(b'"') if self.expected_key(expected) => Ok(Key::Expected),
                    Some(b'"') => self.key().map(Key::Other),
                    _ => Err(ScanError),
                }
            }
            Some(b'}') => {
                self.pos += 1;
                Ok(Key::End)
            }
            _ => Err(ScanError),
        }
    }

    /// `{` at the current position: its first key, or `None` for `{}` (no key expected, as
    /// `known_object_expecting` has).
    #[inline(always)]
    pub(crate) fn known_object(&mut self) -> R<Option<&str>> {
        self.pos += 1;
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b'}') => {
                self.pos += 1;
                Ok(None)
            }
            Some(b'"') => self.key().map(Some),
            _ => Err(ScanError),
        }
    }

    /// After a member's value: the next key, or `None` at `}`.
    #[inline(always)]
    pub(crate) fn next_key(&mut self) -> R<Option<&str>> {
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                match self.data.get(self.pos) {
                    Some(b'"') => self.key().map(Some),
                    _ => Err(ScanError),
                }
            }
            Some(b'}') => {
                self.pos += 1;
                Ok(None)
            }
            _ => Err(ScanError),
        }
    }

    /// A key and its colon.
    #[inline(always)]
    fn key(&mut self) -> R<&str> {
        let (key, _) = self.string()?;
        self.skip_whitespace();
        if self.data.get(self.pos) != Some(&b':') {
            return Err(ScanError);
        }
        self.pos += 1;
        Ok(self.text(key))
    }

    /// `[` at the current position: the first item's peek, or `None` for `[]`.
    pub(crate) fn known_array(&mut self) -> R<Option<Peek>> {
        self.pos += 1;
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b']') => {
                self.pos += 1;
                Ok(None)
            }
            Some(byte) => Ok(Some(Peek::new(*byte))),
            None => Err(ScanError),
        }
    }

    /// After an item: the next item's peek, or `None` at `]`.
    pub(crate) fn array_step(&mut self) -> R<Option<Peek>> {
        self.skip_whitespace();
        match self.data.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.peek().map(Some)
            }
            Some(b']') => {
                self.pos += 1;
                Ok(None)
            }
            _ => Err(ScanError),
        }
    }

    /// Skip the value at the current position (jiter checks it).
    pub(crate) fn known_skip(&mut self, peek: Peek) -> R<()> {
        let data = self.data;
        let mut sub = Jiter::new(&data[self.pos..]);
        sub.known_skip(peek).map_err(|_| ScanError)?;
        self.pos += sub.current_index();
        Ok(())
    }

    /// The value at the current position as a tree (parsed by jiter).
    pub(crate) fn known_value(&mut self, peek: Peek) -> R<JsonValue<'j>> {
        let data = self.data;
        let mut sub = Jiter::new(&data[self.pos..]);
        let value = sub.known_value(peek).map_err(|_| ScanError)?;
        self.pos += sub.current_index();
        Ok(value)
    }
}

/// A high bit in each byte of `word` (little-endian) that may be a quote, a backslash, a
/// control character or non-ASCII: zero when none is. The lowest set bit is always a true one.
#[inline(always)]
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control | (word & HIGH)
}

/// Where the plain bytes of a string from `at` end (at a quote, a backslash, a control
/// character or the end of the input), and whether they are all ASCII. Sixteen bytes at a time
/// with SSE2 (x86_64), then eight at a time, then a flagged byte alone.
#[inline(always)]
fn plain_run(data: &[u8], mut end: usize) -> (usize, bool) {
    let mut ascii = true;
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = data.get(end..end + 16) {
        let (stops, high) = chunk_flags(chunk);
        // a byte above 0x7f before the first stop makes the string non-ASCII
        let before = if stops == 0 {
            u32::MAX
        } else {
            (1 << stops.trailing_zeros()) - 1
        };
        ascii &= high & before == 0;
        if stops != 0 {
            return (end + stops.trailing_zeros() as usize, ascii);
        }
        end += 16;
    }
    loop {
        if let Some(word) = data.get(end..end + 8) {
            let stop = special_bytes(u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]));
            if stop == 0 {
                end += 8;
                continue;
            }
            // the lowest flagged byte is exact (false flags only come above a true one)
            end += (stop.trailing_zeros() / 8) as usize;
        }
        match data.get(end) {
            Some(b'"' | b'\\') | None => return (end, ascii),
            Some(&byte) if byte < 0x20 => return (end, ascii),
            Some(&byte) => {
                ascii &= byte < 0x80;
                end += 1;
            }
        }
    }
}

/// For 16 bytes: a bit for each quote, backslash or control character, and a bit for each byte
/// above 0x7f.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn chunk_flags(chunk: &[u8]) -> (u32, u32) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    debug_assert!(chunk.len() >= 16);
    // SAFETY: 16 readable bytes (SSE2 is part of x86_64)
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let stops = _mm_or_si128(_mm_or_si128(quote, backslash), control);
        (_mm_movemask_epi8(stops) as u32, _mm_movemask_epi8(v) as u32)
    }
}

/// The character of the four hex digits of a `\u` escape, unless they are not four hex digits
/// or name a surrogate (jiter pairs or refuses those).
#[inline]
fn hex_char(digits: &[u8]) -> Option<char> {
    let mut code = 0u32;
    for &digit in digits {
        code = code << 4 | char::from(digit).to_digit(16)?;
    }
    char::from_u32(code)
}

/// Documents at least this large are parsed with the GIL released.
pub(crate) const PARSE_WITHOUT_GIL: usize = 1 << 20;

/// A whole document as a tree (the generic JSON path), or jiter's description of why it is
/// not valid JSON.
pub(crate) fn parse<'b>(py: pyo3::Python<'_>, bytes: &'b [u8]) -> Result<JsonValue<'b>, String> {
    let run = || JsonValue::parse(bytes, false).map_err(|e| e.description(bytes));
    if bytes.len() >= PARSE_WITHOUT_GIL {
        py.allow_threads(run)
    } else {
        run()
    }
}

/// Scan the digits from `at`, adding them to `value` (wrapping); where they end. Eight bytes
/// at a time while the input has them (the digits among them up to the first other byte
/// taken at once), then one at a time near the end of the input.
#[inline(always)]
fn digits(data: &[u8], mut at: usize, value: &mut u64) -> usize {
    const POWERS: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    // the first few one at a time: most numbers are short, and a digit costs less this way
    // than the eight-byte step below
    for _ in 0..3 {
        match data.get(at) {
            Some(&byte) if byte.is_ascii_digit() => {
                *value = value.wrapping_mul(10).wrapping_add(u64::from(byte - b'0'));
                at += 1;
            }
            _ => return at,
        }
    }
    while let Some(eight) = data.get(at..at + 8) {
        let word = u64::from_le_bytes([
            eight[0], eight[1], eight[2], eight[3], eight[4], eight[5], eight[6], eight[7],
        ]);
        let offsets = word.wrapping_sub(0x3030_3030_3030_3030);
        // a byte that is not a digit is below '0' (its high bit set after the subtraction) or
        // above '9' (its high bit set after adding 0x76); carries and borrows only start at
        // such a byte and move up, so the lowest flag is exact
        let others =
            (offsets | offsets.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080;
        if others == 0 {
            *value = value
                .wrapping_mul(100_000_000)
                .wrapping_add(eight_digits(offsets));
            at += 8;
            continue;
        }
        let run = (others.trailing_zeros() / 8) as usize;
        if run > 0 {
            // the run's digits moved to the top, zeros (digit 0) below them
            let top = offsets << (64 - 8 * run);
            *value = value
                .wrapping_mul(POWERS[run])
                .wrapping_add(eight_digits(top));
        }
        return at + run;
    }
    while let Some(&byte) = data.get(at) {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        *value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        at += 1;
    }
    at
}

/// The number written by eight digits, given as their values one per byte (the first digit,
/// the most significant, in the lowest byte): pairs, then fours, then all eight combined.
#[inline(always)]
fn eight_digits(offsets: u64) -> u64 {
    let pairs = (offsets.wrapping_mul(10) + (offsets >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    (fours.wrapping_mul(10_000) + (fours >> 32)) & 0xFFFF_FFFF
}

/// The decimal with the `count` digits `mantissa` (whole and fraction together), the last
/// `fraction` of them after the dot, as the nearest float, when that is one exact division: at
/// most 15 digits (an integer below 2^53, so exact as a float) over a power of ten up to 10^15
/// (exact too). IEEE division rounds correctly, so the result is the correctly rounded value,
/// the same as a full parse gives. `None`: the caller parses the text.
#[inline]
fn exact_decimal(mantissa: u64, count: usize, fraction: usize) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if count > 15 {
        return None;
    }
    Some(mantissa as f64 / *POWERS.get(fraction)?)
}

/// jiter's description of why `data` is not valid JSON.
pub(crate) fn error_message(data: &[u8]) -> String {
    match JsonValue::parse(data, false) {
        Err(err) => err.description(data),
        // the scanner and jiter disagree: never expected, but never a silent success
        Ok(_) => "invalid JSON".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::exact_decimal;

    /// Eight digits at a time sum as one at a time do, wherever a non-digit stops the run.
    #[test]
    fn digits_by_eight_agree_with_digits_by_one() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let mut text: Vec<u8> = (0..len)
                .map(|i| b'0' + ((state >> (i % 60)) % 10) as u8)
                .collect();
            if state % 3 == 0 && len > 0 {
                let at = (state >> 20) as usize % len;
                text[at] = [b'.', b'e', b'/', b':', b' ', 0xB0][(state >> 30) as usize % 6];
            }
            let (mut fast, mut slow) = (0u64, 0u64);
            let end = super::digits(&text, 0, &mut fast);
            let mut at = 0;
            while at < text.len() && text[at].is_ascii_digit() {
                slow = slow
                    .wrapping_mul(10)
                    .wrapping_add(u64::from(text[at] - b'0'));
                at += 1;
            }
            assert_eq!(
                (end, fast),
                (at, slow),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    /// Every decimal the fast path takes reads as the same float as a full parse.
    #[test]
    fn exact_decimals_equal_the_full_parse() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for _ in 0..200_000 {
            let whole_len = (next() % 9) as usize + 1;
            let fraction_len = (next() % 12) as usize + 1;
            let digit = |r: u64| b'0' + (r % 10) as u8;
            let whole: Vec<u8> = (0..whole_len).map(|_| digit(next())).collect();
            let fraction: Vec<u8> = (0..fraction_len).map(|_| digit(next())).collect();
            let text = format!(
                "{}.{}",
                std::str::from_utf8(&whole).unwrap(),
                std::str::from_utf8(&fraction).unwrap()
            );
            let mut mantissa = 0u64;
            super::digits(&[whole.as_slice(), &fraction].concat(), 0, &mut mantissa);
            let count = whole_len + fraction_len;
            if let Some(fast) = exact_decimal(mantissa, count, fraction_len) {
                let full: f64 = text.parse().unwrap();
                assert_eq!(fast.to_bits(), full.to_bits(), "{text}");
                checked += 1;
            } else {
                assert!(whole_len + fraction_len > 15, "{text}");
            }
        }
        assert!(checked > 100_000);
    }
}
