//! The one JSON home: the streaming token reader, the writer, and float formatting.

pub(crate) mod bytes_codec;
pub(crate) mod document;
pub(crate) mod float;
pub(crate) mod read;
pub(crate) mod shapes;
pub(crate) mod string;
pub(crate) mod write;
