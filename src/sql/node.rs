//! The node tree the compiler reads, and its byte encoding (the *shape*, also the cache key).
//!
//! A node is a list whose first item is a tag string (`["op", "=", left, right]`); leaves are
//! strings, ints, bools, None and parameter slots. Parameter slots are numbered in the order they
//! appear in the tree, which is the order the binding collects the values in.

use super::{SqlError, SqlResult};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    List(Vec<Node<'a>>),
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Null,
    Param(u32),
}

static NULL: Node<'static> = Node::Null;

impl<'a> Node<'a> {
    /// The tag of a list node ("" for anything else).
    pub(crate) fn tag(&self) -> &'a str {
        match self {
            Node::List(items) => match items.first() {
                Some(Node::Str(s)) => s,
                _ => "",
            },
            _ => "",
        }
    }

    /// Item `i` of a list node (None when out of range or not a list).
    pub(crate) fn at(&self, i: usize) -> &Node<'a> {
        match self {
            Node::List(items) => items.get(i).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    pub(crate) fn items(&self) -> &[Node<'a>] {
        match self {
            Node::List(items) => items,
            _ => &[],
        }
    }

    pub(crate) fn str(&self) -> SqlResult<&'a str> {
        match self {
            Node::Str(s) => Ok(s),
            other => Err(SqlError::Invalid(format!(
                "expected a string in the query tree, got {other:?}"
            ))),
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    /// Python truthiness of a flag or list.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Null => false,
            Node::Str(s) => !s.is_empty(),
            Node::List(items) => !items.is_empty(),
            Node::Param(_) => true,
        }
    }
}

const T_LIST: u8 = b'T';
const T_STR: u8 = b'S';
const T_INT: u8 = b'I';
const T_TRUE: u8 = b'1';
const T_FALSE: u8 = b'0';
const T_NULL: u8 = b'N';
const T_PARAM: u8 = b'P';
/// Identity keys only (never parsed): an object by address.
const T_ADDRESS: u8 = b'A';

/// Appends a tree's shape to a byte buffer, depth first.
pub(crate) struct ShapeWriter<'b> {
    pub buf: &'b mut Vec<u8>,
}

impl ShapeWriter<'_> {
    #[inline]
    pub(crate) fn list(&mut self, len: usize) {
        self.buf.push(T_LIST);
        self.buf.extend_from_slice(&(len as u32).to_le_bytes());
    }
    #[cfg(test)]
    pub(crate) fn str(&mut self, s: &str) {
        self.str_bytes(s.as_bytes());
    }
    /// UTF-8 bytes of a string (the parser checks them again).
    #[inline]
    pub(crate) fn str_bytes(&mut self, s: &[u8]) {
        self.buf.push(T_STR);
        self.buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(s);
    }
    #[inline]
    pub(crate) fn int(&mut self, i: i64) {
        self.buf.push(T_INT);
        self.buf.extend_from_slice(&i.to_le_bytes());
    }
    #[inline]
    pub(crate) fn bool(&mut self, b: bool) {
        self.buf.push(if b { T_TRUE } else { T_FALSE });
    }
    #[inline]
    pub(crate) fn null(&mut self) {
        self.buf.push(T_NULL);
    }
    #[inline]
    pub(crate) fn param(&mut self) {
        self.buf.push(T_PARAM);
    }
    #[inline]
    pub(crate) fn address(&mut self, address: usize) {
        self.buf.push(T_ADDRESS);
        self.buf.extend_from_slice(&address.to_le_bytes());
    }
}

/// Decode a shape back into a tree that borrows its strings from the buffer.
pub(crate) fn parse(buf: &[u8]) -> SqlResult<Node<'_>> {
    let mut reader = Reader {
        buf,
        pos: 0,
        params: 0,
    };
    let node = reader.node()?;
    if reader.pos != buf.len() {
        return Err(SqlError::Invalid("trailing bytes in a query shape".into()));
    }
    Ok(node)
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    params: u32,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> SqlResult<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| SqlError::Invalid("truncated query shape".into()))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u32(&mut self) -> SqlResult<usize> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn node(&mut self) -> SqlResult<Node<'a>> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            T_LIST => {
                let len = self.u32()?;
                let mut items = Vec::with_capacity(len.min(64));
                for _ in 0..len {
                    items.push(self.node()?);
                }
                Node::List(items)
            }
            T_STR => {
                let len = self.u32()?;
                let bytes = self.take(len)?;
                let s = std::str::from_utf8(bytes)
                    .map_err(|_| SqlError::Invalid("invalid UTF-8 in a query shape".into()))?;
                Node::Str(s)
            }
            T_INT => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Node::Int(i64::from_le_bytes(a))
            }
            T_TRUE => Node::Bool(true),
            T_FALSE => Node::Bool(false),
            T_NULL => Node::Null,
            T_PARAM => {
                self.params += 1;
                Node::Param(self.params - 1)
            }
            other => return Err(SqlError::Invalid(format!("bad shape tag {other}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_round_trip_numbers_params_in_order() {
        let mut buf = Vec::new();
        let mut w = ShapeWriter { buf: &mut buf };
        w.list(4);
        w.str("op");
        w.str("=");
        w.param();
        w.list(2);
        w.int(-7);
        w.param();
        let node = parse(&buf).unwrap();
        assert_eq!(
            node,
            Node::List(vec![
                Node::Str("op"),
                Node::Str("="),
                Node::Param(0),
                Node::List(vec![Node::Int(-7), Node::Param(1)]),
            ])
        );
        assert_eq!(node.tag(), "op");
    }

    #[test]
    fn truncated_shape_is_an_error() {
        let mut buf = Vec::new();
        ShapeWriter { buf: &mut buf }.str("abc");
        buf.pop();
        assert!(parse(&buf).is_err());
        assert!(parse(&[b'T', 1, 0, 0, 0]).is_err());
    }
}
