//! The `format` assertions, rule for rule as the pure twin's (`_pure_schema.check_format`):
//! RFC 3339 `date`, `time` (offset required; `:60` only at 23:59:60 UTC) and `date-time`; `uuid`
//! (8-4-4-4-12 hex digits); `email` (a dot-atom local part of at most 64 characters, then a
//! host name of letter-digit-hyphen labels or an `[IPv4]` literal); `uri` (an absolute RFC 3986
//! URI: a scheme, then URI characters and `%HH` escapes, a numeric port, brackets only around
//! the host (not in the user info), at most one `#`).

#[derive(Clone, Copy)]
pub(crate) enum Format {
    Date,
    Time,
    DateTime,
    Email,
    Uri,
    Uuid,
}

impl Format {
    pub(crate) fn named(name: &str) -> Option<Self> {
        Some(match name {
            "date" => Format::Date,
            "time" => Format::Time,
            "date-time" => Format::DateTime,
            "email" => Format::Email,
            "uri" => Format::Uri,
            "uuid" => Format::Uuid,
            _ => return None,
        })
    }

    pub(crate) fn check(self, text: &str) -> bool {
        let b = text.as_bytes();
        match self {
            Format::Date => date(b),
            Format::Time => time(b),
            Format::DateTime => {
                b.len() > 11 && matches!(b[10], b'T' | b't') && date(&b[..10]) && time(&b[11..])
            }
            Format::Email => email(text),
            Format::Uri => uri(text),
            Format::Uuid => uuid(b),
        }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn date(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..]))
    else {
        return false;
    };
    let days = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn time(b: &[u8]) -> bool {
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&b[..2]), digits(&b[3..5]), digits(&b[6..8]))
    else {
        return false;
    };
    let mut rest = &b[8..];
    if rest.first() == Some(&b'.') {
        let count = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &rest[1 + count..];
    }
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(oh), Some(om)) = (digits(&[*h1, *h2]), digits(&[*m1, *m2])) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            i64::from(oh * 60 + om) * if *sign == b'+' { 1 } else { -1 }
        }
        _ => return false,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    second < 60 || (i64::from(hour * 60 + minute) - offset).rem_euclid(1440) == 1439
}

fn uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn atext(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c)
}

fn email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    if local.chars().count() > 64
        || local.is_empty()
        || !local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(atext))
    {
        return false;
    }
    if let Some(inner) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return ipv4(inner);
    }
    domain.chars().count() <= 253 && domain.split('.').all(label)
}

fn label(part: &str) -> bool {
    let b = part.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

fn ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            let b = p.as_bytes();
            !b.is_empty()
                && b.len() <= 3
                && b.iter().all(u8::is_ascii_digit)
                && (b.len() == 1 || b[0] != b'0')
                && digits(b).is_some_and(|n| n <= 255)
        })
}

fn uri_chars(rest: &str) -> bool {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    true
}

fn uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let s = scheme.as_bytes();
    if s.is_empty()
        || !s[0].is_ascii_alphabetic()
        || !s
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c))
        || !uri_chars(rest)
        || rest.matches('#').count() > 1
    {
        return false;
    }
    let mut tail = rest;
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, remainder) = after.split_at(end);
        let (userinfo, host) = authority.rsplit_once('@').unwrap_or(("", authority));
        if userinfo.contains(['[', ']']) {
            return false;
        }
        let port = if let Some(inner) = host.strip_prefix('[') {
            let Some(close) = inner.find(']') else {
                return false;
            };
            if inner.contains('[') {
                return false;
            }
            let after_close = &inner[close + 1..];
            if !after_close.is_empty() && !after_close.starts_with(':') {
                return false;
            }
            after_close.get(1..).unwrap_or("")
        } else {
            if host.contains(['[', ']']) {
                return false;
            }
            host.rsplit_once(':').map_or("", |(_, p)| p)
        };
        if !port.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
        tail = remainder;
    }
    !tail.contains(['[', ']'])
}
