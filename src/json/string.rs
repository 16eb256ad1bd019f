//! JSON string literals, exactly as Python's `json.dumps(s, ensure_ascii=False)` writes them.
//!
//! The bytes that need an escape (`"`, `\` and the control characters below 0x20) are looked
//! for 16 at a time while the clean bytes are copied in the same pass: SSE2 on x86_64 (every
//! x86_64 CPU has it), two 64-bit words elsewhere. Bytes of 0x80 and above (UTF-8 sequences)
//! and 0x7f are copied as they are. Both ways give the same output; a test holds them to it.

/// Bytes looked at (and copied) per step.
const CHUNK: usize = 16;

/// Room kept past what is written: a whole chunk is stored at a time (a tail shorter than a
/// chunk is stored as one too), an escape as 8 bytes of which 2 or 6 count.
const SLACK: usize = CHUNK + 8;

/// The escape of each byte, stored whole: bytes 0..6 are the text, byte 7 its length (0: the
/// byte is copied as it is).
static ESCAPES: [[u8; 8]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 8]; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = [
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[byte >> 4],
            HEX[byte & 0xf],
            0,
            6,
        ];
        byte += 1;
    }
    table[0x08] = [b'\\', b'b', 0, 0, 0, 0, 0, 2];
    table[0x09] = [b'\\', b't', 0, 0, 0, 0, 0, 2];
    table[0x0a] = [b'\\', b'n', 0, 0, 0, 0, 0, 2];
    table[0x0c] = [b'\\', b'f', 0, 0, 0, 0, 0, 2];
    table[0x0d] = [b'\\', b'r', 0, 0, 0, 0, 0, 2];
    table[b'"' as usize] = [b'\\', b'"', 0, 0, 0, 0, 0, 2];
    table[b'\\' as usize] = [b'\\', b'\\', 0, 0, 0, 0, 0, 2];
    table
};

#[inline(always)]
fn needs_escape(byte: u8) -> bool {
    ESCAPES[byte as usize][7] != 0
}

/// How 16 bytes are copied and checked in one step.
trait Chunks {
    /// Copy the 16 bytes at `src` to `dst`; bit `i` of the answer is set when byte `i` needs
    /// an escape (exactly those bits).
    ///
    /// # Safety
    /// 16 bytes must be readable at `src` and writable at `dst`.
    unsafe fn copy_flags(src: *const u8, dst: *mut u8) -> u32;
}

/// SSE2: one load, one store, three compares.
#[cfg(target_arch = "x86_64")]
struct Sse2;

#[cfg(target_arch = "x86_64")]
impl Chunks for Sse2 {
    #[inline(always)]
    unsafe fn copy_flags(src: *const u8, dst: *mut u8) -> u32 {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8, _mm_storeu_si128,
        };
        let v = _mm_loadu_si128(src.cast());
        _mm_storeu_si128(dst.cast(), v);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        // unsigned `v <= 0x1f`: the smaller of the two is `v` itself
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) as u32
    }
}

/// Any target: two 64-bit words, each byte tested without carries between bytes.
#[cfg(any(test, not(target_arch = "x86_64")))]
struct Words;

#[cfg(any(test, not(target_arch = "x86_64")))]
impl Chunks for Words {
    #[inline(always)]
    unsafe fn copy_flags(src: *const u8, dst: *mut u8) -> u32 {
        let low = src.cast::<u64>().read_unaligned();
        let high = src.add(8).cast::<u64>().read_unaligned();
        dst.cast::<u64>().write_unaligned(low);
        dst.add(8).cast::<u64>().write_unaligned(high);
        pack(word_flags(u64::from_le(low))) | pack(word_flags(u64::from_le(high))) << 8
    }
}

#[cfg(target_arch = "x86_64")]
type Native = Sse2;
#[cfg(not(target_arch = "x86_64"))]
type Native = Words;

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (little-endian) that needs an escape, and only those:
/// each test adds within the low seven bits of a byte, so no carry reaches its neighbour.
#[inline(always)]
fn word_flags(word: u64) -> u64 {
    let low = word & LOW7;
    // high bit clear exactly where the byte equals `byte`
    let equal = |byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        ((x & LOW7) + LOW7) | x
    };
    // high bit clear exactly where the byte is below 0x20 (bytes of 0x80 and above keep it)
    let control = (low + ONES * (0x80 - 0x20)) | word;
    !(equal(b'"') & equal(b'\\') & control) & HIGH
}

/// The eight high bits of `flags` as the low eight bits of the answer (byte `i` → bit `i`).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn pack(flags: u64) -> u32 {
    // one bit per byte at its bottom, gathered into the top byte by one multiply (every
    // partial product below bit 64 lands on its own bit: no carries)
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// Appends `s` as a JSON string literal, quotes included.
#[inline]
pub(crate) fn write_json_str(s: &str, out: &mut Vec<u8>) {
    write_json_bytes(s.as_bytes(), out);
}

