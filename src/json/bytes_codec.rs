//! Bytes as JSON text both ways (`val_json_bytes`/`ser_json_bytes`): base64 (either alphabet,
//! padding optional; written URL-safe and padded) and hex, with pydantic's error texts. The
//! pure twin's `_pure/bytes_codec.py` follows the same rules.

/// How bytes are written as, and read from, JSON text.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub(crate) enum BytesMode {
    /// The bytes are UTF-8 text.
    #[default]
    Utf8,
    Base64,
    Hex,
}

impl BytesMode {
    pub(crate) fn named(name: &str) -> Option<Self> {
        Some(match name {
            "utf8" => BytesMode::Utf8,
            "base64" => BytesMode::Base64,
            "hex" => BytesMode::Hex,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            BytesMode::Utf8 => "utf8",
            BytesMode::Base64 => "base64",
            BytesMode::Hex => "hex",
        }
    }
}

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// `raw` as base64 (URL-safe alphabet, padded) or hex text; `None` for `Utf8`.
pub(crate) fn encode(raw: &[u8], mode: BytesMode) -> Option<String> {
    let mut out = String::with_capacity(raw.len() * 2);
    match mode {
        BytesMode::Utf8 => return None,
        BytesMode::Hex => {
            for byte in raw {
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xf)] as char);
            }
        }
        BytesMode::Base64 => {
            for chunk in raw.chunks(3) {
                let b = [
                    chunk[0],
                    chunk.get(1).copied().unwrap_or(0),
                    chunk.get(2).copied().unwrap_or(0),
                ];
                let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                for i in 0..4 {
                    if i <= chunk.len() {
                        out.push(URL_SAFE[((n >> (18 - 6 * i)) & 63) as usize] as char);
                    } else {
                        out.push('=');
                    }
                }
            }
        }
    }
    Some(out)
}

/// The bytes `text` stands for, or pydantic's reason why it is not valid.
pub(crate) fn decode(text: &[u8], mode: BytesMode) -> Result<Vec<u8>, String> {
    match mode {
        BytesMode::Utf8 => Ok(text.to_vec()),
        BytesMode::Hex => hex(text),
        BytesMode::Base64 => base64(text),
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn hex(text: &[u8]) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("Odd number of digits".to_owned());
    }
    let mut out = Vec::with_capacity(text.len() / 2);
    for (index, pair) in text.chunks(2).enumerate() {
        let mut byte = 0u8;
        for (offset, digit) in pair.iter().enumerate() {
            let Some(value) = hex_value(*digit) else {
                return Err(format!(
                    "Invalid character {} at position {}",
                    char_repr(*digit),
                    index * 2 + offset
                ));
            };
            byte = (byte << 4) | value;
        }
        out.push(byte);
    }
    Ok(out)
}

/// A byte shown as Python's `repr` of the character with that code shows it.
fn char_repr(byte: u8) -> String {
    match byte {
        b'\\' => "'\\\\'".to_owned(),
        b'\'' => "\"'\"".to_owned(),
        b'\t' => "'\\t'".to_owned(),
        b'\n' => "'\\n'".to_owned(),
        b'\r' => "'\\r'".to_owned(),
        0x20..=0x7e | 0xa1..=0xac | 0xae..=0xff => format!("'{}'", char::from(byte)),
        _ => format!("'\\x{byte:02x}'"),
    }
}

fn symbol(byte: u8) -> Option<u32> {
    Some(u32::from(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    }))
}

fn base64(text: &[u8]) -> Result<Vec<u8>, String> {
    let end = text.iter().position(|b| *b == b'=');
    let data = &text[..end.unwrap_or(text.len())];
    let mut values = Vec::with_capacity(data.len());
    for (index, byte) in data.iter().enumerate() {
        match symbol(*byte) {
            Some(value) => values.push(value),
            None => return Err(format!("Invalid symbol {byte}, offset {index}.")),
        }
    }
    let count = values.len();
    if let Some(end) = end {
        let padding = text.len() - end;
        if matches!(count % 4, 0 | 1)
            || text[end..].iter().any(|b| *b != b'=')
            || padding > 4 - count % 4
        {
            return Err(format!("Invalid symbol 61, offset {end}."));
        }
    } else if count % 4 == 1 {
        return Err(format!("Invalid input length: {count}"));
    }
    if let (Some(&last), Some(&value)) = (data.last(), values.last()) {
        let unused = match count % 4 {
            2 => 0b1111,
            3 => 0b11,
            _ => 0,
        };
        if value & unused != 0 {
            return Err(format!(
                "Invalid last symbol {last:#x} ('{}') at offset {}, decoded as {value:#010b}.",
                char::from(last),
                count - 1
            ));
        }
    }
    let mut out = Vec::with_capacity(count * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, v)| n | (v << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{decode, encode, BytesMode};

    #[test]
    fn round_trips() {
        for raw in [&b""[..], b"\x01", b"\xff\x00a", b"abcd", b"\xfb\xff\xbf"] {
            for mode in [BytesMode::Base64, BytesMode::Hex] {
                let text = encode(raw, mode).unwrap_or_default();
                assert_eq!(decode(text.as_bytes(), mode).as_deref(), Ok(raw));
            }
        }
        assert_eq!(
            encode(b"\xff\x00a", BytesMode::Base64).as_deref(),
            Some("_wBh")
        );
        assert_eq!(
            decode(b"+/+/", BytesMode::Base64).as_deref(),
            Ok(&b"\xfb\xff\xbf"[..])
        );
        assert_eq!(
            decode(b"AB==", BytesMode::Base64),
            Err("Invalid last symbol 0x42 ('B') at offset 1, decoded as 0b00000001.".into())
        );
        assert_eq!(
            decode(b"A", BytesMode::Base64),
            Err("Invalid input length: 1".into())
        );
    }
}
