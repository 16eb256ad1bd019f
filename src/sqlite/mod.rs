//! SQLite statements run natively on the `sqlite3` module's own connections.
//!
//! The `sqlite3` module spends more time per statement than SQLite does on a get by key (its
//! statement cache, cursor objects, converter lookups per execution). `runner` keeps ferrule's
//! own prepared statements on the same connection handle and reads rows straight into tuples,
//! answering exactly as the module would (`statement`, `errors`); anything it cannot answer
//! exactly goes back to the module untouched. Connections, transactions, callbacks and every
//! other call stay with the module.

pub(crate) mod api;
pub(crate) mod errors;
pub(crate) mod runner;
pub(crate) mod statement;