/// `write_json_str` for bytes already known to be UTF-8 (an ASCII str's characters).
#[inline(always)]
pub(crate) fn write_json_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    write_with::<Native>(bytes, out);
}

#[inline(always)]
fn write_with<C: Chunks>(bytes: &[u8], out: &mut Vec<u8>) {
    let n = bytes.len();
    out.reserve(n + 2 + SLACK);
    // SAFETY: `n + 2 + SLACK` bytes are spare past `start`: the opening quote, then stores of
    // at most `n` bytes rounded up to whole chunks (see `clean_run`), then the closing quote.
    // Only what was written is counted in the length.
    unsafe {
        let start = out.len();
        let quote = out.as_mut_ptr().add(start);
        *quote = b'"';
        let dst = quote.add(1);
        let clean = if n < CHUNK {
            short_run(bytes, dst)
        } else {
            clean_run::<C>(bytes, 0, dst)
        };
        if clean == n {
            *dst.add(n) = b'"';
            out.set_len(start + n + 2);
        } else {
            out.set_len(start + 1 + clean);
            escape_rest::<C>(bytes, clean, out);
        }
    }
}

/// Copies the bytes of `bytes[from..]` to `dst` up to the first that needs an escape, and
/// returns where that is (`bytes.len()`: none does). Stores whole chunks, so up to 16 bytes
/// past the copied ones may be overwritten.
///
/// # Safety
/// `bytes.len() - from + CHUNK` bytes must be writable at `dst`.
#[inline(always)]
unsafe fn clean_run<C: Chunks>(bytes: &[u8], from: usize, dst: *mut u8) -> usize {
    let n = bytes.len();
    let src = bytes.as_ptr();
    let mut at = from;
    while at + CHUNK <= n {
        let flags = C::copy_flags(src.add(at), dst.add(at - from));
        if flags != 0 {
            return at + flags.trailing_zeros() as usize;
        }
        at += CHUNK;
    }
    let rest = n - at;
    if rest == 0 {
        return n;
    }
    if n < CHUNK {
        // no whole chunk to read back from: one byte at a time (a short string's tail)
        while at < n {
            let byte = *src.add(at);
            if needs_escape(byte) {
                return at;
            }
            *dst.add(at - from) = byte;
            at += 1;
        }
        return n;
    }
    // the last 16 bytes of the input, through a scratch buffer so that only the `rest` new ones
    // land (the bytes before `dst` may be an escape just written)
    let mut scratch = [0u8; 2 * CHUNK];
    let flags = C::copy_flags(src.add(n - CHUNK), scratch.as_mut_ptr()) >> (CHUNK - rest);
    std::ptr::copy_nonoverlapping(
        scratch.as_ptr().add(CHUNK - rest),
        dst.add(at - from),
        CHUNK,
    );
    if flags != 0 {
        at + flags.trailing_zeros() as usize
    } else {
        n
    }
}

/// `clean_run` from the start of a string shorter than a chunk: the bytes read as two
/// overlapping words (a byte loop below four), every one copied.
///
/// # Safety
/// `n + 8` bytes must be writable at `dst`.
#[inline(always)]
unsafe fn short_run(bytes: &[u8], dst: *mut u8) -> usize {
    let n = bytes.len();
    let src = bytes.as_ptr();
    if n >= 8 {
        let head = src.cast::<u64>().read_unaligned();
        let tail = src.add(n - 8).cast::<u64>().read_unaligned();
        dst.cast::<u64>().write_unaligned(head);
        dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        let (head, tail) = (
            word_flags(u64::from_le(head)),
            word_flags(u64::from_le(tail)),
        );
        if head != 0 {
            return (head.trailing_zeros() / 8) as usize;
        }
        if tail != 0 {
            return n - 8 + (tail.trailing_zeros() / 8) as usize;
        }
        return n;
    }
    if n >= 4 {
        let head = src.cast::<u32>().read_unaligned();
        let tail = src.add(n - 4).cast::<u32>().read_unaligned();
        dst.cast::<u32>().write_unaligned(head);
        dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        let both = u64::from(u32::from_le(head)) | u64::from(u32::from_le(tail)) << 32;
        let flags = word_flags(both);
        if flags == 0 {
            return n;
        }
        let byte = (flags.trailing_zeros() / 8) as usize;
        // bytes 4..8 of the word are bytes n-4..n of the string
        return if byte < 4 { byte } else { byte - 4 + n - 4 };
    }
    for at in 0..n {
        let byte = *src.add(at);
        if needs_escape(byte) {
            return at;
        }
        *dst.add(at) = byte;
    }
    n
}

