//! The SQL compiler: query nodes -> (SQL text, parameter order). Pure Rust, no pyo3 outside `py`.
//!
//! A query arrives as a *shape*: the Python node tree flattened into bytes (`node::ShapeWriter`)
//! with every bound value replaced by its position. The shape is the cache key, and the compiled
//! SQL text plus the order in which to bind the values depend on nothing else.

pub(crate) mod compile;
pub(crate) mod dialect;
pub(crate) mod node;
pub(crate) mod py;

/// Why a query cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlError {
    /// The dialect cannot express `feature` (-> `UnsupportedFeatureError(dialect, feature)`).
    Unsupported {
        dialect: &'static str,
        feature: String,
    },
    /// A malformed tree or misuse (-> `SQLError(message)`).
    Invalid(String),
    /// A name the dialect cannot hold exactly
    /// (-> `IdentifierError(dialect, name, problem, limit)`).
    Identifier {
        dialect: &'static str,
        name: String,
        problem: String,
        limit: Option<usize>,
    },
}

pub(crate) type SqlResult<T> = Result<T, SqlError>;
