//! Python's `repr(float)` for finite values.
//!
//! ryu gives the shortest round-tripping digits (the same digits as Python's
//! `float_repr_style = 'short'`); they are then laid out per Python's rule:
//! scientific notation iff the decimal exponent is < -4 or >= 16.

use super::write::put_short;

/// Appends exactly what Python's `repr(value)` produces for a finite float.
/// The caller is responsible for `nan`/`inf` (they are not valid here; for
/// robustness they are written as `nan`, `inf`, `-inf`).
pub(crate) fn write_float_repr(value: f64, out: &mut Vec<u8>) {
    if write_short_decimal(value, out) {
        return;
    }
    let magnitude = value.abs();
    if (1e-4..1e16).contains(&magnitude) {
        // in this range ryu's shortest digits come out in fixed notation, as Python's repr
        if value.is_sign_negative() {
            out.push(b'-');
        }
        out.reserve(24);
        // SAFETY: ryu writes at most 24 bytes (reserved) and says how many; a finite value
        unsafe {
            let len = out.len();
            let written = ryu::raw::format64(magnitude, out.as_mut_ptr().add(len));
            out.set_len(len + written);
        }
        return;
    }
    write_float_general(value, out);
}

/// Values with at most four decimals (prices, scores, 1.5): `n / 10^k` for the smallest `k`
/// whose quotient is exactly `value` is its shortest round-tripping form, written without running
/// the general shortest-digits search. Returns false when the value is not of that kind.
fn write_short_decimal(value: f64, out: &mut Vec<u8>) -> bool {
    let magnitude = value.abs();
    if !(1e-4..1e15).contains(&magnitude) {
        return false;
    }
    let found = if magnitude < FOUR_PLACES_BELOW {
        four_places(magnitude)
    } else {
        fewest_places(magnitude)
    };
    let Some((digits, k)) = found else {
        return false;
    };
    let mut buffer = itoa::Buffer::new();
    let text = buffer.format(digits).as_bytes();
    if value.is_sign_negative() {
        out.push(b'-');
    }
    if k == 0 {
        put_short(out, text);
        out.extend_from_slice(b".0");
    } else if text.len() > k {
        let split = text.len() - k;
        put_short(out, &text[..split]);
        out.push(b'.');
        put_short(out, &text[split..]);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + (k - text.len()), b'0');
        out.extend_from_slice(text);
    }
    true
}

const SCALES: [f64; 5] = [1.0, 10.0, 100.0, 1000.0, 10000.0];

/// Below this, `magnitude * 10^4` is under 2^50: its rounding error (at most 1.5 ulp, 3/16)
/// cannot move it to another integer, so `four_places` finds what `fewest_places` finds.
const FOUR_PLACES_BELOW: f64 = (1u64 << 50) as f64 / 10000.0;

/// `fewest_places` with one scaling and one division: `round(m * 10^4)` is `n * 10^(4-k)` exactly
/// when `m` is `n / 10^k` (see `FOUR_PLACES_BELOW`), and the trailing zeros give `k` back.
#[inline]
fn four_places(magnitude: f64) -> Option<(u64, usize)> {
    let scaled = magnitude * 10000.0;
    // in [1, 2^50): the signed conversions are single instructions (the unsigned ones are not
    // on baseline x86_64) and exact here
    let truncated = scaled as i64;
    let digits = truncated + i64::from(scaled - truncated as f64 >= 0.5);
    if digits as f64 / 10000.0 != magnitude {
        return None;
    }
    let mut digits = digits.unsigned_abs();
    let mut k = 4;
    while k > 0 && digits.is_multiple_of(10) {
        digits /= 10;
        k -= 1;
    }
    Some((digits, k))
}

/// The smallest `k <= 4` with `round(m * 10^k) / 10^k == m`, and that integer.
fn fewest_places(magnitude: f64) -> Option<(u64, usize)> {
    for (k, scale) in SCALES.iter().enumerate() {
        let scaled = magnitude * scale;
        if scaled >= 9.0e15 {
            return None;
        }
        // `scaled.round()` without the libm call it is on baseline x86_64: below 2^53 the
        // fraction `scaled - truncated` is exact, so this is round-half-away-from-zero too
        let truncated = scaled as u64;
        let digits = truncated + u64::from(scaled - truncated as f64 >= 0.5);
        // division by an exact power of ten is correctly rounded: equality means the decimal
        // string n / 10^k reads back as exactly this value
        if digits as f64 / scale == magnitude {
            return Some((digits, k));
        }
    }
    None
}

/// Python's layout rules applied to ryu's digits, for every finite value.
fn write_float_general(value: f64, out: &mut Vec<u8>) {
    if !value.is_finite() {
        let text: &[u8] = if value.is_nan() {
            b"nan"
        } else if value > 0.0 {
            b"inf"
        } else {
            b"-inf"
        };
        out.extend_from_slice(text);
        return;
    }
    if value.is_sign_negative() {
        out.push(b'-');
    }
    if value == 0.0 {
        out.extend_from_slice(b"0.0");
        return;
    }

    let mut buffer = ryu::Buffer::new();
    let formatted = buffer.format_finite(value.abs()).as_bytes();

    // Decompose ryu's output (`1.5`, `0.001`, `1e16`, `1.2345e-7`, ...) into
    // significant digits and a decimal point position `point`, such that
    // value == 0.DIGITS * 10^point.
    let (mantissa, exp) = match formatted.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (&formatted[..i], parse_exponent(&formatted[i + 1..])),
        None => (formatted, 0),
    };
    let mut digits = [0u8; 32];
    let mut n = 0usize;
    let mut int_digits = 0i32;
    let mut seen_point = false;
    for &c in mantissa {
        if c == b'.' {
            seen_point = true;
            continue;
        }
        if n == 0 && c == b'0' {
            // leading zero: shifts the point left if after the '.'
            if seen_point {
                int_digits -= 1;
            }
            continue;
        }
        if n < digits.len() {
            digits[n] = c;
            n += 1;
        }
        if !seen_point {
            int_digits += 1;
        }
    }
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    let digits = &digits[..n];
    let point = int_digits + exp;
    let exponent = point - 1;

    if !(-4..16).contains(&exponent) {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        let abs = exponent.unsigned_abs();
        if abs < 10 {
            out.push(b'0');
        }
        let mut itoa_buf = itoa::Buffer::new();
        out.extend_from_slice(itoa_buf.format(abs).as_bytes());
    } else if point <= 0 {
        out.extend_from_slice(b"0.");
        for _ in 0..-point {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
    } else {
        let point = point as usize;
        if point >= digits.len() {
            out.extend_from_slice(digits);
            for _ in digits.len()..point {
                out.push(b'0');
            }
            out.extend_from_slice(b".0");
        } else {
            out.extend_from_slice(&digits[..point]);
            out.push(b'.');
            out.extend_from_slice(&digits[point..]);
        }
    }
}

fn parse_exponent(s: &[u8]) -> i32 {
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let mut value = 0i32;
    for &c in digits {
        value = value * 10 + i32::from(c - b'0');
    }
    if negative {
        -value
    } else {
        value
    }
}

#[cfg(test)]
#[path = "float_tests.rs"]
mod tests;
