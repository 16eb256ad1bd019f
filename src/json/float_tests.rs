//! `write_float_repr` against Python's own `repr(float)`.

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

/// f64 bits and what Python 3.11's `repr` gave for them, one case per line.
fn python_cases() -> impl Iterator<Item = (u64, &'static str)> {
    include_str!("float_repr_cases.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let (bits, text) = line.split_once(' ').unwrap();
            (u64::from_str_radix(&bits[2..], 16).unwrap(), text)
        })
}

#[test]
fn matches_python_table() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for (bits, expected) in python_cases() {
        seen += 1;
        let value = f64::from_bits(bits);
        let got = repr(value);
        if got != expected {
            failures.push(format!("{bits:#018x}: got {got}, expected {expected}"));
        }
        // the repr must round-trip
        assert_eq!(got.parse::<f64>().unwrap().to_bits(), bits, "{got}");
    }
    assert_eq!(seen, 1363);
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
