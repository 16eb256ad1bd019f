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
mod tests {
    use super::*;

    #[test]
    fn four_places_agrees_with_fewest_places() {
        let mut check = |m: f64| {
            if (1e-4..FOUR_PLACES_BELOW).contains(&m) {
                assert_eq!(four_places(m), fewest_places(m), "{m:?}");
            }
        };
        for k in 0..=5 {
            let scale = 10f64.powi(k);
            for n in (1..200_000u64).chain((0..2000).map(|i| (1u64 << 50) / 10000 * 10000 - i)) {
                check(n as f64 / scale);
                check(n as f64 / scale * 7.0);
            }
        }
        let mut bits = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2_000_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let m = f64::from_bits(bits & 0x7fff_ffff_ffff_ffff);
            check(m);
            check((m * 1e4).round() / 1e4);
            check(f64::from_bits(bits % (1u64 << 52) | 0x4000_0000_0000_0000) * 1e3);
        }
        for m in [
            FOUR_PLACES_BELOW,
            0.1 + 0.2,
            2.499 * 3.0,
            1e-4,
            0.00015,
            112_589_990.684_2,
        ] {
            check(m);
            check(f64::from_bits(m.to_bits() - 1));
            check(f64::from_bits(m.to_bits() + 1));
        }
    }

    fn repr(value: f64) -> String {
        let mut out = Vec::new();
        write_float_repr(value, &mut out);
        String::from_utf8(out).unwrap()
    }

    // 1363 cases generated with Python 3.11: (f64 bits, repr(value))
    const CASES: &[(u64, &str)] = &[
        (0x00000000000007e8, "1e-320"),
        (0x0000000000004f10, "1e-319"),
        (0x00000000000316a2, "1e-318"),
        (0x00000000001ee257, "1e-317"),
        (0x000000000134d761, "1e-316"),
        (0x000000000c1069cd, "1e-315"),
        (0x0000000078a42205, "1e-314"),
        (0x00000004b6695433, "1e-313"),
        (0x0000002f201d49fb, "1e-312"),
        (0x000001d74124e3d1, "1e-311"),
        (0x000012688b70e62b, "1e-310"),
        (0x0000b8157268fdaf, "1e-309"),
        (0x000730d67819e8d2, "1e-308"),
        (0x0031fa182c40c60d, "1e-307"),
        (0x0066789e3750f791, "1e-306"),
        (0x009c16c5c5253575, "1e-305"),
        (0x00d18e3b9b374169, "1e-304"),
        (0x0105f1ca820511c3, "1e-303"),
        (0x013b6e3d22865634, "1e-302"),
        (0x017124e63593f5e1, "1e-301"),
        (0x01a56e1fc2f8f359, "1e-300"),
        (0x01dac9a7b3b7302f, "1e-299"),
        (0x0210be08d0527e1d, "1e-298"),
        (0x0244ed8b04671da5, "1e-297"),
        (0x027a28edc580e50e, "1e-296"),
        (0x02b059949b708f29, "1e-295"),
        (0x02e46ff9c24cb2f3, "1e-294"),
        (0x03198bf832dfdfb0, "1e-293"),
        (0x034feef63f97d79c, "1e-292"),
        (0x0383f559e7bee6c1, "1e-291"),
        (0x03b8f2b061aea072, "1e-290"),
        (0x03ef2f5c7a1a488e, "1e-289"),
        (0x04237d99cc506d59, "1e-288"),
        (0x04585d003f6488af, "1e-287"),
        (0x048e74404f3daadb, "1e-286"),
        (0x04c308a831868ac9, "1e-285"),
        (0x04f7cad23de82d7b, "1e-284"),
        (0x052dbd86cd6238d9, "1e-283"),
        (0x05629674405d6388, "1e-282"),
        (0x05973c115074bc6a, "1e-281"),
        (0x05cd0b15a491eb84, "1e-280"),
        (0x060226ed86db3333, "1e-279"),
        (0x0636b0a8e891ffff, "1e-278"),
        (0x066c5cd322b67fff, "1e-277"),
        (0x06a1ba03f5b21000, "1e-276"),
        (0x06d62884f31e93ff, "1e-275"),
        (0x070bb2a62fe638ff, "1e-274"),
        (0x07414fa7ddefe3a0, "1e-273"),
        (0x0775a391d56bdc87, "1e-272"),
        (0x07ab0c764ac6d3a9, "1e-271"),
        (0x07e0e7c9eebc444a, "1e-270"),
        (0x081521bc6a6b555c, "1e-269"),
        (0x084a6a2b85062ab3, "1e-268"),
        (0x0880825b3323dab0, "1e-267"),
        (0x08b4a2f1ffecd15c, "1e-266"),
        (0x08e9cbae7fe805b3, "1e-265"),
        (0x09201f4d0ff10390, "1e-264"),
        (0x0954272053ed4474, "1e-263"),
        (0x098930e868e89591, "1e-262"),
        (0x09bf7d228322baf5, "1e-261"),
        (0x09f3ae3591f5b4d9, "1e-260"),
        (0x0a2899c2f6732210, "1e-259"),
        (0x0a5ec033b40fea93, "1e-258"),
        (0x0a9338205089f29c, "1e-257"),
        (0x0ac8062864ac6f43, "1e-256"),
        (0x0afe07b27dd78b14, "1e-255"),
        (0x0b32c4cf8ea6b6ec, "1e-254"),
        (0x0b677603725064a8, "1e-253"),
        (0x0b9d53844ee47dd1, "1e-252"),
        (0x0bd25432b14ecea3, "1e-251"),
        (0x0c06e93f5da2824c, "1e-250"),
        (0x0c3ca38f350b22df, "1e-249"),
        (0x0c71e6398126f5cb, "1e-248"),
        (0x0ca65fc7e170b33e, "1e-247"),
        (0x0cdbf7b9d9cce00d, "1e-246"),
        (0x0d117ad428200c08, "1e-245"),
        (0x0d45d98932280f0a, "1e-244"),
        (0x0d7b4feb7eb212cd, "1e-243"),
        (0x0db111f32f2f4bc0, "1e-242"),
        (0x0de5566ffafb1eb0, "1e-241"),
        (0x0e1aac0bf9b9e65c, "1e-240"),
        (0x0e50ab877c142ffa, "1e-239"),
        (0x0e84d6695b193bf8, "1e-238"),
        (0x0eba0c03b1df8af6, "1e-237"),
        (0x0ef047824f2bb6da, "1e-236"),
        (0x0f245962e2f6a490, "1e-235"),
        (0x0f596fbb9bb44db4, "1e-234"),
        (0x0f8fcbaa82a16121, "1e-233"),
        (0x0fc3df4a91a4dcb5, "1e-232"),
        (0x0ff8d71d360e13e2, "1e-231"),
        (0x102f0ce4839198db, "1e-230"),
        (0x1063680ed23aff89, "1e-229"),
        (0x1098421286c9bf6b, "1e-228"),
        (0x10ce5297287c2f45, "1e-227"),
        (0x1102f39e794d9d8b, "1e-226"),
        (0x1137b08617a104ee, "1e-225"),
        (0x116d9ca79d89462a, "1e-224"),
        (0x11a281e8c275cbda, "1e-223"),
        (0x11d72262f3133ed1, "1e-222"),
        (0x120ceafbafd80e85, "1e-221"),
        (0x124212dd4de70913, "1e-220"),
        (0x12769794a160cb58, "1e-219"),
        (0x12ac3d79c9b8fe2e, "1e-218"),
        (0x12e1a66c1e139edd, "1e-217"),
        (0x1316100725988694, "1e-216"),
        (0x134b9408eefea839, "1e-215"),
        (0x13813c85955f2923, "1e-214"),
        (0x13b58ba6fab6f36c, "1e-213"),
        (0x13eaee90b964b047, "1e-212"),
        (0x1420d51a73deee2d, "1e-211"),
        (0x14550a6110d6a9b8, "1e-210"),
        (0x148a4cf9550c5426, "1e-209"),
        (0x14c0701bd527b498, "1e-208"),
        (0x14f48c22ca71a1bd, "1e-207"),
        (0x1529af2b7d0e0a2d, "1e-206"),
        (0x15600d7b2e28c65c, "1e-205"),
        (0x159410d9f9b2f7f3, "1e-204"),
        (0x15c91510781fb5f0, "1e-203"),
        (0x15ff5a549627a36c, "1e-202"),
        (0x16339874ddd8c623, "1e-201"),
        (0x16687e92154ef7ac, "1e-200"),
        (0x169e9e369aa2b597, "1e-199"),
        (0x16d322e220a5b17e, "1e-198"),
        (0x1707eb9aa8cf1dde, "1e-197"),
        (0x173de6815302e556, "1e-196"),
        (0x1772b010d3e1cf56, "1e-195"),
        (0x17a75c1508da432b, "1e-194"),
        (0x17dd331a4b10d3f6, "1e-193"),
        (0x18123ff06eea847a, "1e-192"),
        (0x1846cfec8aa52598, "1e-191"),
        (0x187c83e7ad4e6efe, "1e-190"),
        (0x18b1d270cc51055f, "1e-189"),
        (0x18e6470cff6546b6, "1e-188"),
        (0x191bd8d03f3e9864, "1e-187"),
        (0x1951678227871f3e, "1e-186"),
        (0x1985c162b168e70e, "1e-185"),
        (0x19bb31bb5dc320d2, "1e-184"),
        (0x19f0ff151a99f483, "1e-183"),
        (0x1a253eda614071a4, "1e-182"),
        (0x1a5a8e90f9908e0d, "1e-181"),
        (0x1a90991a9bfa58c8, "1e-180"),
        (0x1ac4bf6142f8eefa, "1e-179"),
        (0x1af9ef3993b72ab8, "1e-178"),
        (0x1b303583fc527ab3, "1e-177"),
        (0x1b6442e4fb671960, "1e-176"),
        (0x1b99539e3a40dfb8, "1e-175"),
        (0x1bcfa885c8d117a6, "1e-174"),
        (0x1c03c9539d82aec8, "1e-173"),
        (0x1c38bba884e35a7a, "1e-172"),
        (0x1c6eea92a61c3118, "1e-171"),
        (0x1ca3529ba7d19eaf, "1e-170"),
        (0x1cd8274291c6065b, "1e-169"),
        (0x1d0e3113363787f2, "1e-168"),
        (0x1d42deac01e2b4f7, "1e-167"),
        (0x1d779657025b6235, "1e-166"),
        (0x1dad7becc2f23ac2, "1e-165"),
        (0x1de26d73f9d764b9, "1e-164"),
        (0x1e1708d0f84d3de7, "1e-163"),
        (0x1e4ccb0536608d61, "1e-162"),
        (0x1e81fee341fc585d, "1e-161"),
        (0x1eb67e9c127b6e74, "1e-160"),
        (0x1eec1e43171a4a11, "1e-159"),
        (0x1f2192e9ee706e4b, "1e-158"),
        (0x1f55f7a46a0c89dd, "1e-157"),
        (0x1f8b758d848fac55, "1e-156"),
        (0x1fc1297872d9cbb5, "1e-155"),
        (0x1ff573d68f903ea2, "1e-154"),
        (0x202ad0cc33744e4b, "1e-153"),
        (0x2060c27fa028b0ef, "1e-152"),
        (0x2094f31f8832dd2a, "1e-151"),
        (0x20ca2fe76a3f9475, "1e-150"),
        (0x21005df0a267bcc9, "1e-149"),
        (0x2134756ccb01abfb, "1e-148"),
        (0x216992c7fdc216fa, "1e-147"),
        (0x219ff779fd329cb9, "1e-146"),
        (0x21d3faac3e3fa1f3, "1e-145"),
        (0x2208f9574dcf8a70, "1e-144"),
        (0x223f37ad21436d0c, "1e-143"),
        (0x227382cc34ca2428, "1e-142"),
        (0x22a8637f41fcad32, "1e-141"),
        (0x22de7c5f127bd87e, "1e-140"),
        (0x23130dbb6b8d674f, "1e-139"),
        (0x2347d12a4670c123, "1e-138"),
        (0x237dc574d80cf16b, "1e-137"),
        (0x23b29b69070816e3, "1e-136"),
        (0x23e7424348ca1c9c, "1e-135"),
        (0x241d12d41afca3c3, "1e-134"),
        (0x24522bc490dde65a, "1e-133"),
        (0x2486b6b5b5155ff0, "1e-132"),
        (0x24bc6463225ab7ec, "1e-131"),
        (0x24f1bebdf578b2f4, "1e-130"),
        (0x25262e6d72d6dfb0, "1e-129"),
        (0x255bba08cf8c979d, "1e-128"),
        (0x2591544581b7dec2, "1e-127"),
        (0x25c5a956e225d672, "1e-126"),
        (0x25fb13ac9aaf4c0f, "1e-125"),
        (0x2630ec4be0ad8f89, "1e-124"),
        (0x2665275ed8d8f36c, "1e-123"),
        (0x269a71368f0f3047, "1e-122"),
        (0x26d086c219697e2c, "1e-121"),
        (0x2704a8729fc3ddb7, "1e-120"),
        (0x2739d28f47b4d525, "1e-119"),
        (0x277023998cd10537, "1e-118"),
        (0x27a42c7ff0054685, "1e-117"),
        (0x27d9379fec069826, "1e-116"),
        (0x280f8587e7083e30, "1e-115"),
        (0x2843b374f06526de, "1e-114"),
        (0x2878a0522c7e7095, "1e-113"),
        (0x28aec866b79e0cba, "1e-112"),
        (0x28e33d4032c2c7f5, "1e-111"),
        (0x29180c903f7379f2, "1e-110"),
        (0x294e0fb44f50586e, "1e-109"),
        (0x2982c9d0b1923745, "1e-108"),
        (0x29b77c44ddf6c516, "1e-107"),
        (0x29ed5b561574765b, "1e-106"),
        (0x2a225915cd68c9f9, "1e-105"),
        (0x2a56ef5b40c2fc77, "1e-104"),
        (0x2a8cab3210f3bb95, "1e-103"),
        (0x2ac1eaff4a98553d, "1e-102"),
        (0x2af665bf1d3e6a8d, "1e-101"),
        (0x2b2bff2ee48e0530, "1e-100"),
        (0x2b617f7d4ed8c33e, "1e-99"),
        (0x2b95df5ca28ef40d, "1e-98"),
        (0x2bcb5733cb32b111, "1e-97"),
        (0x2c0116805effaeaa, "1e-96"),
        (0x2c355c2076bf9a55, "1e-95"),
        (0x2c6ab328946f80ea, "1e-94"),
        (0x2ca0aff95cc5b092, "1e-93"),
        (0x2cd4dbf7b3f71cb7, "1e-92"),
        (0x2d0a12f5a0f4e3e5, "1e-91"),
        (0x2d404bd984990e6f, "1e-90"),
        (0x2d745ecfe5bf520b, "1e-89"),
        (0x2da97683df2f268d, "1e-88"),
        (0x2ddfd424d6faf031, "1e-87"),
        (0x2e13e497065cd61f, "1e-86"),
        (0x2e48ddbcc7f40ba6, "1e-85"),
        (0x2e7f152bf9f10e90, "1e-84"),
        (0x2eb36d3b7c36a91a, "1e-83"),
        (0x2ee8488a5b445360, "1e-82"),
        (0x2f1e5aacf2156838, "1e-81"),
        (0x2f52f8ac174d6123, "1e-80"),
        (0x2f87b6d71d20b96c, "1e-79"),
        (0x2fbda48ce468e7c7, "1e-78"),
        (0x2ff286d80ec190dc, "1e-77"),
        (0x3027288e1271f513, "1e-76"),
        (0x305cf2b1970e7258, "1e-75"),
        (0x309217aefe690777, "1e-74"),
        (0x30c69d9abe034955, "1e-73"),
        (0x30fc45016d841baa, "1e-72"),
        (0x3131ab20e472914a, "1e-71"),
        (0x316615e91d8f359d, "1e-70"),
        (0x319b9b6364f30304, "1e-69"),
        (0x31d1411e1f17e1e3, "1e-68"),
        (0x32059165a6ddda5b, "1e-67"),
        (0x323af5bf109550f2, "1e-66"),
        (0x3270d9976a5d5297, "1e-65"),
        (0x32a50ffd44f4a73d, "1e-64"),
        (0x32da53fc9631d10d, "1e-63"),
        (0x3310747ddddf22a8, "1e-62"),
        (0x3344919d5556eb52, "1e-61"),
        (0x3379b604aaaca626, "1e-60"),
        (0x33b011c2eaabe7d8, "1e-59"),
        (0x33e41633a556e1ce, "1e-58"),
        (0x34191bc08eac9a41, "1e-57"),
        (0x344f62b0b257c0d2, "1e-56"),
        (0x34839dae6f76d883, "1e-55"),
        (0x34b8851a0b548ea4, "1e-54"),
        (0x34eea6608e29b24d, "1e-53"),
        (0x352327fc58da0f70, "1e-52"),
        (0x3557f1fb6f10934c, "1e-51"),
        (0x358dee7a4ad4b81f, "1e-50"),
        (0x35c2b50c6ec4f313, "1e-49"),
        (0x35f7624f8a762fd8, "1e-48"),
        (0x362d3ae36d13bbce, "1e-47"),
        (0x366244ce242c5561, "1e-46"),
        (0x3696d601ad376ab9, "1e-45"),
        (0x36cc8b8218854567, "1e-44"),
        (0x3701d7314f534b61, "1e-43"),
        (0x37364cfda3281e39, "1e-42"),
        (0x376be03d0bf225c7, "1e-41"),
        (0x37a16c262777579c, "1e-40"),
        (0x37d5c72fb1552d83, "1e-39"),
        (0x380b38fb9daa78e4, "1e-38"),
        (0x3841039d428a8b8f, "1e-37"),
        (0x38754484932d2e72, "1e-36"),
        (0x38aa95a5b7f87a0f, "1e-35"),
        (0x38e09d8792fb4c49, "1e-34"),
        (0x3914c4e977ba1f5c, "1e-33"),
        (0x3949f623d5a8a733, "1e-32"),
        (0x398039d665896880, "1e-31"),
        (0x39b4484bfeebc2a0, "1e-30"),
        (0x39e95a5efea6b347, "1e-29"),
        (0x3a1fb0f6be506019, "1e-28"),
        (0x3a53ce9a36f23c10, "1e-27"),
        (0x3a88c240c4aecb14, "1e-26"),
        (0x3abef2d0f5da7dd9, "1e-25"),
        (0x3af357c299a88ea7, "1e-24"),
        (0x3b282db34012b251, "1e-23"),
        (0x3b5e392010175ee6, "1e-22"),
        (0x3b92e3b40a0e9b4f, "1e-21"),
        (0x3bc79ca10c924223, "1e-20"),
        (0x3bfd83c94fb6d2ac, "1e-19"),
        (0x3c32725dd1d243ac, "1e-18"),
        (0x3c670ef54646d497, "1e-17"),
        (0x3c9cd2b297d889bc, "1e-16"),
        (0x3cd203af9ee75616, "1e-15"),
        (0x3d06849b86a12b9b, "1e-14"),
        (0x3d3c25c268497682, "1e-13"),
        (0x3d719799812dea11, "1e-12"),
        (0x3da5fd7fe1796495, "1e-11"),
        (0x3ddb7cdfd9d7bdbb, "1e-10"),
        (0x3e112e0be826d695, "1e-09"),
        (0x3e45798ee2308c3a, "1e-08"),
        (0x3e7ad7f29abcaf48, "1e-07"),
        (0x3eb0c6f7a0b5ed8d, "1e-06"),
        (0x3ee4f8b588e368f1, "1e-05"),
        (0x3f1a36e2eb1c432d, "0.0001"),
        (0x3f50624dd2f1a9fc, "0.001"),
        (0x3f847ae147ae147b, "0.01"),
        (0x3fb999999999999a, "0.1"),
        (0x3ff0000000000000, "1.0"),
        (0x4024000000000000, "10.0"),
        (0x4059000000000000, "100.0"),
        (0x408f400000000000, "1000.0"),
        (0x40c3880000000000, "10000.0"),
        (0x40f86a0000000000, "100000.0"),
        (0x412e848000000000, "1000000.0"),
        (0x416312d000000000, "10000000.0"),
        (0x4197d78400000000, "100000000.0"),
        (0x41cdcd6500000000, "1000000000.0"),
        (0x4202a05f20000000, "10000000000.0"),
        (0x42374876e8000000, "100000000000.0"),
        (0x426d1a94a2000000, "1000000000000.0"),
        (0x42a2309ce5400000, "10000000000000.0"),
        (0x42d6bcc41e900000, "100000000000000.0"),
        (0x430c6bf526340000, "1000000000000000.0"),
        (0x4341c37937e08000, "1e+16"),
        (0x4376345785d8a000, "1e+17"),
        (0x43abc16d674ec800, "1e+18"),
        (0x43e158e460913d00, "1e+19"),
        (0x4415af1d78b58c40, "1e+20"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x4480f0cf064dd592, "1e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44ea784379d99db4, "1e+24"),
        (0x45208b2a2c280291, "1e+25"),
        (0x4554adf4b7320335, "1e+26"),
        (0x4589d971e4fe8402, "1e+27"),
        (0x45c027e72f1f1281, "1e+28"),
        (0x45f431e0fae6d721, "1e+29"),
        (0x46293e5939a08cea, "1e+30"),
        (0x465f8def8808b024, "1e+31"),
        (0x4693b8b5b5056e17, "1e+32"),
        (0x46c8a6e32246c99c, "1e+33"),
        (0x46fed09bead87c03, "1e+34"),
        (0x4733426172c74d82, "1e+35"),
        (0x476812f9cf7920e3, "1e+36"),
        (0x479e17b84357691b, "1e+37"),
        (0x47d2ced32a16a1b1, "1e+38"),
        (0x48078287f49c4a1d, "1e+39"),
        (0x483d6329f1c35ca5, "1e+40"),
        (0x48725dfa371a19e7, "1e+41"),
        (0x48a6f578c4e0a061, "1e+42"),
        (0x48dcb2d6f618c879, "1e+43"),
        (0x4911efc659cf7d4c, "1e+44"),
        (0x49466bb7f0435c9e, "1e+45"),
        (0x497c06a5ec5433c6, "1e+46"),
        (0x49b18427b3b4a05c, "1e+47"),
        (0x49e5e531a0a1c873, "1e+48"),
        (0x4a1b5e7e08ca3a8f, "1e+49"),
        (0x4a511b0ec57e649a, "1e+50"),
        (0x4a8561d276ddfdc0, "1e+51"),
        (0x4ababa4714957d30, "1e+52"),
        (0x4af0b46c6cdd6e3e, "1e+53"),
        (0x4b24e1878814c9ce, "1e+54"),
        (0x4b5a19e96a19fc41, "1e+55"),
        (0x4b905031e2503da9, "1e+56"),
        (0x4bc4643e5ae44d13, "1e+57"),
        (0x4bf97d4df19d6057, "1e+58"),
        (0x4c2fdca16e04b86d, "1e+59"),
        (0x4c63e9e4e4c2f344, "1e+60"),
        (0x4c98e45e1df3b015, "1e+61"),
        (0x4ccf1d75a5709c1b, "1e+62"),
        (0x4d03726987666191, "1e+63"),
        (0x4d384f03e93ff9f5, "1e+64"),
        (0x4d6e62c4e38ff872, "1e+65"),
        (0x4da2fdbb0e39fb47, "1e+66"),
        (0x4dd7bd29d1c87a19, "1e+67"),
        (0x4e0dac74463a989f, "1e+68"),
        (0x4e428bc8abe49f64, "1e+69"),
        (0x4e772ebad6ddc73d, "1e+70"),
        (0x4eacfa698c95390c, "1e+71"),
        (0x4ee21c81f7dd43a7, "1e+72"),
        (0x4f16a3a275d49491, "1e+73"),
        (0x4f4c4c8b1349b9b5, "1e+74"),
        (0x4f81afd6ec0e1411, "1e+75"),
        (0x4fb61bcca7119916, "1e+76"),
        (0x4feba2bfd0d5ff5b, "1e+77"),
        (0x502145b7e285bf99, "1e+78"),
        (0x50559725db272f7f, "1e+79"),
        (0x508afcef51f0fb5f, "1e+80"),
        (0x50c0de1593369d1b, "1e+81"),
        (0x50f5159af8044462, "1e+82"),
        (0x512a5b01b605557b, "1e+83"),
        (0x516078e111c3556d, "1e+84"),
        (0x5194971956342ac8, "1e+85"),
        (0x51c9bcdfabc1357a, "1e+86"),
        (0x5200160bcb58c16c, "1e+87"),
        (0x52341b8ebe2ef1c7, "1e+88"),
        (0x526922726dbaae39, "1e+89"),
        (0x529f6b0f092959c7, "1e+90"),
        (0x52d3a2e965b9d81d, "1e+91"),
        (0x53088ba3bf284e24, "1e+92"),
        (0x533eae8caef261ad, "1e+93"),
        (0x53732d17ed577d0c, "1e+94"),
        (0x53a7f85de8ad5c4f, "1e+95"),
        (0x53ddf67562d8b363, "1e+96"),
        (0x5412ba095dc7701e, "1e+97"),
        (0x5447688bb5394c25, "1e+98"),
        (0x547d42aea2879f2e, "1e+99"),
        (0x54b249ad2594c37d, "1e+100"),
        (0x54e6dc186ef9f45c, "1e+101"),
        (0x551c931e8ab87173, "1e+102"),
        (0x5551dbf316b346e8, "1e+103"),
        (0x558652efdc6018a2, "1e+104"),
        (0x55bbe7abd3781eca, "1e+105"),
        (0x55f170cb642b133f, "1e+106"),
        (0x5625ccfe3d35d80e, "1e+107"),
        (0x565b403dcc834e12, "1e+108"),
        (0x569108269fd210cb, "1e+109"),
        (0x56c54a3047c694fe, "1e+110"),
        (0x56fa9cbc59b83a3d, "1e+111"),
        (0x5730a1f5b8132466, "1e+112"),
        (0x5764ca732617ed80, "1e+113"),
        (0x5799fd0fef9de8e0, "1e+114"),
        (0x57d03e29f5c2b18c, "1e+115"),
        (0x58044db473335def, "1e+116"),
        (0x583961219000356b, "1e+117"),
        (0x586fb969f40042c5, "1e+118"),
        (0x58a3d3e2388029bb, "1e+119"),
        (0x58d8c8dac6a0342a, "1e+120"),
        (0x590efb1178484135, "1e+121"),
        (0x59435ceaeb2d28c1, "1e+122"),
        (0x59783425a5f872f1, "1e+123"),
        (0x59ae412f0f768fad, "1e+124"),
        (0x59e2e8bd69aa19cc, "1e+125"),
        (0x5a17a2ecc414a03f, "1e+126"),
        (0x5a4d8ba7f519c84f, "1e+127"),
        (0x5a827748f9301d32, "1e+128"),
        (0x5ab7151b377c247e, "1e+129"),
        (0x5aecda62055b2d9e, "1e+130"),
        (0x5b22087d4358fc82, "1e+131"),
        (0x5b568a9c942f3ba3, "1e+132"),
        (0x5b8c2d43b93b0a8c, "1e+133"),
        (0x5bc19c4a53c4e697, "1e+134"),
        (0x5bf6035ce8b6203d, "1e+135"),
        (0x5c2b843422e3a84d, "1e+136"),
        (0x5c6132a095ce4930, "1e+137"),
        (0x5c957f48bb41db7c, "1e+138"),
        (0x5ccadf1aea12525b, "1e+139"),
        (0x5d00cb70d24b7379, "1e+140"),
        (0x5d34fe4d06de5057, "1e+141"),
        (0x5d6a3de04895e46d, "1e+142"),
        (0x5da066ac2d5daec4, "1e+143"),
        (0x5dd4805738b51a75, "1e+144"),
        (0x5e09a06d06e26112, "1e+145"),
        (0x5e400444244d7cab, "1e+146"),
        (0x5e7405552d60dbd6, "1e+147"),
        (0x5ea906aa78b912cc, "1e+148"),
        (0x5edf485516e7577f, "1e+149"),
        (0x5f138d352e5096af, "1e+150"),
        (0x5f48708279e4bc5b, "1e+151"),
        (0x5f7e8ca3185deb72, "1e+152"),
        (0x5fb317e5ef3ab327, "1e+153"),
        (0x5fe7dddf6b095ff1, "1e+154"),
        (0x601dd55745cbb7ed, "1e+155"),
        (0x6052a5568b9f52f4, "1e+156"),
        (0x60874eac2e8727b1, "1e+157"),
        (0x60bd22573a28f19d, "1e+158"),
        (0x60f2357684599702, "1e+159"),
        (0x6126c2d4256ffcc3, "1e+160"),
        (0x615c73892ecbfbf4, "1e+161"),
        (0x6191c835bd3f7d78, "1e+162"),
        (0x61c63a432c8f5cd6, "1e+163"),
        (0x61fbc8d3f7b3340c, "1e+164"),
        (0x62315d847ad00087, "1e+165"),
        (0x6265b4e5998400a9, "1e+166"),
        (0x629b221effe500d4, "1e+167"),
        (0x62d0f5535fef2084, "1e+168"),
        (0x630532a837eae8a5, "1e+169"),
        (0x633a7f5245e5a2cf, "1e+170"),
        (0x63708f936baf85c1, "1e+171"),
        (0x63a4b378469b6732, "1e+172"),
        (0x63d9e056584240fe, "1e+173"),
        (0x64102c35f729689f, "1e+174"),
        (0x6444374374f3c2c6, "1e+175"),
        (0x647945145230b378, "1e+176"),
        (0x64af965966bce056, "1e+177"),
        (0x64e3bdf7e0360c36, "1e+178"),
        (0x6518ad75d8438f43, "1e+179"),
        (0x654ed8d34e547314, "1e+180"),
        (0x6583478410f4c7ec, "1e+181"),
        (0x65b819651531f9e8, "1e+182"),
        (0x65ee1fbe5a7e7861, "1e+183"),
        (0x6622d3d6f88f0b3d, "1e+184"),
        (0x665788ccb6b2ce0c, "1e+185"),
        (0x668d6affe45f818f, "1e+186"),
        (0x66c262dfeebbb0f9, "1e+187"),
        (0x66f6fb97ea6a9d38, "1e+188"),
        (0x672cba7de5054486, "1e+189"),
        (0x6761f48eaf234ad4, "1e+190"),
        (0x679671b25aec1d89, "1e+191"),
        (0x67cc0e1ef1a724eb, "1e+192"),
        (0x680188d357087713, "1e+193"),
        (0x6835eb082cca94d7, "1e+194"),
        (0x686b65ca37fd3a0d, "1e+195"),
        (0x68a11f9e62fe4448, "1e+196"),
        (0x68d56785fbbdd55a, "1e+197"),
        (0x690ac1677aad4ab1, "1e+198"),
        (0x6940b8e0acac4eaf, "1e+199"),
        (0x6974e718d7d7625a, "1e+200"),
        (0x69aa20df0dcd3af1, "1e+201"),
        (0x69e0548b68a044d6, "1e+202"),
        (0x6a1469ae42c8560c, "1e+203"),
        (0x6a498419d37a6b8f, "1e+204"),
        (0x6a7fe52048590673, "1e+205"),
        (0x6ab3ef342d37a408, "1e+206"),
        (0x6ae8eb0138858d0a, "1e+207"),
        (0x6b1f25c186a6f04c, "1e+208"),
        (0x6b537798f4285630, "1e+209"),
        (0x6b88557f31326bbb, "1e+210"),
        (0x6bbe6adefd7f06aa, "1e+211"),
        (0x6bf302cb5e6f642a, "1e+212"),
        (0x6c27c37e360b3d35, "1e+213"),
        (0x6c5db45dc38e0c82, "1e+214"),
        (0x6c9290ba9a38c7d1, "1e+215"),
        (0x6cc734e940c6f9c6, "1e+216"),
        (0x6cfd022390f8b837, "1e+217"),
        (0x6d3221563a9b7323, "1e+218"),
        (0x6d66a9abc9424feb, "1e+219"),
        (0x6d9c5416bb92e3e6, "1e+220"),
        (0x6dd1b48e353bce70, "1e+221"),
        (0x6e0621b1c28ac20c, "1e+222"),
        (0x6e3baa1e332d728f, "1e+223"),
        (0x6e714a52dffc6799, "1e+224"),
        (0x6ea59ce797fb817f, "1e+225"),
        (0x6edb04217dfa61df, "1e+226"),
        (0x6f10e294eebc7d2c, "1e+227"),
        (0x6f451b3a2a6b9c76, "1e+228"),
        (0x6f7a6208b5068394, "1e+229"),
        (0x6fb07d457124123d, "1e+230"),
        (0x6fe49c96cd6d16cc, "1e+231"),
        (0x7019c3bc80c85c7f, "1e+232"),
        (0x70501a55d07d39cf, "1e+233"),
        (0x708420eb449c8843, "1e+234"),
        (0x70b9292615c3aa54, "1e+235"),
        (0x70ef736f9b3494e9, "1e+236"),
        (0x7123a825c100dd11, "1e+237"),
        (0x7158922f31411456, "1e+238"),
        (0x718eb6bafd91596b, "1e+239"),
        (0x71c33234de7ad7e3, "1e+240"),
        (0x71f7fec216198ddc, "1e+241"),
        (0x722dfe729b9ff153, "1e+242"),
        (0x7262bf07a143f6d4, "1e+243"),
        (0x72976ec98994f489, "1e+244"),
        (0x72cd4a7bebfa31ab, "1e+245"),
        (0x73024e8d737c5f0b, "1e+246"),
        (0x7336e230d05b76cd, "1e+247"),
        (0x736c9abd04725481, "1e+248"),
        (0x73a1e0b622c774d0, "1e+249"),
        (0x73d658e3ab795204, "1e+250"),
        (0x740bef1c9657a686, "1e+251"),
        (0x74417571ddf6c814, "1e+252"),
        (0x7475d2ce55747a18, "1e+253"),
        (0x74ab4781ead1989e, "1e+254"),
        (0x74e10cb132c2ff63, "1e+255"),
        (0x75154fdd7f73bf3c, "1e+256"),
        (0x754aa3d4df50af0b, "1e+257"),
        (0x7580a6650b926d67, "1e+258"),
        (0x75b4cffe4e7708c0, "1e+259"),
        (0x75ea03fde214caf1, "1e+260"),
        (0x7620427ead4cfed6, "1e+261"),
        (0x7654531e58a03e8c, "1e+262"),
        (0x768967e5eec84e2f, "1e+263"),
        (0x76bfc1df6a7a61bb, "1e+264"),
        (0x76f3d92ba28c7d15, "1e+265"),
        (0x7728cf768b2f9c5a, "1e+266"),
        (0x775f03542dfb8370, "1e+267"),
        (0x779362149cbd3226, "1e+268"),
        (0x77c83a99c3ec7eb0, "1e+269"),
        (0x77fe494034e79e5c, "1e+270"),
        (0x7832edc82110c2f9, "1e+271"),
        (0x7867a93a2954f3b8, "1e+272"),
        (0x789d9388b3aa30a5, "1e+273"),
        (0x78d27c35704a5e67, "1e+274"),
        (0x79071b42cc5cf601, "1e+275"),
        (0x793ce2137f743382, "1e+276"),
        (0x79720d4c2fa8a031, "1e+277"),
        (0x79a6909f3b92c83d, "1e+278"),
        (0x79dc34c70a777a4d, "1e+279"),
        (0x7a11a0fc668aac70, "1e+280"),
        (0x7a46093b802d578c, "1e+281"),
        (0x7a7b8b8a6038ad6f, "1e+282"),
        (0x7ab137367c236c65, "1e+283"),
        (0x7ae585041b2c477f, "1e+284"),
        (0x7b1ae64521f7595e, "1e+285"),
        (0x7b50cfeb353a97db, "1e+286"),
        (0x7b8503e602893dd2, "1e+287"),
        (0x7bba44df832b8d46, "1e+288"),
        (0x7bf06b0bb1fb384c, "1e+289"),
        (0x7c2485ce9e7a065f, "1e+290"),
        (0x7c59a742461887f6, "1e+291"),
        (0x7c9008896bcf54fa, "1e+292"),
        (0x7cc40aabc6c32a38, "1e+293"),
        (0x7cf90d56b873f4c7, "1e+294"),
        (0x7d2f50ac6690f1f8, "1e+295"),
        (0x7d63926bc01a973b, "1e+296"),
        (0x7d987706b0213d0a, "1e+297"),
        (0x7dce94c85c298c4c, "1e+298"),
        (0x7e031cfd3999f7b0, "1e+299"),
        (0x7e37e43c8800759c, "1e+300"),
        (0x7e6ddd4baa009303, "1e+301"),
        (0x7ea2aa4f4a405be2, "1e+302"),
        (0x7ed754e31cd072da, "1e+303"),
        (0x7f0d2a1be4048f90, "1e+304"),
        (0x7f423a516e82d9ba, "1e+305"),
        (0x7f76c8e5ca239029, "1e+306"),
        (0x7fac7b1f3cac7433, "1e+307"),
        (0x7fe1ccf385ebc8a0, "1e+308"),
        (0x0000000000000000, "0.0"),
        (0x8000000000000000, "-0.0"),
        (0xbff0000000000000, "-1.0"),
        (0x3fc999999999999a, "0.2"),
        (0x3fd3333333333333, "0.3"),
        (0x3fd3333333333334, "0.30000000000000004"),
        (0x3f202e4b6ce5dc68, "0.00012345"),
        (0x3f1a36d1bd105b06, "9.9999e-05"),
        (0x4341c37937e07fff, "9999999999999998.0"),
        (0x43118b54f22aeb00, "1234567890123456.0"),
        (0x4345ee2a2eb5a5c4, "1.2345678901234568e+16"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x0010000000000000, "2.2250738585072014e-308"),
        (0x000fffffffffffff, "2.225073858507201e-308"),
        (0x405edd2f1a9fbe77, "123.456"),
        (0x4340000000000000, "9007199254740992.0"),
        (0x4340000000000001, "9007199254740994.0"),
        (0x43e0000000000000, "9.223372036854776e+18"),
        (0x43f0000000000000, "1.8446744073709552e+19"),
        (0x400921fb54442d18, "3.141592653589793"),
        (0x4005bf0a8b145769, "2.718281828459045"),
        (0xc00921fb54442d18, "-3.141592653589793"),
        (0x3fd5555555555555, "0.3333333333333333"),
        (0x3fe5555555555555, "0.6666666666666666"),
        (0x3ff8000000000000, "1.5"),
        (0x3fe0000000000000, "0.5"),
        (0x3fd0000000000000, "0.25"),
        (0x3fc0000000000000, "0.125"),
        (0x3eff75104d551d69, "3e-05"),
        (0x4011666666666666, "4.35"),
        (0x40934a456d5cfaad, "1234.5678"),
        (0x4023000000000000, "9.5"),
        (0x419d6f3454000000, "123456789.0"),
        (0x3f201f31f46ed246, "0.000123"),
        (0x3f50624dd2f1a9fb, "0.0009999999999999998"),
        (0x3ff0000000000001, "1.0000000000000002"),
        (0x3fefffffffffffff, "0.9999999999999999"),
        (0x7fe0000000000000, "8.98846567431158e+307"),
        (0x3f10000000000000, "6.103515625e-05"),
        (0x40effc0000000000, "65504.0"),
        (0x47efffffe0000000, "3.4028234663852886e+38"),
        (0x36a0000000000000, "1.401298464324817e-45"),
        (0x4000000000000000, "2.0"),
        (0x4010000000000000, "4.0"),
        (0x4020000000000000, "8.0"),
        (0x4030000000000000, "16.0"),
        (0x3fb0000000000000, "0.0625"),
        (0x4040000000000000, "32.0"),
        (0x3fa0000000000000, "0.03125"),
        (0x4050000000000000, "64.0"),
        (0x3f90000000000000, "0.015625"),
        (0x4060000000000000, "128.0"),
        (0x3f80000000000000, "0.0078125"),
        (0x4070000000000000, "256.0"),
        (0x3f70000000000000, "0.00390625"),
        (0x4080000000000000, "512.0"),
        (0x3f60000000000000, "0.001953125"),
        (0x4090000000000000, "1024.0"),
        (0x3f50000000000000, "0.0009765625"),
        (0x40a0000000000000, "2048.0"),
        (0x3f40000000000000, "0.00048828125"),
        (0x40b0000000000000, "4096.0"),
        (0x3f30000000000000, "0.000244140625"),
        (0x40c0000000000000, "8192.0"),
        (0x3f20000000000000, "0.0001220703125"),
        (0x40d0000000000000, "16384.0"),
        (0x40e0000000000000, "32768.0"),
        (0x3f00000000000000, "3.0517578125e-05"),
        (0x40f0000000000000, "65536.0"),
        (0x3ef0000000000000, "1.52587890625e-05"),
        (0x4100000000000000, "131072.0"),
        (0x3ee0000000000000, "7.62939453125e-06"),
        (0x4110000000000000, "262144.0"),
        (0x3ed0000000000000, "3.814697265625e-06"),
        (0x4120000000000000, "524288.0"),
        (0x3ec0000000000000, "1.9073486328125e-06"),
        (0x4130000000000000, "1048576.0"),
        (0x3eb0000000000000, "9.5367431640625e-07"),
        (0x4140000000000000, "2097152.0"),
        (0x3ea0000000000000, "4.76837158203125e-07"),
        (0x4150000000000000, "4194304.0"),
        (0x3e90000000000000, "2.384185791015625e-07"),
        (0x4160000000000000, "8388608.0"),
        (0x3e80000000000000, "1.1920928955078125e-07"),
        (0x4170000000000000, "16777216.0"),
        (0x3e70000000000000, "5.960464477539063e-08"),
        (0x4180000000000000, "33554432.0"),
        (0x3e60000000000000, "2.9802322387695312e-08"),
        (0x4190000000000000, "67108864.0"),
        (0x3e50000000000000, "1.4901161193847656e-08"),
        (0x41a0000000000000, "134217728.0"),
        (0x3e40000000000000, "7.450580596923828e-09"),
        (0x41b0000000000000, "268435456.0"),
        (0x3e30000000000000, "3.725290298461914e-09"),
        (0x41c0000000000000, "536870912.0"),
        (0x3e20000000000000, "1.862645149230957e-09"),
        (0x41d0000000000000, "1073741824.0"),
        (0x3e10000000000000, "9.313225746154785e-10"),
        (0x41e0000000000000, "2147483648.0"),
        (0x3e00000000000000, "4.656612873077393e-10"),
        (0x41f0000000000000, "4294967296.0"),
        (0x3df0000000000000, "2.3283064365386963e-10"),
        (0x4200000000000000, "8589934592.0"),
        (0x3de0000000000000, "1.1641532182693481e-10"),
        (0x4210000000000000, "17179869184.0"),
        (0x3dd0000000000000, "5.820766091346741e-11"),
        (0x4220000000000000, "34359738368.0"),
        (0x3dc0000000000000, "2.9103830456733704e-11"),
        (0x4230000000000000, "68719476736.0"),
        (0x3db0000000000000, "1.4551915228366852e-11"),
        (0x4240000000000000, "137438953472.0"),
        (0x3da0000000000000, "7.275957614183426e-12"),
        (0x4250000000000000, "274877906944.0"),
        (0x3d90000000000000, "3.637978807091713e-12"),
        (0x4260000000000000, "549755813888.0"),
        (0x3d80000000000000, "1.8189894035458565e-12"),
        (0x4270000000000000, "1099511627776.0"),
        (0x3d70000000000000, "9.094947017729282e-13"),
        (0x4280000000000000, "2199023255552.0"),
        (0x3d60000000000000, "4.547473508864641e-13"),
        (0x4290000000000000, "4398046511104.0"),
        (0x3d50000000000000, "2.2737367544323206e-13"),
        (0x42a0000000000000, "8796093022208.0"),
        (0x3d40000000000000, "1.1368683772161603e-13"),
        (0x42b0000000000000, "17592186044416.0"),
        (0x3d30000000000000, "5.684341886080802e-14"),
        (0x42c0000000000000, "35184372088832.0"),
        (0x3d20000000000000, "2.842170943040401e-14"),
        (0x42d0000000000000, "70368744177664.0"),
        (0x3d10000000000000, "1.4210854715202004e-14"),
        (0x42e0000000000000, "140737488355328.0"),
        (0x3d00000000000000, "7.105427357601002e-15"),
        (0x42f0000000000000, "281474976710656.0"),
        (0x3cf0000000000000, "3.552713678800501e-15"),
        (0x4300000000000000, "562949953421312.0"),
        (0x3ce0000000000000, "1.7763568394002505e-15"),
        (0x4310000000000000, "1125899906842624.0"),
        (0x3cd0000000000000, "8.881784197001252e-16"),
        (0x4320000000000000, "2251799813685248.0"),
        (0x3cc0000000000000, "4.440892098500626e-16"),
        (0x4330000000000000, "4503599627370496.0"),
        (0x3cb0000000000000, "2.220446049250313e-16"),
        (0x3ca0000000000000, "1.1102230246251565e-16"),
        (0x4350000000000000, "1.8014398509481984e+16"),
        (0x3c90000000000000, "5.551115123125783e-17"),
        (0x4360000000000000, "3.602879701896397e+16"),
        (0x3c80000000000000, "2.7755575615628914e-17"),
        (0x4370000000000000, "7.205759403792794e+16"),
        (0x3c70000000000000, "1.3877787807814457e-17"),
        (0x4380000000000000, "1.4411518807585587e+17"),
        (0x3c60000000000000, "6.938893903907228e-18"),
        (0x4390000000000000, "2.8823037615171174e+17"),
        (0x3c50000000000000, "3.469446951953614e-18"),
        (0x43a0000000000000, "5.764607523034235e+17"),
        (0x3c40000000000000, "1.734723475976807e-18"),
        (0x4022000000000000, "9.0"),
        (0x3feccccccccccccd, "0.9"),
        (0x4058c00000000000, "99.0"),
        (0x3fefae147ae147ae, "0.99"),
        (0x408f380000000000, "999.0"),
        (0x3feff7ced916872b, "0.999"),
        (0x40c3878000000000, "9999.0"),
        (0x3fefff2e48e8a71e, "0.9999"),
        (0x40f869f000000000, "99999.0"),
        (0x3fefffeb074a771d, "0.99999"),
        (0x412e847e00000000, "999999.0"),
        (0x3feffffde7210be9, "0.999999"),
        (0x416312cfe0000000, "9999999.0"),
        (0x3fefffffca501acb, "0.9999999"),
        (0x4197d783fc000000, "99999999.0"),
        (0x3feffffffaa19c47, "0.99999999"),
        (0x41cdcd64ff800000, "999999999.0"),
        (0x3fefffffff768fa1, "0.999999999"),
        (0x4202a05f1ff80000, "9999999999.0"),
        (0x3feffffffff24190, "0.9999999999"),
        (0x42374876e7ff0000, "99999999999.0"),
        (0x3feffffffffea028, "0.99999999999"),
        (0x426d1a94a1ffe000, "999999999999.0"),
        (0x3fefffffffffdcd1, "0.999999999999"),
        (0x42a2309ce53ffe00, "9999999999999.0"),
        (0x3feffffffffffc7b, "0.9999999999999"),
        (0x42d6bcc41e8fffc0, "99999999999999.0"),
        (0x3fefffffffffffa6, "0.99999999999999"),
        (0x430c6bf52633fff8, "999999999999999.0"),
        (0x3feffffffffffff7, "0.999999999999999"),
        (0xbb91433a6aa79987, "-9.1387497028769e-22"),
        (0xd1f6f86c029a7245, "-7.139820454309632e+86"),
        (0xcd8778e7d340bbcd, "-3.089900467300506e+65"),
        (0xdaea58ba4c73a942, "-9.131299887434701e+129"),
        (0xee8971105e503a67, "-2.942877356480083e+224"),
        (0x452ec40a3193ca54, "1.8596773229471727e+25"),
        (0x6facaa5090e5e945, "8.692067227002291e+229"),
        (0x5f811cb929645f8b, "1.1202983176732331e+152"),
        (0xdfc9e3b11fcff454, "-2.71187804877673e+153"),
        (0x42d6cb5c6ed4e94b, "100250739757989.17"),
        (0xa091250e8fe46024, "-8.183770430730414e-152"),
        (0x9c9cea0c2ca1c789, "-7.481942688750341e-171"),
        (0x2fd2b7a48d9fe5b9, "2.525722336173709e-78"),
        (0xbcf74d7a5adad121, "-5.1742273216317384e-15"),
        (0xbb9d58e4f543bbcf, "-1.5536301412264183e-21"),
        (0x87f26aee175f0cd2, "-2.1789094907487126e-270"),
        (0xbc428d42fa882692, "-2.011390540120253e-18"),
        (0x95c5fb986980a81f, "-8.764271883973625e-204"),
        (0x2aa4857e8101e89a, "2.863253393402251e-103"),
        (0x34a9af4125ece845, "5.2374923668024025e-55"),
        (0x13ed748bb80e3b0d, "1.0936941514836716e-212"),
        (0xd64a3ce030a1f6d5, "-4.8141078806962144e+107"),
        (0x527122dc57708107, "1.3635548534927665e+89"),
        (0x7576714a06057c82, "6.739508595758605e+257"),
        (0x06e0f45856eaa301, "1.5303059611217572e-275"),
        (0x82bde024f7acee22, "-1.8272601399104736e-295"),
        (0xb0d26ee6fa928906, "-1.6301294128168097e-73"),
        (0x6a5ccc2cbe99854a, "2.2572140005785964e+204"),
        (0x01b5577d00e266d0, "1.9917479904700448e-300"),
        (0xa9f559fcf0b37868, "-1.4546223495953267e-106"),
        (0x29ef41d0deea959e, "1.0647315861075762e-106"),
        (0x94820a06c555663f, "-6.85882119867777e-210"),
        (0x495cfa4f2dcaabd5, "2.5849035208654928e+45"),
        (0xa70ce1b51978cec0, "-1.3980865026926386e-120"),
        (0x1b1bcf726a1eccda, "4.2893241473530543e-178"),
        (0xae711399e2b2848b, "-5.493913207906451e-85"),
        (0x2e80dbd593fd7234, "1.084765896058589e-84"),
        (0x600027e8bc90a6ec, "2.7076892184663095e+154"),
        (0xf5cdb9413b8d0e76, "-2.8563304288860733e+259"),
        (0x9893588c860a7da1, "-2.713760756235414e-190"),
        (0xe9c329a8b59a5969, "-2.9336244025820534e+201"),
        (0x5473da68d3285151, "6.784975464656184e+98"),
        (0x0a4de3e4ce9fb6a8, "4.860072067895261e-259"),
        (0x1eab5cd83b788b66, "6.082062402788562e-161"),
        (0x7fcd33d2df8960ad, "4.10132964629943e+307"),
        (0xbcb8a0843764b52e, "-3.417685226750283e-16"),
        (0xc18c6da1cd4944b6, "-59618361.66077559"),
        (0xab721ab08e1a11f0, "-2.0692936927247466e-99"),
        (0x41fad2962f927291, "7200137977.15297"),
        (0x6f05571896af0dea, "6.319251251549195e+226"),
        (0xea80db0684ab5616, "-1.056940311011457e+205"),
        (0x213f191ff56ae7ea, "1.5200456102231995e-148"),
        (0xfad2b6c50aa25068, "-4.348117394333563e+283"),
        (0x4d23bed52a04f77a, "4.061401464333647e+63"),
        (0xdd533730fbb91133, "-3.661269769061302e+141"),
        (0x026530cdd50b612b, "4.0502177924977255e-297"),
        (0xf70ae8c026784184, "-2.711481795810649e+265"),
        (0x5987baf13aa725cb, "1.9608773770896137e+123"),
        (0x578b24268a04f74f, "5.22176877534521e+113"),
        (0x62d1c049282fe557, "1.0467507166491465e+168"),
        (0x03499f8452e1fbb0, "8.023911259315103e-293"),
        (0x0f967bcc0ca02f4d, "1.4142587738176482e-233"),
        (0x71f2f9c4b6307bad, "7.908122518568666e+240"),
        (0x635a8ce2141cb03e, "4.007997109135255e+170"),
        (0xcc905983fe9e6246, "-6.568226815218018e+60"),
        (0x2df2b7c8ebaa7701, "2.3523319674493097e-87"),
        (0x02ff5f56c9f0b072, "3.0700980282040266e-294"),
        (0xb65b9045c5bc647a, "-7.543902500927032e-47"),
        (0x372139f35e2503dd, "3.862285675622193e-43"),
        (0x8334bb82adbfb00e, "-3.246198895799575e-293"),
        (0x1f1af1fac2e1dac4, "7.666272183892173e-159"),
        (0x9f3180427b142708, "-1.9917072854191663e-158"),
        (0x03898f4e0fc01b11, "1.2806528033449365e-291"),
        (0x7de6002da0485922, "2.8776776539821043e+298"),
        (0xc5a0ff6d53650fc7, "-2.63027625872595e+27"),
        (0xf74fd9ec9c2ecc16, "-5.135147086239563e+266"),
        (0xec2fc96a6bbb69f5, "-1.3376222657141875e+213"),
        (0x8cc05570f3d90ebd, "-2.920112608168592e-247"),
        (0x5d41eb25339bb47e, "1.7070668040312532e+141"),
        (0xa9b04e95c4d3c54c, "-6.943443525783314e-108"),
        (0x1e8fcb74b2d4f32a, "1.7668014370103972e-161"),
        (0x265015788e7ae9af, "3.801652100133177e-124"),
        (0x7eb14f84147de9b0, "1.8548466680109644e+302"),
        (0xe47b342b2a3a4667, "-1.0765316368766168e+176"),
        (0x55e6fa5af79fcaa0, "6.587487223251784e+105"),
        (0x340856933b0b6398, "4.8466205199672995e-58"),
        (0x29aa57a529ddf4c7, "5.608236388575786e-108"),
        (0x266fdf5c49cdbec7, "1.5067040208393873e-123"),
        (0x173148758980bb2c, "5.780202677294167e-197"),
        (0xb21ab98f85056138, "-2.4781990961863778e-67"),
        (0x2583bf9000da5a80, "5.697985911077337e-128"),
        (0xa85dffca00d0bac4, "-3.0454465617270388e-114"),
        (0xe2cce77b7efe369a, "-8.522146168608318e+167"),
        (0xd5d3cee22f529fb3, "-2.839371183697284e+105"),
        (0xef0e1c779b852cbc, "-8.916508270791997e+226"),
        (0xd9c1aa99cc6812b6, "-2.335697060103056e+124"),
        (0x43a7c488188b2694, "8.563216986513925e+17"),
        (0xc00187a68152a2c5, "-2.1912355521529627"),
        (0x10ed026067f8ab1f, "3.826751713004138e-227"),
        (0xc05f69afca5b2579, "-125.65135439778341"),
        (0x75fb4415f46d4e1d, "2.0961244526611627e+260"),
        (0x2e93761b6aae0b74, "2.504461249650085e-84"),
        (0xeb3f4d0a3e46cc1c, "-4.0197066737830738e+208"),
        (0x2f2faab7e0e3a17d, "2.0864899591815364e-81"),
        (0x5f77442206fb8a80, "7.615917795541164e+151"),
        (0x2d0bc102549968e7, "1.0644272998136749e-91"),
        (0x2d87bab8650ffbcf, "2.3297945069853475e-89"),
        (0x92573b502d9059c6, "-2.5707747585340037e-220"),
        (0xd2cf5d1dae103641, "-7.9861318468407615e+90"),
        (0xe4b1455b84ad1903, "-1.0935361238560972e+177"),
        (0xf5ce60113fba91d2, "-2.9189478353657627e+259"),
        (0x836170c269cacc7b, "-2.184601947794285e-292"),
        (0x6ae36852b11f43a4, "7.788555104309424e+206"),
        (0x1ec1db445330d7c5, "1.5876286696466443e-160"),
        (0xa4cc1ad011552ddf, "-1.9797549370939524e-131"),
        (0xbe5a445275e38718, "-2.4462941333113226e-08"),
        (0xa0ce08bb31efbef6, "-1.1469035461866962e-150"),
        (0x923c73249f0e5690, "-7.870495342264318e-221"),
        (0xbfc8436533af061b, "-0.1895567419397118"),
        (0x87ed24ba22910c37, "-1.7239120105766284e-270"),
        (0x3bb5a287e4daa2e7, "4.581365329389004e-21"),
        (0x915f892f548dc214, "-5.324859891907138e-225"),
        (0x2017a69d4ad48431, "4.4099001331323714e-154"),
        (0x82a4e5f289cb56b8, "-6.390926442744239e-296"),
        (0xc5795f45b1817b72, "-4.9076889475551325e+26"),
        (0xe4384bebabc67790, "-6.009279127398821e+174"),
        (0x0f27e5e8cc638bb9, "1.1744011760615876e-235"),
        (0xc6f736f0428b2d1b, "-7.533569576135374e+33"),
        (0x0b4634e66d47be83, "2.366336730663633e-254"),
        (0xcc9a502c5d2c805c, "-1.0570911272676434e+61"),
        (0x8930dd5b84459a03, "-2.092097213861204e-264"),
        (0x1b89788992f4b20d, "5.0284712345844046e-176"),
        (0xc24281d3a11908e0, "-158975083058.06934"),
        (0x27fafa5d11656edb, "4.279284421110761e-116"),
        (0xe15e16c15f081999, "-1.0575571389321733e+161"),
        (0xa282bbfab56471c8, "-1.920389828419362e-142"),
        (0x4661d077090b3597, "1.1291164397327534e+31"),
        (0x71afc8adbf0976bd, "4.1393654619028486e+239"),
        (0x5e622929af973c3d, "4.535474169396479e+146"),
        (0x4ea838f266dbcc44, "8.35885986122428e+70"),
        (0x9c4172e672fce34d, "-1.4109732383377358e-172"),
        (0x4fd550c343abd549, "3.856506100152423e+76"),
        (0x7e14fe2ebcba851b, "2.196686888664238e+299"),
        (0x0ce4ad117afbd9be, "1.4785672797817292e-246"),
        (0x72101a3f43df86ae, "2.684297202618864e+241"),
        (0x383a03010783a82e, "7.644161727227829e-38"),
        (0x22d57caa58569a9b, "7.048185107514365e-141"),
        (0x00855e6bebc6222b, "3.8037787569860196e-306"),
        (0xf8373eebad17d536, "-1.2280620365056162e+271"),
        (0xcdf91845a0277bbf, "-4.228467524939709e+67"),
        (0x1548e270ef12d18e, "3.8754534207967105e-206"),
        (0x1c6e7bd007d5ba92, "9.860055331187423e-172"),
        (0xdf44c5b49a3a9565, "-8.499476156432417e+150"),
        (0xdcea2252301d8a84, "-3.8902275317590994e+139"),
        (0x7d933dcd659e23c2, "7.864891880506888e+296"),
        (0x45caa2832e8cc39e, "1.64861514536703e+28"),
        (0x3563c1a6596091d6, "1.650135242295896e-51"),
        (0x4cd68a77e6c0bc68, "1.4488726794570176e+62"),
        (0x50b7da40b9b34ee7, "7.070557730096088e+80"),
        (0x63663481d8a69224, "6.704098944376572e+170"),
        (0x9de9feb51352e69d, "-1.4106568273896785e-164"),
        (0x5e4fd35a4d04125f, "1.987030202947863e+146"),
        (0xdd6f3010c8bec05c, "-1.1884806202564742e+142"),
        (0x6b547c700a5b0380, "1.052339737256814e+209"),
        (0x29183eca3091a72b, "1.0081581771513235e-110"),
        (0x249176da14f4913e, "1.5377730068612945e-132"),
        (0x4e779665d14b5d87, "1.0174680038527165e+70"),
        (0x553481243b747bc0, "2.8702971552045567e+102"),
        (0x336e875c6c9e62ea, "5.936903211250274e-61"),
        (0x265ffc9c038c130b, "7.560525576851395e-124"),
        (0xf3a30d701d1940b1, "-1.0657079822298294e+249"),
        (0x0812193f83954252, "8.564647336858285e-270"),
        (0xff45ddffca9353f8, "-1.199660861908444e+305"),
        (0x64631da1574d8811, "3.78232353600283e+175"),
        (0xddd1ddbf51c0d297, "-8.714654011180695e+143"),
        (0x3dc9a0750a72aa2d, "4.6614852000974183e-11"),
        (0x7c11330819806fe8, "4.190324797402743e+289"),
        (0x941164e42605125c, "-5.166841989571824e-212"),
        (0x4257f1be34cd4fcd, "411360088885.2469"),
        (0x88488c9c91e19cb8, "-9.293779367173671e-269"),
        (0x288bfbe35be070a1, "2.272691422414491e-113"),
        (0xbdc20b73fa4c529b, "-3.282318799333305e-11"),
        (0x09bb367048bb6e3a, "8.642007324033961e-262"),
        (0xdf176b4fdb35227e, "-1.1978148065914475e+150"),
        (0x180f72c1177e844c, "8.616073468766249e-193"),
        (0x35136f4187111aa9, "5.07266562378839e-53"),
        (0x811348f18caa597d, "-1.757610246382687e-303"),
        (0xf6198f9ba8448d68, "-7.860199592594966e+260"),
        (0xfb105a9568feb082, "-6.07961001126951e+284"),
        (0x03e50e5486242766, "6.751955737742985e-290"),
        (0x851e1ad7c71eb812, "-5.0612832370115015e-284"),
        (0x96a4087e26cf6137, "-1.3085871959171621e-199"),
        (0x534aad5888183610, "1.738952892961528e+93"),
        (0xc334629e968c80b9, "-5737932804358329.0"),
        (0xe6665e8ac81d4cd4, "-1.9009900532969823e+185"),
        (0x751d0db629e8fa09, "1.3632506062524258e+256"),
        (0x708a8d146a2254b2, "1.319073659764081e+234"),
        (0x5f2b18db064a2c49, "2.7718552067747727e+150"),
        (0x0700937ba99d4575, "5.984618553375296e-275"),
        (0x637068fcde372e88, "9.908981234399216e+170"),
        (0xac9548a85a80c814, "-6.377212898927847e-94"),
        (0x8a7901dcd0f6cbf1, "-3.252895487671519e-258"),
        (0x9822a58ca8748eb2, "-2.0434981059441478e-192"),
        (0x51b98cae045ca36e, "4.9634277703972054e+85"),
        (0x700964027861a5c5, "4.9274329007733266e+231"),
        (0x51aaceff0bb58d76, "2.6040096417749403e+85"),
        (0x63b4d323502f5232, "2.0119514275681303e+172"),
        (0x4c6872e9ccf6aec9, "1.2277448573449787e+60"),
        (0x61352eec201e280d, "1.8613632381431155e+160"),
        (0x9f5e1c8c90bc0ea2, "-1.370739593690286e-157"),
        (0x91fc7f590e851ffb, "-4.9273027697757894e-222"),
        (0x7c75deae1c1d86c8, "3.410055986545787e+291"),
        (0x1e62f07bf3c10a10, "2.6311061159502435e-162"),
        (0x9d6285d618ae2765, "-3.9264403863894e-167"),
        (0x0883bd312c92bdc3, "1.1956379889832531e-267"),
        (0x0d1c6a5ef0a8c3b4, "1.6256199481099997e-245"),
        (0xd5c29cea4f10da2e, "-1.3340242400688542e+105"),
        (0x866b4614376bec48, "-9.616096259834715e-278"),
        (0x75dfcbf818b15165, "6.111095520525088e+259"),
        (0x7816be637fcf8723, "3.003843839815901e+270"),
        (0x6c610ed70f137e3f, "1.1485086124241243e+214"),
        (0xe72c9f1638556b58, "-9.962737086968845e+188"),
        (0x545b909d38dcc11f, "2.3551306780541934e+98"),
        (0xc8d9d94ebec1e4d9, "-9.007012368674242e+42"),
        (0x621970b329815fda, "3.6625094005255827e+164"),
        (0x8b1423d496903191, "-2.6826396859049356e-255"),
        (0xffcf61d33ddf7bbc, "-4.4074561590428944e+307"),
        (0xaf9fe017fe6b0ff4, "-2.6882913529178125e-79"),
        (0x78b8c927fd9a7775, "3.3521113267568515e+273"),
        (0x2e2ff777ec81acf1, "3.2138729203120325e-86"),
        (0x355e35a7e66be00f, "1.2616114783818046e-51"),
        (0x930a44258dbee3ab, "-5.952650015576552e-217"),
        (0x8d189aadee4c8dc6, "-1.4075799962925771e-245"),
        (0x36c0c591a3cddd00, "5.875558119174252e-45"),
        (0xac3a241f28cdd5ec, "-1.223841718838012e-95"),
        (0x749871e6bb7b32aa, "4.48048585028753e+253"),
        (0xc24fdd1bd96ad6e5, "-273707152085.67886"),
        (0xa68e3fc803b31836, "-5.719853377861852e-123"),
        (0x12be104031e63801, "2.129131086199124e-218"),
        (0xe65325f3c8c7e57f, "-8.13629092552967e+184"),
        (0x11db117ac49ee908, "1.1700485163371153e-222"),
        (0xcece975d8f8236d5, "-4.222663908592318e+71"),
        (0x182ec3da1f4fb4da, "3.37155588540586e-192"),
        (0x911cf7d943e7a280, "-3.0570614195546227e-226"),
        (0x36adde623c57d6b5, "2.6159340290672893e-45"),
        (0x47125412fb078b3b, "2.3791642414279084e+34"),
        (0x7f6752de39aee1d2, "5.1182692215097154e+305"),
        (0xbbf3ee6e5ec0533a, "-6.753011376550664e-20"),
        (0x725d1d43b064752d, "7.765386665601189e+242"),
        (0x674ecffaa9c54447, "4.2901559446542313e+189"),
        (0x3fc732df8febd89d, "0.18124002959638555"),
        (0x735aa0baa692beb2, "4.654494520512053e+247"),
        (0xd64bc69fdd710d12, "-5.0963148084120107e+107"),
        (0x81229d6ae9f8fce2, "-3.393089983761154e-303"),
        (0x84a44b311bc32d7f, "-2.6654820069386706e-286"),
        (0x834bea7507b67cf8, "-8.741884340858645e-293"),
        (0x8a4aa219e9e11005, "-4.3304918078619184e-259"),
        (0xae4e9557e9072678, "-1.2299193126377568e-85"),
        (0x3d242bf45e33e84f, "3.583213283323073e-14"),
        (0x7e43652166528d2b, "1.6235900975954422e+300"),
        (0x15195c64af56411d, "4.937053659406895e-207"),
        (0x772ec8016be805e9, "1.2406599041363924e+266"),
        (0x53e7dea91c6c5239, "1.5932973389955376e+96"),
        (0x71b80aa53fccf7de, "6.262094887553498e+239"),
        (0x6cb4c4544dc094bf, "4.474338348060467e+215"),
        (0x1fe6394390f23ccc, "5.179744739142337e-155"),
        (0x37cc830d2bd47c69, "6.546015736302847e-40"),
        (0x9dea7b52ba87b56c, "-1.4370727411880272e-164"),
        (0xebb0a108f8441762, "-5.466939169625576e+210"),
        (0x4321068e62852c25, "2396141606049298.5"),
        (0xe17cd1f192002619, "-4.051847215643804e+161"),
        (0xc70060a0a2e109c5, "-1.0629573496642015e+34"),
        (0x2d0e9515cc488391, "1.1729037701751334e-91"),
        (0x016ef2f6a10d9421, "9.026139510818293e-302"),
        (0xbb6f97af843aac11, "-2.090617730681309e-22"),
        (0x46ba6fa6b872d885, "5.361885732303518e+32"),
        (0xce6c5f5f0614cf0a, "-6.119378119153713e+69"),
        (0x7ab46ca8f0964600, "1.1863869798745426e+283"),
        (0x55119369e60ccaa1, "6.150841127015564e+101"),
        (0xa195da8db19e0934, "-6.836401959460678e-147"),
        (0xca55c919339d4eca, "-1.2735841417508064e+50"),
        (0x4d5de2dca02798f9, "4.917784371177735e+64"),
        (0xba24c0400733213d, "-1.3095707595074589e-28"),
        (0x5df551bb65cfa1b3, "4.159586676883366e+144"),
        (0xefa99845372273f9, "-7.761015547950389e+229"),
        (0xfc6bc3168fad43b3, "-2.1644001728727457e+291"),
        (0x3afe889c401c00ae, "1.5785518896666121e-24"),
        (0xeb872685179fb78f, "-9.513641373806031e+209"),
        (0x343b335bcb3aae05, "4.333308676497724e-57"),
        (0xeb147d314053559f, "-6.578069875118213e+207"),
        (0x017f5b4b8f492c25, "1.8289996394675339e-301"),
        (0x26bde4db043c8620, "4.5221536963083336e-122"),
        (0x95004140903f13f6, "-1.5821842929192985e-207"),
        (0xedc3c715ca0c42b7, "-5.585243373745016e+220"),
        (0x2220718fc8f548aa, "2.6337163243352864e-144"),
        (0x36939b01541152cc, "8.585356767350083e-46"),
        (0xd66d12fb20df15ca, "-2.133808319286009e+108"),
        (0x9f7c054d9c06a6cb, "-5.1022471571467185e-157"),
        (0x829c95a24e774658, "-4.3707402207125675e-296"),
        (0x076c3a39492b4442, "6.522369256627883e-273"),
        (0xc0821e2b89d687fc, "-579.7712589988946"),
        (0x4043aa84dfce3151, "39.33218"),
        (0x406442de8ccc58f0, "162.08966674720386"),
        (0x4053c6395810624e, "79.09725"),
        (0x407c7a609692062c, "455.64858109512966"),
        (0x405442339c0ebee0, "81.0344"),
        (0x405f3c2184e51170, "124.939545844745"),
        (0x403c000000000000, "28.0"),
        (0x4052977db4922970, "74.36704744599933"),
        (0x405075470a808c82, "65.832461"),
        (0x40793e4d844a3068, "403.89392498951065"),
        (0x4056eccccccccccd, "91.7"),
        (0x4088f55d80cbff06, "798.670655816765"),
        (0x4014000000000000, "5.0"),
        (0x407d16e7b56fd90c, "465.43156951609194"),
        (0x4054c00000000000, "83.0"),
        (0x40746f6bdacadd8c, "326.96383170360855"),
        (0x405632b020c49ba6, "88.792"),
        (0xc06ae880f9198bd8, "-215.26574378003602"),
        (0x40228a3d70a3d70a, "9.27"),
        (0x40778c567ea98dac, "376.7711168883495"),
        (0x40283be76c8b4396, "12.117"),
        (0xc080e1fd5a2374eb, "-540.2487070818"),
        (0x404f08ac3a860dcc, "62.067756"),
        (0xc054936bec47a3d0, "-82.30346209522327"),
        (0x404f5851eb851eb8, "62.69"),
        (0xc0853e004cfcdf06, "-679.7501468425332"),
        (0x4050f9999999999a, "67.9"),
        (0xc06c2f3618bcccec, "-225.4753535926351"),
        (0x403f33256ffc115e, "31.19979"),
        (0x406934fef5217fb8, "201.65612274687533"),
        (0x40457eb851eb851f, "42.99"),
        (0xc07fd6ec6eb53023, "-509.43272276665283"),
        (0x404e06e978d4fdf4, "60.054"),
        (0xc08d942f449a33bc, "-946.5230800673521"),
        (0x4050c851eb851eb8, "67.13"),
        (0xc086ae191891e649, "-725.7622538946536"),
        (0x40532f5c28f5c28f, "76.74"),
        (0x4086bc9645c3f2d0, "727.5733752544857"),
        (0x4054da68e3ef2841, "83.412652"),
        (0x408901c995655932, "800.2234294813009"),
        (0x4053e66666666666, "79.6"),
        (0xc001a7171926f500, "-2.2065870251668684"),
        (0x40514c5a1cac0831, "69.193"),
        (0x407fe2e66a3e6430, "510.18125366565346"),
        (0x40371374bc6a7efa, "23.076"),
        (0xc08129287ace95d2, "-549.1447654857132"),
        (0x40496916872b020c, "50.821"),
        (0xc079908f8ad2acee, "-409.0350445012581"),
        (0x4058400000000000, "97.0"),
        (0x4087d1929eaedb0e, "762.1965917263603"),
        (0xc085e0f1c2bc9298, "-700.1180472118604"),
        (0x404ab10a0b1bbcf5, "53.383119"),
        (0x4079ebc89e854680, "414.7364793020315"),
        (0x405126c7d5ed06ff, "68.605947"),
        (0xc08790e211263ef1, "-754.1103842723807"),
        (0x404359999999999a, "38.7"),
        (0xc08b3d916c3f2f1b, "-871.6960072456599"),
        (0x4050800000000000, "66.0"),
        (0xc08945a52d3de0a5, "-808.7056526979619"),
        (0x403a19999999999a, "26.1"),
        (0x40730dbdd0a91050, "304.85884157219425"),
        (0x404ec7a43fe5c91d, "61.5597"),
        (0x408da9f3a73a1a9c, "949.2439713038798"),
        (0x403f0ccccccccccd, "31.05"),
        (0xc06b130df9149bb8, "-216.5954556849008"),
        (0x404d0cfaacd9e83e, "58.1014"),
        (0xc05ee9af74fbe8a8, "-123.65133404350729"),
        (0x40500ccccccccccd, "64.2"),
        (0xc07e9c5a31f243e7, "-489.77202028879987"),
        (0x40311eb851eb851f, "17.12"),
        (0x407587023db354a4, "344.43804712344195"),
        (0x4049000000000000, "50.0"),
        (0x404bd2f5a29d2780, "55.648121191726204"),
        (0x4051866666666666, "70.1"),
        (0x40860cb9ef3e6b3e, "705.5907883526304"),
        (0x4057400000000000, "93.0"),
        (0xc08a4659f48e7ad8, "-840.7939234858741"),
        (0x40824dd9d7aa43ec, "585.7313683797815"),
        (0x4037000000000000, "23.0"),
        (0x40834a9e10ff8b16, "617.3271808590241"),
        (0x402c000000000000, "14.0"),
        (0xc08640c05dbc01a3, "-712.0939287841796"),
        (0x404537ef9db22d0e, "42.437"),
        (0xc08db5931825a39e, "-950.6968234005506"),
        (0x4057dd930be0ded3, "95.4621"),
        (0x40340e24592b9d20, "20.055242131374257"),
        (0x402cdb7fbefd0071, "14.428709"),
        (0xc088b40481871e6d, "-790.5022001796875"),
        (0x4052b1c91d14e3bd, "74.7779"),
        (0xc08580b5fe3324f0, "-688.0888637538574"),
        (0x401cbe4cd7492791, "7.18584"),
        (0xc0723580b7ef6c7e, "-291.34392541432305"),
        (0x405753d70a3d70a4, "93.31"),
        (0x408cc00895e7b8f0, "920.0041921714128"),
        (0x403d742c3c9eecc0, "29.4538"),
        (0xc0750ea5d5a8ed98, "-336.9154869650606"),
        (0x401c666666666666, "7.1"),
        (0xc07f16a0e81deb19, "-497.41428386389595"),
        (0x4057466666666666, "93.1"),
        (0x405cc3fe4dbaae00, "115.0623964617771"),
        (0x402a000000000000, "13.0"),
        (0xc05bd43ca6d46f50, "-111.31620188470447"),
        (0x405619999999999a, "88.4"),
        (0xc086ba88518b5252, "-727.3165617832658"),
        (0x4051176fd21ff2e5, "68.3662"),
        (0x407d4c724b604a48, "468.77790391553253"),
        (0x4039492e1ef73c0c, "25.28586"),
        (0xc07e8abe0138bfd0, "-488.6713878838318"),
        (0x405190504816f007, "70.2549"),
        (0x4060279c1c044ec0, "129.237806328214"),
        (0x4051c9566cf41f21, "71.1459"),
        (0xc0829a37b45e90ba, "-595.2771994960706"),
        (0x40718a3bc9ed0480, "280.6395968683719"),
        (0x4030fc28c36da87a, "16.984997"),
        (0x400cfd4531737c00, "3.623667131745151"),
        (0x401e00c1b97353b5, "7.500739"),
        (0x4065a94d0f288908, "173.2906566421227"),
        (0x4053eb645a1cac08, "79.678"),
        (0xc085beb2fba99580, "-695.837394070506"),
        (0x4053000000000000, "76.0"),
        (0xc0596837adb8e2d0, "-101.62839835219643"),
        (0x40283851eb851eb8, "12.11"),
        (0xc07acc87380e9b44, "-428.7830124445502"),
        (0x404a333333333333, "52.4"),
        (0x40831dab72705376, "611.7087143683882"),
        (0x40528df212d77319, "74.2179"),
        (0xc089218cc1aa4c0e, "-804.1937287620983"),
        (0x402d666666666666, "14.7"),
        (0x4082fe10ffbf764c, "607.7583003004052"),
        (0x4050c7c193b3a68b, "67.12119"),
        (0xc069f928038e4614, "-207.78613450801697"),
        (0x405806dfa43fe5c9, "96.1074"),
        (0x406638288d8fedc8, "177.75495031462765"),
        (0x403a547ae147ae14, "26.33"),
        (0xc06b5f70de92174c, "-218.98252800496482"),
        (0x3fe0c432ca57a787, "0.52395"),
        (0x407a2eb7f8f681b0, "418.9199151639141"),
        (0x4045a9fbe76c8b44, "43.328"),
        (0xc03d39cfc2483f60, "-29.22582639945847"),
        (0x4025072b020c49ba, "10.514"),
        (0xc0817dfc8b885d66, "-559.7483130124572"),
        (0x4012666666666666, "4.6"),
        (0x402cee3a82d59480, "14.465290154048716"),
        (0x4058fb759ab6d00b, "99.929053"),
        (0xc08a6f9fb8c175e1, "-845.9529891122912"),
        (0x4057a68bc9cd3e0c, "94.602282"),
        (0x4064b27deae266e0, "165.57787079066384"),
        (0x40558f03afb7e910, "86.2346"),
        (0xc082358eb2bd228c, "-582.6946768547218"),
        (0x402a675cd0bb6ed6, "13.20188"),
        (0xc08ef57601283e38, "-990.6826193946827"),
        (0x4056066666666666, "88.1"),
        (0xc08e59e5dff107e7, "-971.237243540815"),
        (0x4057c00000000000, "95.0"),
        (0xc07dd1f10e17dfe2, "-477.12135133100503"),
        (0x4054b9999999999a, "82.9"),
        (0x408c8d0df2130a44, "913.6318093764789"),
        (0x40545c9ba5e353f8, "81.447"),
        (0x406b18fba0053448, "216.78071595207643"),
        (0x403679bcfd4bf099, "22.47554"),
        (0xc0896dbf92fddf18, "-813.7185420831402"),
        (0x3ff4e147ae147ae1, "1.305"),
        (0xc089035f1cf5bd71, "-800.4214419554174"),
        (0x4046000000000000, "44.0"),
        (0xc08aa895a590cda6, "-853.0730696976432"),
        (0x4057cc7ae147ae14, "95.195"),
        (0xc07580e7ad859846, "-344.0565619677112"),
        (0x40477a60807357e6, "46.95607"),
        (0xc0864439463cc5a5, "-712.5279659984413"),
        (0x4054bd3f7ced9168, "82.957"),
        (0x40860bfce8910c04, "705.4984904605667"),
        (0x40448ccccccccccd, "41.1"),
        (0xc060db805955bf94, "-134.85941759822583"),
        (0x4054ef32df505d10, "83.73748"),
        (0x408b2c515bf27ab4, "869.5397261565872"),
        (0x4043800000000000, "39.0"),
        (0xc05324511e0251d0, "-76.5674510023739"),
        (0x4027b31a4bdba0a5, "11.84981"),
        (0xc046036a0fc70460, "-44.02667424409515"),
        (0x4054928f5c28f5c3, "82.29"),
        (0xc087c3517acf2ab7, "-760.4147850212966"),
        (0x403b543fe5c91d15, "27.3291"),
        (0xc08298579cdb5dc0, "-595.0427796495424"),
        (0x4024ce5604189375, "10.403"),
        (0x407376f038cdbb24, "311.4336479221695"),
        (0x4058a51eb851eb85, "98.58"),
        (0x4072989869d91244, "297.537210319457"),
        (0x4037fd70a3d70a3d, "23.99"),
        (0xc0621b55237b5514, "-144.85414289558742"),
        (0xc06da361d833b820, "-237.10569391347326"),
        (0x405679999999999a, "89.9"),
        (0x407c6d959bff35b0, "454.8490257233743"),
        (0x40506ccccccccccd, "65.7"),
        (0x406631f36676c4e8, "177.56096194455245"),
        (0x40450a3d70a3d70a, "42.08"),
        (0x433405396586557d, "5635243608790397.0"),
        (0x432360e9580405c1, "2727289938903776.5"),
        (0x3ed69e10a06b97c2, "5.392418194393889e-06"),
        (0x3dc424f7162461d7, "3.664244148362106e-11"),
        (0x3e6082e761c40629, "3.0754773146592806e-08"),
        (0x44d86f1d2fbb1fe1, "4.615459491453994e+23"),
        (0x3f1574ef6b6a861e, "8.185111333116514e-05"),
        (0x44b12fb7508cab0c, "8.116043639262166e+22"),
        (0x3f724eff689fce69, "0.004469869318188915"),
        (0x3ee2e8255dbe89c6, "9.015474397082521e-06"),
        (0x3f90f01dd72fc257, "0.01654097200293089"),
        (0x43985b7d1d3c7fa1, "4.3878351107836525e+17"),
        (0x41b05a1efa92b35a, "274341626.5730492"),
        (0x41fff7a9a221c547, "8581192226.110663"),
        (0x433da57f192fe67f, "8344739626608255.0"),
        (0x443e6f4fd5a15836, "5.614231865616031e+20"),
        (0x41e3ac5a0adc0d91, "2640498774.876656"),
        (0x4010f59820661390, "4.239838129263163"),
        (0x444538b22244f1e2, "7.829339820787806e+20"),
        (0x44d9837a6feabd2a, "4.819380322947612e+23"),
        (0x412b28bbcbef1680, "889949.8983084708"),
        (0x440795c09b4ad873, "5.438323864353259e+19"),
        (0x41b4a6f067cf3cb7, "346484839.8095202"),
        (0x44e248beb6901adb, "6.907560367577495e+23"),
        (0x400c3f2cf6ec7ce8, "3.5308474818153748"),
        (0x3f01c243681e2a99, "3.387230118708402e-05"),
        (0x436458863acc2f33, "4.5814664556280216e+16"),
        (0x43998281f4b0cbe8, "4.5954362146468506e+17"),
        (0x4086dfd3ee080132, "731.978481352364"),
        (0x40e4da74efa8525d, "42707.654255066744"),
        (0x43dc5e1839f929a9, "8.176391672580974e+18"),
        (0x4326b631f97b2b69, "3196387621442996.5"),
        (0x3f18e635bdba34f7, "9.498312959462298e-05"),
        (0x4266e88e9470f7fb, "787127509895.7494"),
        (0x43a444cf16a4454e, "7.302599376635594e+17"),
        (0x3e0d1cfc1f55d662, "8.473062795404497e-10"),
        (0x40f7a2fb97a52c28, "96815.72452275513"),
        (0x3fb10d3e5cebaf36, "0.06660833138056152"),
        (0x3dc484cd56e08476, "3.732340379434718e-11"),
        (0x3dead46939de1e10, "1.9521198280586439e-10"),
        (0x42f087dda5081920, "290811603354002.0"),
        (0x4023dd884dc0c950, "9.932680539878362"),
        (0x4212b2e12fed6384, "20077628411.347183"),
        (0x421d9417ccb70d2f, "31759659821.762875"),
        (0x40e49e7825b50501, "42227.75460291841"),
        (0x43db8d307ea460c4, "7.941185324888297e+18"),
        (0x3dd851c70d0117f9, "8.84736201410795e-11"),
        (0x40a2376c906fdac2, "2331.712039466337"),
        (0x43a604967c41f3ec, "7.932792145839365e+17"),
        (0x3e3fa01c0ae96c92, "7.3633687329684575e-09"),
    ];

    #[test]
    fn matches_python_table() {
        let mut failures = Vec::new();
        for &(bits, expected) in CASES {
            let value = f64::from_bits(bits);
            let got = repr(value);
            if got != expected {
                failures.push(format!("{bits:#018x}: got {got}, expected {expected}"));
            }
            // the repr must round-trip
            assert_eq!(got.parse::<f64>().unwrap().to_bits(), bits, "{got}");
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn named_examples() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (0.1, "0.1"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123.456, "123.456"),
            (1e22, "1e+22"),
            (-1.5e-7, "-1.5e-07"),
            (9999999999999998.0, "9999999999999998.0"),
            (100.0, "100.0"),
        ];
        for &(value, expected) in cases {
            assert_eq!(repr(value), expected);
        }
    }

    #[test]
    fn appends_to_existing_buffer() {
        let mut out = b"x=".to_vec();
        write_float_repr(2.5, &mut out);
        assert_eq!(out, b"x=2.5");
    }

    #[test]
    fn non_finite_fallback() {
        assert_eq!(repr(f64::NAN), "nan");
        assert_eq!(repr(f64::INFINITY), "inf");
        assert_eq!(repr(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn sweep_round_trips() {
        // every output must parse back to the same bits and follow the layout rule
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let value = f64::from_bits(x);
            if !value.is_finite() {
                continue;
            }
            let s = repr(value);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x, "{s}");
            assert!(s.contains('.') || s.contains('e'), "{s}");
        }
    }

    #[test]
    fn fixed_range_fast_path_matches_the_general_layout() {
        // the fast path must give what the digit-by-digit layout gives, over the whole range
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = f64::from_bits(state);
            if !value.is_finite() {
                continue;
            }
            for candidate in [
                value,
                value % 1e16,
                (value % 1.0) * 1e-3,
                (state % 100_000) as f64 / 7.0,
            ] {
                let magnitude = candidate.abs();
                if !(1e-4..1e16).contains(&magnitude) {
                    continue;
                }
                let mut fast = Vec::new();
                write_float_repr(candidate, &mut fast);
                let mut slow = Vec::new();
                write_float_general(candidate, &mut slow);
                assert_eq!(fast, slow, "{candidate:e}");
            }
        }
    }

    #[test]
    fn short_decimals_match_the_general_layout() {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut checked = 0;
        for _ in 0..400_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let k = (state % 5) as i32;
            let n = (state >> 8) % 10_000_000_000;
            let sign = if state & 1 == 1 { -1.0 } else { 1.0 };
            for candidate in [sign * n as f64 / 10f64.powi(k), f64::from_bits(state)] {
                if !candidate.is_finite() {
                    continue;
                }
                let mut short = Vec::new();
                if write_short_decimal(candidate, &mut short) {
                    let mut general = Vec::new();
                    write_float_general(candidate, &mut general);
                    assert_eq!(short, general, "{candidate:e}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000);
    }
}
