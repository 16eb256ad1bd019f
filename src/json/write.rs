//! JSON output helpers: short copies and compares, and pydantic-style ISO durations (string
//! literals are `string.rs`'s, re-exported here).

pub(crate) use super::string::{write_json_bytes, write_json_str};

/// `a == b` without a call to `memcmp` for short slices (encoded keys): word compares.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let half = |s: &[u8], at: usize| {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(&s[at..at + 4]);
        u32::from_le_bytes(bytes)
    };
    match n {
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

/// Appends a short byte string (an encoded key, a number's digits) without a call to
/// `memcpy`: two overlapping copies of 16, 8 or 4 bytes for 4 to 32 bytes, a byte loop below
/// that; longer ones take `extend_from_slice`.
#[inline(always)]
pub(crate) fn put_short(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n > 32 {
        out.extend_from_slice(bytes);
        return;
    }
    out.reserve(32);
    // SAFETY: 32 spare bytes were reserved and n <= 32; every read stays inside `bytes`
    // (n >= 16 for the u128 reads, n >= 8 for the u64 reads, n >= 4 for the u32 reads); then
    // n bytes are initialised.
    unsafe {
        let src = bytes.as_ptr();
        let dst = out.as_mut_ptr().add(out.len());
        if n >= 16 {
            let head = src.cast::<u128>().read_unaligned();
            let tail = src.add(n - 16).cast::<u128>().read_unaligned();
            dst.cast::<u128>().write_unaligned(head);
            dst.add(n - 16).cast::<u128>().write_unaligned(tail);
        } else if n >= 8 {
            let head = src.cast::<u64>().read_unaligned();
            let tail = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(head);
            dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        } else if n >= 4 {
            let head = src.cast::<u32>().read_unaligned();
            let tail = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(head);
            dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        out.set_len(out.len() + n);
    }
}

/// "00", "01", ..., "99": two digits a step.
static PAIRS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        table[2 * i] = b'0' + (i / 10) as u8;
        table[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    table
};

/// 10^0 .. 10^19.
static POWERS: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// How many decimal digits `n` has (1 for 0): the bit length's estimate of the decimal
/// logarithm, corrected by one compare.
#[inline(always)]
fn decimal_length(n: u64) -> usize {
    let n = n | 1; // the same length (a power of ten is never one more than an even n)
    let bits = 64 - n.leading_zeros(); // 1..=64
    let guess = ((bits * 1233) >> 12) as usize; // floor(bits * log10(2)), at most 19
    guess + usize::from(n >= POWERS[guess])
}

/// Appends `value` in decimal (what `str(int)` and `itoa` write) straight into `out`: its
/// length first, then two digits a step from the end.
#[inline(always)]
pub(crate) fn put_int(out: &mut Vec<u8>, value: i64) {
    let negative = value < 0;
    let mut rest = value.unsigned_abs();
    let length = decimal_length(rest) + usize::from(negative);
    // at most 19 digits and a sign
    out.reserve(20);
    // SAFETY: `length` <= 20 bytes were reserved; the digits fill [start + negative, start +
    // length) from the end (the length counts exactly them), and the sign, when there is one,
    // is the byte at `start`; every pair index is < 200.
    unsafe {
        let end = out.len();
        let start = out.as_mut_ptr().add(end);
        *start = b'-';
        let mut cursor = start.add(length);
        while rest >= 100 {
            let pair = (rest % 100) as usize * 2;
            rest /= 100;
            cursor = cursor.sub(2);
            cursor.copy_from_nonoverlapping(PAIRS.as_ptr().add(pair), 2);
        }
        if rest >= 10 {
            cursor = cursor.sub(2);
            cursor.copy_from_nonoverlapping(PAIRS.as_ptr().add(rest as usize * 2), 2);
        } else {
            *cursor.sub(1) = b'0' + rest as u8;
        }
        out.set_len(end + length);
    }
}

/// Appends a timedelta exactly as pydantic 2 serialises it to JSON, quotes
/// included (e.g. `"P1DT2H3M4.5S"`, `"-PT0.5S"`, `"P1Y1D"`, `"PT0S"`).
///
/// `days`, `seconds` (< 86400) and `microseconds` (< 1_000_000) are the
/// normalised magnitude and `negative` the sign. Days are split into 365-day
/// years, as pydantic does. A zero duration is always `"PT0S"` (no sign).
pub(crate) fn write_duration_iso(
    negative: bool,
    days: u64,
    seconds: u32,
    microseconds: u32,
    out: &mut Vec<u8>,
) {
    let mut num = itoa::Buffer::new();
    out.push(b'"');
    let is_zero = days == 0 && seconds == 0 && microseconds == 0;
    if negative && !is_zero {
        out.push(b'-');
    }
    out.push(b'P');
    if days != 0 {
        let years = days / 365;
        let rest = days % 365;
        if years != 0 {
            out.extend_from_slice(num.format(years).as_bytes());
            out.push(b'Y');
        }
        if rest != 0 {
            out.extend_from_slice(num.format(rest).as_bytes());
            out.push(b'D');
        }
    }
    if seconds != 0 || microseconds != 0 {
        out.push(b'T');
        let hours = seconds / 3600;
        let minutes = seconds % 3600 / 60;
        let secs = seconds % 60;
        if hours != 0 {
            out.extend_from_slice(num.format(hours).as_bytes());
            out.push(b'H');
        }
        if minutes != 0 {
            out.extend_from_slice(num.format(minutes).as_bytes());
            out.push(b'M');
        }
        if secs != 0 || microseconds != 0 {
            out.extend_from_slice(num.format(secs).as_bytes());
            if microseconds != 0 {
                write_fraction(microseconds, out);
            }
            out.push(b'S');
        }
    } else if days == 0 {
        out.extend_from_slice(b"T0S");
    }
    out.push(b'"');
}

/// Writes `.ffffff` with trailing zeros removed (`microseconds` must be > 0;
/// values >= 1_000_000 are clamped to 999999 rather than mis-written).
fn write_fraction(microseconds: u32, out: &mut Vec<u8>) {
    let mut digits = [0u8; 6];
    let mut value = microseconds.min(999_999);
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    let mut len = 6;
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    out.push(b'.');
    out.extend_from_slice(&digits[..len]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_of_every_length_are_written_as_the_byte_table_says() {
        for len in 0..40usize {
            for at in 0..len {
                for bad in [b'"', b'\\', 0x00, 0x1F, b'\n'] {
                    let mut text = vec![b'a'; len];
                    text[at] = bad;
                    let text = String::from_utf8(text).unwrap_or_default();
                    let mut out = Vec::new();
                    write_json_str(&text, &mut out);
                    let expected = match bad {
                        b'"' => "\\\"".to_owned(),
                        b'\\' => "\\\\".to_owned(),
                        b'\n' => "\\n".to_owned(),
                        other => format!("\\u{other:04x}"),
                    };
                    let want = format!(
                        "\"{}{expected}{}\"",
                        "a".repeat(at),
                        "a".repeat(len - at - 1)
                    );
                    assert_eq!(String::from_utf8_lossy(&out), want);
                }
            }
            let plain = "é".repeat(len);
            let mut out = Vec::new();
            write_json_str(&plain, &mut out);
            assert_eq!(String::from_utf8_lossy(&out), format!("\"{plain}\""));
        }
    }

    #[test]
    fn put_int_writes_what_display_writes() {
        let mut values = vec![
            0i64,
            1,
            -1,
            9,
            10,
            99,
            100,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let mut power = 1i64;
        for _ in 0..19 {
            for delta in -2..=2 {
                values.push(power.saturating_add(delta));
                values.push(-power.saturating_add(delta));
            }
            power = power.saturating_mul(10);
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push((state as i64) >> (state % 64));
        }
        for value in values {
            for prefix in [0usize, 3] {
                let mut out = vec![b'#'; prefix];
                put_int(&mut out, value);
                assert_eq!(out[prefix..], *value.to_string().as_bytes(), "{value}");
                assert!(out[..prefix].iter().all(|&b| b == b'#'));
            }
        }
    }

    #[test]
    fn put_short_copies_every_length_exactly() {
        for len in 0..70usize {
            let source: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            for prefix in [0usize, 1, 7, 15] {
                let mut out = vec![b'#'; prefix];
                put_short(&mut out, &source);
                assert_eq!(&out[..prefix], &vec![b'#'; prefix][..], "{len}/{prefix}");
                assert_eq!(&out[prefix..], &source[..], "{len}/{prefix}");
            }
        }
    }

    #[test]
    fn escapes_found_at_every_offset_of_a_word() {
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
            for at in 0..24 {
                let text: String = (0..24)
                    .map(|i| if i == at { special } else { 'x' })
                    .collect();
                let expected = format!("\"{}\"", text.escape_default())
                    .replace("\\u{1}", "\\u0001")
                    .replace("\\u{1f}", "\\u001f");
                assert_eq!(json(&text), expected, "{special:?} at {at}");
            }
        }
        assert_eq!(
            json("é and ü and \u{7f} stay"),
            "\"é and ü and \u{7f} stay\""
        );
    }

    fn json(s: &str) -> String {
        let mut out = Vec::new();
        write_json_str(s, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn duration(negative: bool, days: u64, seconds: u32, microseconds: u32) -> String {
        let mut out = Vec::new();
        write_duration_iso(negative, days, seconds, microseconds, &mut out);
        String::from_utf8(out).unwrap()
    }

    mod json_cases {
        // generated with Python 3.11: json.dumps(s, ensure_ascii=False)
        pub(super) const CASES: &[(&str, &str)] = &[
            ("\u{0}", "\"\\u0000\""),
            ("\u{1}", "\"\\u0001\""),
            ("\u{2}", "\"\\u0002\""),
            ("\u{3}", "\"\\u0003\""),
            ("\u{4}", "\"\\u0004\""),
            ("\u{5}", "\"\\u0005\""),
            ("\u{6}", "\"\\u0006\""),
            ("\u{7}", "\"\\u0007\""),
            ("\u{8}", "\"\\b\""),
            ("\u{9}", "\"\\t\""),
            ("\u{a}", "\"\\n\""),
            ("\u{b}", "\"\\u000b\""),
            ("\u{c}", "\"\\f\""),
            ("\u{d}", "\"\\r\""),
            ("\u{e}", "\"\\u000e\""),
            ("\u{f}", "\"\\u000f\""),
            ("\u{10}", "\"\\u0010\""),
            ("\u{11}", "\"\\u0011\""),
            ("\u{12}", "\"\\u0012\""),
            ("\u{13}", "\"\\u0013\""),
            ("\u{14}", "\"\\u0014\""),
            ("\u{15}", "\"\\u0015\""),
            ("\u{16}", "\"\\u0016\""),
            ("\u{17}", "\"\\u0017\""),
            ("\u{18}", "\"\\u0018\""),
            ("\u{19}", "\"\\u0019\""),
            ("\u{1a}", "\"\\u001a\""),
            ("\u{1b}", "\"\\u001b\""),
            ("\u{1c}", "\"\\u001c\""),
            ("\u{1d}", "\"\\u001d\""),
            ("\u{1e}", "\"\\u001e\""),
            ("\u{1f}", "\"\\u001f\""),
            (" ", "\" \""),
            ("!", "\"!\""),
            ("\"", "\"\\\"\""),
            ("#", "\"#\""),
            ("$", "\"$\""),
            ("%", "\"%\""),
            ("&", "\"&\""),
            ("'", "\"'\""),
            ("(", "\"(\""),
            (")", "\")\""),
            ("*", "\"*\""),
            ("+", "\"+\""),
            (",", "\",\""),
            ("-", "\"-\""),
            (".", "\".\""),
            ("/", "\"/\""),
            ("0", "\"0\""),
            ("1", "\"1\""),
            ("2", "\"2\""),
            ("3", "\"3\""),
            ("4", "\"4\""),
            ("5", "\"5\""),
            ("6", "\"6\""),
            ("7", "\"7\""),
            ("8", "\"8\""),
            ("9", "\"9\""),
            (":", "\":\""),
            (";", "\";\""),
            ("<", "\"<\""),
            ("=", "\"=\""),
            (">", "\">\""),
            ("?", "\"?\""),
            ("@", "\"@\""),
            ("A", "\"A\""),
            ("B", "\"B\""),
            ("C", "\"C\""),
            ("D", "\"D\""),
            ("E", "\"E\""),
            ("F", "\"F\""),
            ("G", "\"G\""),
            ("H", "\"H\""),
            ("I", "\"I\""),
            ("J", "\"J\""),
            ("K", "\"K\""),
            ("L", "\"L\""),
            ("M", "\"M\""),
            ("N", "\"N\""),
            ("O", "\"O\""),
            ("P", "\"P\""),
            ("Q", "\"Q\""),
            ("R", "\"R\""),
            ("S", "\"S\""),
            ("T", "\"T\""),
            ("U", "\"U\""),
            ("V", "\"V\""),
            ("W", "\"W\""),
            ("X", "\"X\""),
            ("Y", "\"Y\""),
            ("Z", "\"Z\""),
            ("[", "\"[\""),
            ("\\", "\"\\\\\""),
            ("]", "\"]\""),
            ("^", "\"^\""),
            ("_", "\"_\""),
            ("`", "\"`\""),
            ("a", "\"a\""),
            ("b", "\"b\""),
            ("c", "\"c\""),
            ("d", "\"d\""),
            ("e", "\"e\""),
            ("f", "\"f\""),
            ("g", "\"g\""),
            ("h", "\"h\""),
            ("i", "\"i\""),
            ("j", "\"j\""),
            ("k", "\"k\""),
            ("l", "\"l\""),
            ("m", "\"m\""),
            ("n", "\"n\""),
            ("o", "\"o\""),
            ("p", "\"p\""),
            ("q", "\"q\""),
            ("r", "\"r\""),
            ("s", "\"s\""),
            ("t", "\"t\""),
            ("u", "\"u\""),
            ("v", "\"v\""),
            ("w", "\"w\""),
            ("x", "\"x\""),
            ("y", "\"y\""),
            ("z", "\"z\""),
            ("{", "\"{\""),
            ("|", "\"|\""),
            ("}", "\"}\""),
            ("~", "\"~\""),
            ("\u{7f}", "\"\u{7f}\""),
            ("", "\"\""),
            ("hello", "\"hello\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            (
                "line1\u{a}line2\u{d}\u{a}\u{9}tab",
                "\"line1\\nline2\\r\\n\\ttab\"",
            ),
            (
                "\u{0}\u{1}\u{7}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{e}\u{1f} \u{7f}",
                "\"\\u0000\\u0001\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001f \u{7f}\"",
            ),
            ("\u{e9}\u{20ac}\u{1f600}", "\"\u{e9}\u{20ac}\u{1f600}\""),
            ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
            ("/", "\"/\""),
            ("\u{80}\u{9f}\u{a0}\u{ff}", "\"\u{80}\u{9f}\u{a0}\u{ff}\""),
            (
                "\u{d7ff}\u{e000}\u{ffff}\u{10ffff}",
                "\"\u{d7ff}\u{e000}\u{ffff}\u{10ffff}\"",
            ),
            (
                "mixed \"quotes\" and \\backslashes\\ and \u{1b}[0m ansi",
                "\"mixed \\\"quotes\\\" and \\\\backslashes\\\\ and \\u001b[0m ansi\"",
            ),
            (
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\u{a}yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"",
            ),
            ("\u{0}end", "\"\\u0000end\""),
            ("start\u{1f}", "\"start\\u001f\""),
            (
                "\u{43a}\u{43b}\u{44e}\u{447}: \"\u{437}\u{43d}\u{430}\u{447}\u{435}\u{43d}\u{438}\u{435}\"\u{a}",
                "\"\u{43a}\u{43b}\u{44e}\u{447}: \\\"\u{437}\u{43d}\u{430}\u{447}\u{435}\u{43d}\u{438}\u{435}\\\"\\n\"",
            ),
            (
                "\u{65e5}\u{672c}\u{8a9e}\u{9}\u{4e2d}\u{6587}",
                "\"\u{65e5}\u{672c}\u{8a9e}\\t\u{4e2d}\u{6587}\"",
            ),
        ];
    }

    mod duration_cases {
        // generated with pydantic 2.14.3: TypeAdapter(timedelta).dump_json(td);
        // fields are (negative, abs(td).days, abs(td).seconds, abs(td).microseconds)
        pub(super) const DURATION_CASES: &[(bool, u64, u32, u32, &str)] = &[
            (false, 0, 0, 0, "\"PT0S\""),
            (false, 1, 7384, 500000, "\"P1DT2H3M4.5S\""),
            (false, 0, 1, 0, "\"PT1S\""),
            (true, 0, 1, 0, "\"-PT1S\""),
            (false, 0, 0, 1, "\"PT0.000001S\""),
            (true, 0, 0, 1, "\"-PT0.000001S\""),
            (true, 1, 0, 0, "\"-P1D\""),
            (false, 1, 0, 0, "\"P1D\""),
            (false, 0, 3600, 0, "\"PT1H\""),
            (false, 0, 60, 0, "\"PT1M\""),
            (false, 0, 0, 500000, "\"PT0.5S\""),
            (false, 0, 1, 250000, "\"PT1.25S\""),
            (false, 0, 59, 1, "\"PT59.000001S\""),
            (
                false,
                999999999,
                86399,
                999999,
                "\"P2739726Y9DT23H59M59.999999S\"",
            ),
            (true, 999999999, 0, 0, "\"-P2739726Y9D\""),
            (
                true,
                999999998,
                86399,
                999999,
                "\"-P2739726Y8DT23H59M59.999999S\"",
            ),
            (false, 0, 86399, 0, "\"PT23H59M59S\""),
            (false, 3, 0, 10, "\"P3DT0.00001S\""),
            (true, 0, 7380, 0, "\"-PT2H3M\""),
            (false, 1, 37056, 0, "\"P1DT10H17M36S\""),
            (false, 0, 0, 100000, "\"PT0.1S\""),
            (false, 0, 0, 120000, "\"PT0.12S\""),
            (true, 0, 86395, 0, "\"-PT23H59M55S\""),
            (false, 365, 0, 0, "\"P1Y\""),
            (false, 730, 0, 0, "\"P2Y\""),
            (false, 366, 0, 0, "\"P1Y1D\""),
            (false, 30, 0, 0, "\"P30D\""),
            (false, 364, 0, 0, "\"P364D\""),
            (true, 365, 0, 0, "\"-P1Y\""),
            (false, 365, 1, 0, "\"P1YT1S\""),
            (true, 365, 86397, 0, "\"-P1YT23H59M57S\""),
            (false, 0, 0, 10, "\"PT0.00001S\""),
            (false, 0, 0, 999999, "\"PT0.999999S\""),
            (false, 0, 3601, 0, "\"PT1H1S\""),
            (false, 0, 3600, 500000, "\"PT1H0.5S\""),
            (false, 0, 3660, 0, "\"PT1H1M\""),
            (false, 0, 82801, 0, "\"PT23H1S\""),
            (false, 0, 18000, 5, "\"PT5H0.000005S\""),
            (false, 1, 60, 0, "\"P1DT1M\""),
            (false, 1461, 0, 0, "\"P4Y1D\""),
            (false, 0, 0, 1010, "\"PT0.00101S\""),
            (
                true,
                195105371,
                75805,
                600000,
                "\"-P534535Y96DT21H3M25.6S\"",
            ),
            (
                false,
                263245685,
                65313,
                800000,
                "\"P721221Y20DT18H8M33.8S\"",
            ),
            (true, 583935001, 0, 300000, "\"-P1599821Y336DT0.3S\""),
            (true, 761320403, 0, 0, "\"-P2085809Y118D\""),
            (true, 365, 0, 799865, "\"-P1YT0.799865S\""),
            (false, 0, 42661, 500000, "\"PT11H51M1.5S\""),
            (false, 1, 74733, 643496, "\"P1DT20H45M33.643496S\""),
            (false, 1, 0, 700000, "\"P1DT0.7S\""),
            (false, 274656, 44205, 0, "\"P752Y176DT12H16M45S\""),
            (false, 0, 0, 85394, "\"PT0.085394S\""),
            (true, 728804, 34553, 600000, "\"-P1996Y264DT9H35M53.6S\""),
            (true, 0, 39501, 200000, "\"-PT10H58M21.2S\""),
            (false, 380760915, 5978, 0, "\"P1043180Y215DT1H39M38S\""),
            (false, 626996606, 0, 200000, "\"P1717798Y336DT0.2S\""),
            (false, 850800, 0, 100000, "\"P2330Y350DT0.1S\""),
            (false, 108840, 0, 300000, "\"P298Y70DT0.3S\""),
            (true, 365, 41112, 700000, "\"-P1YT11H25M12.7S\""),
            (false, 0, 52455, 600000, "\"PT14H34M15.6S\""),
            (true, 0, 40848, 206502, "\"-PT11H20M48.206502S\""),
            (true, 0, 0, 300000, "\"-PT0.3S\""),
            (false, 0, 79759, 700000, "\"PT22H9M19.7S\""),
            (false, 0, 66821, 400000, "\"PT18H33M41.4S\""),
            (true, 1, 33085, 169234, "\"-P1DT9H11M25.169234S\""),
            (true, 990217, 0, 0, "\"-P2712Y337D\""),
            (false, 1, 0, 900000, "\"P1DT0.9S\""),
            (false, 452336, 34858, 0, "\"P1239Y101DT9H40M58S\""),
            (false, 0, 49524, 0, "\"PT13H45M24S\""),
            (true, 1, 36230, 471773, "\"-P1DT10H3M50.471773S\""),
            (
                false,
                827135,
                40449,
                708206,
                "\"P2266Y45DT11H14M9.708206S\"",
            ),
            (true, 408646474, 27459, 0, "\"-P1119579Y139DT7H37M39S\""),
            (true, 298705, 0, 529760, "\"-P818Y135DT0.52976S\""),
            (true, 265637925, 67960, 0, "\"-P727775Y50DT18H52M40S\""),
        ];
    }

    #[test]
    fn json_str_matches_python() {
        for &(input, expected) in json_cases::CASES {
            assert_eq!(json(input), expected, "{input:?}");
        }
    }

    #[test]
    fn json_str_appends() {
        let mut out = b"[".to_vec();
        write_json_str("a\nb", &mut out);
        out.push(b',');
        write_json_str("", &mut out);
        assert_eq!(out, b"[\"a\\nb\",\"\"");
    }

    #[test]
    fn json_str_escape_positions() {
        // escapes at the start, the end, adjacent, and inside long clean runs
        let long = "é".repeat(1000);
        let input = format!("\"{long}\\\u{1}{long}\n");
        let expected = format!("\"\\\"{long}\\\\\\u0001{long}\\n\"");
        assert_eq!(json(&input), expected);
        let expected_all: String = (0u8..0x20)
            .map(|b| match b {
                0x08 => "\\b".to_string(),
                0x09 => "\\t".to_string(),
                0x0a => "\\n".to_string(),
                0x0c => "\\f".to_string(),
                0x0d => "\\r".to_string(),
                _ => format!("\\u{b:04x}"),
            })
            .collect();
        let input_all: String = (0u8..0x20).map(char::from).collect();
        assert_eq!(json(&input_all), format!("\"{expected_all}\""));
    }

    #[test]
    fn json_str_output_is_valid_json_shape() {
        // every char from a sample of the whole Unicode range round-trips
        // through a minimal unescaper
        let mut input = String::new();
        for cp in (0u32..0x11_0000).step_by(97) {
            if let Some(c) = char::from_u32(cp) {
                input.push(c);
            }
        }
        let out = json(&input);
        let inner = &out[1..out.len() - 1];
        let mut decoded = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                assert!(c as u32 >= 0x20 && c != '"', "{c:?} left unescaped");
                decoded.push(c);
                continue;
            }
            match chars.next().unwrap() {
                'n' => decoded.push('\n'),
                'r' => decoded.push('\r'),
                't' => decoded.push('\t'),
                'b' => decoded.push('\u{8}'),
                'f' => decoded.push('\u{c}'),
                '"' => decoded.push('"'),
                '\\' => decoded.push('\\'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    assert_eq!(hex, hex.to_lowercase());
                    decoded.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                other => panic!("unexpected escape {other:?}"),
            }
        }
        assert_eq!(decoded, input);
    }

    #[test]
    fn duration_matches_pydantic() {
        for &(negative, days, seconds, micros, expected) in duration_cases::DURATION_CASES {
            assert_eq!(
                duration(negative, days, seconds, micros),
                expected,
                "{negative} {days} {seconds} {micros}"
            );
        }
    }

    #[test]
    fn duration_edge_cases() {
        // negative zero cannot come from Python; it is written unsigned
        assert_eq!(duration(true, 0, 0, 0), "\"PT0S\"");
        assert_eq!(duration(false, 0, 0, 1), "\"PT0.000001S\"");
        assert_eq!(duration(false, 0, 0, 10), "\"PT0.00001S\"");
        assert_eq!(duration(false, 0, 0, 999_999), "\"PT0.999999S\"");
        assert_eq!(duration(false, 365, 0, 0), "\"P1Y\"");
        assert_eq!(duration(false, 364, 0, 0), "\"P364D\"");
        assert_eq!(duration(false, 0, 3600, 500_000), "\"PT1H0.5S\"");
        assert_eq!(duration(true, 1, 60, 0), "\"-P1DT1M\"");
        // out-of-contract inputs do not panic
        let big = duration(false, u64::MAX, u32::MAX, u32::MAX);
        assert!(big.starts_with("\"P50539024859478223Y") && big.ends_with(".999999S\""));
    }

    #[test]
    fn duration_appends() {
        let mut out = b"x".to_vec();
        write_duration_iso(false, 1, 0, 0, &mut out);
        assert_eq!(out, b"x\"P1D\"");
    }
}
