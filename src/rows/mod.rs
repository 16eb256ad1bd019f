//! Database rows → Python objects: `record` turns driver rows into `Record`s, `instances`
//! into model instances built on `crate::model`'s class layout (the ORM's loading path).

pub(crate) mod instances;
pub(crate) mod record;
