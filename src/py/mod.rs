//! The Python-facing types and functions of the core: C slots and `#[pymethods]` that convert
//! arguments, call the core and map errors (the core lives in `model`, `validate`, `serialize`).

pub(crate) mod c_function;
pub(crate) mod crypto_entry;
pub(crate) mod crypto_table;
pub(crate) mod direct_call;
pub(crate) mod errors_method;
pub(crate) mod fast_call;
pub(crate) mod json_entry;
pub(crate) mod json_functions;
pub(crate) mod json_schema;
pub(crate) mod model_base;
pub(crate) mod model_methods;
pub(crate) mod schema_validator;
