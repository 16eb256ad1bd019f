//! Database rows → model instances (the ORM's hot path), built on `crate::model`'s class layout
//! and `crate::validate`'s per-field validators. Empty until the ORM lands (issue 10).
