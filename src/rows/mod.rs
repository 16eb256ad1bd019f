//! Database rows → Python objects: `record` turns driver rows into `Record`s today; model
//! instances built on `crate::model`'s class layout (the ORM's hot path) come with issue 10.

pub(crate) mod record;