/// The rest of a literal from `at`, a byte that needs an escape, with `out` holding the
/// opening quote and the clean bytes before it.
#[inline(never)]
fn escape_rest<C: Chunks>(bytes: &[u8], mut at: usize, out: &mut Vec<u8>) {
    let n = bytes.len();
    loop {
        out.reserve(n - at + 1 + SLACK);
        // SAFETY: the escape stores 8 bytes and the clean run at most `n - at - 1` bytes plus
        // a chunk; the closing quote one more: all inside what was just reserved.
        unsafe {
            let base = out.as_mut_ptr();
            let mut len = out.len();
            let escape = ESCAPES[bytes[at] as usize];
            base.add(len).cast::<[u8; 8]>().write_unaligned(escape);
            len += escape[7] as usize;
            at += 1;
            let end = clean_run::<C>(bytes, at, base.add(len));
            len += end - at;
            at = end;
            if at == n {
                *base.add(len) = b'"';
                out.set_len(len + 1);
                return;
            }
            out.set_len(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal written one byte at a time from the table.
    fn reference(bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &byte in bytes {
            let escape = ESCAPES[byte as usize];
            match escape[7] {
                0 => out.push(byte),
                len => out.extend_from_slice(&escape[..len as usize]),
            }
        }
        out.push(b'"');
        out
    }

    fn written<C: Chunks>(bytes: &[u8], prefix: &[u8]) -> Vec<u8> {
        let mut out = prefix.to_vec();
        write_with::<C>(bytes, &mut out);
        out
    }

    fn check(bytes: &[u8]) {
        let mut expected = b"[1,".to_vec();
        expected.extend_from_slice(&reference(bytes));
        assert_eq!(written::<Words>(bytes, b"[1,"), expected, "{bytes:?}");
        assert_eq!(written::<Native>(bytes, b"[1,"), expected, "{bytes:?}");
    }

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn the_table_matches_python() {
        assert_eq!(reference(b"a\"b\\c\n\t\r\x08\x0c\x00\x1f\x7f\xc3\xa9"), {
            let mut want = b"\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0000\\u001f".to_vec();
            want.extend_from_slice(b"\x7f\xc3\xa9\"");
            want
        });
        for byte in 0..=255u8 {
            assert_eq!(
                needs_escape(byte),
                byte < 0x20 || byte == b'"' || byte == b'\\'
            );
        }
    }

    #[test]
    fn simd_and_word_chunks_flag_the_same_bytes() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let specials = [b'"', b'\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xff, b'a'];
        for round in 0..200_000 {
            let mut chunk = [0u8; CHUNK];
            for byte in chunk.iter_mut() {
                let r = rng.next();
                // half the rounds draw from the edges of the classes, half from all bytes
                *byte = if round % 2 == 0 {
                    specials[(r % specials.len() as u64) as usize]
                } else {
                    r as u8
                };
            }
            let expected: u32 = (0..CHUNK)
                .filter(|&i| needs_escape(chunk[i]))
                .map(|i| 1 << i)
                .sum();
            let mut copy = [0u8; CHUNK];
            // SAFETY: 16 bytes each
            let words = unsafe { Words::copy_flags(chunk.as_ptr(), copy.as_mut_ptr()) };
            assert_eq!(words, expected, "{chunk:?}");
            assert_eq!(copy, chunk);
            let native = unsafe { Native::copy_flags(chunk.as_ptr(), copy.as_mut_ptr()) };
            assert_eq!(native, expected, "{chunk:?}");
        }
    }

    #[test]
    fn random_strings_are_written_alike_both_ways() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let alphabet = [
            b'a', b'z', b'"', b'\\', b'\n', 0x01, 0x1f, 0x7f, 0xc3, 0xa9, b' ',
        ];
        for _ in 0..50_000 {
            let len = (rng.next() % 80) as usize;
            let clean_odds = rng.next() % 64 + 1;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = rng.next();
                    if r % clean_odds != 0 {
                        b'x'
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            check(&bytes);
        }
    }

    #[test]
    fn escapes_at_every_position_across_chunk_boundaries() {
        for len in 0..70usize {
            check(&vec![b'k'; len]);
            for at in 0..len {
                for bad in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = vec![b'k'; len];
                    bytes[at] = bad;
                    check(&bytes);
                    if bad != b'\\' {
                        continue;
                    }
                    // and a second escape at every later position
                    for second in at + 1..len {
                        let mut two = bytes.clone();
                        two[second] = b'"';
                        check(&two);
                    }
                }
            }
        }
    }

    #[test]
    fn long_runs_and_growth() {
        // escapes far apart in a string longer than the initial capacity of `out`
        let mut bytes = vec![b'x'; 100_000];
        for at in (0..bytes.len()).step_by(4_093) {
            bytes[at] = 0x02;
        }
        check(&bytes);
        check(&vec![b'"'; 5_000]);
        check("é".repeat(3_000).as_bytes());
    }
}
