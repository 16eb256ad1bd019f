//! The four dialects as tables of facts; the Python twin holds the same tables
//! (`python/ferrule/sql/dialects/`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamStyle {
    Dollar,
    Format,
    Qmark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NullsOrder {
    Native,
    IsNull,
    Case,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Locking {
    None,
    Standard,
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upsert {
    OnConflict,
    DuplicateKey,
    Merge,
}

/// How `max_identifier_length` is measured ("bytes", "chars", "utf16" in the Python twin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthUnit {
    /// UTF-8 bytes
    Bytes,
    /// code points
    Chars,
    /// UTF-16 code units
    Utf16,
}

#[derive(Debug)]
pub(crate) struct Dialect {
    pub name: &'static str,
    pub id: u8,
    pub quote: (char, char),
    pub paramstyle: ParamStyle,
    pub percent_escape: bool,
    pub ilike: bool,
    pub nulls_order: NullsOrder,
    pub filter_clause: bool,
    pub distinct_on: bool,
    pub full_join: bool,
    pub locking: Locking,
    pub lock_of: bool,
    pub set_op_all: bool,
    pub member_parens: bool,
    /// TOP / OFFSET ... FETCH instead of LIMIT / OFFSET
    pub fetch: bool,
    pub no_limit: Option<&'static str>,
    pub recursive_keyword: bool,
    /// (insert, update, delete) accept RETURNING
    pub returning: (bool, bool, bool),
    pub output_clause: bool,
    pub upsert: Upsert,
    pub frame_groups: bool,
    /// RANGE frames with numeric offsets
    pub range_offsets: bool,
    pub default_values: &'static str,
    pub casts: &'static [(&'static str, &'static str)],
    /// The longest identifier the server keeps exactly (None: no limit).
    pub max_identifier_length: Option<usize>,
    pub identifier_length_unit: LengthUnit,
}

pub(crate) static SQLITE: Dialect = Dialect {
    name: "sqlite",
    id: 0,
    quote: ('"', '"'),
    paramstyle: ParamStyle::Qmark,
    percent_escape: false,
    ilike: false,
    nulls_order: NullsOrder::Native,
    filter_clause: true,
    distinct_on: false,
    full_join: true,
    locking: Locking::None,
    lock_of: false,
    set_op_all: false,
    member_parens: false,
    fetch: false,
    no_limit: Some("-1"),
    recursive_keyword: true,
    returning: (true, true, true),
    output_clause: false,
    upsert: Upsert::OnConflict,
    frame_groups: true,
    range_offsets: true,
    default_values: " DEFAULT VALUES",
    casts: &[],
    max_identifier_length: None,
    identifier_length_unit: LengthUnit::Chars,
};

pub(crate) static POSTGRES: Dialect = Dialect {
    name: "postgres",
    id: 1,
    quote: ('"', '"'),
    paramstyle: ParamStyle::Dollar,
    percent_escape: false,
    ilike: true,
    nulls_order: NullsOrder::Native,
    filter_clause: true,
    distinct_on: true,
    full_join: true,
    locking: Locking::Standard,
    lock_of: true,
    set_op_all: true,
    member_parens: true,
    fetch: false,
    no_limit: None,
    recursive_keyword: true,
    returning: (true, true, true),
    output_clause: false,
    upsert: Upsert::OnConflict,
    frame_groups: true,
    range_offsets: true,
    default_values: " DEFAULT VALUES",
    casts: &[("double", "DOUBLE PRECISION"), ("datetime", "TIMESTAMP")],
    max_identifier_length: Some(63),
    identifier_length_unit: LengthUnit::Bytes,
};

pub(crate) static MYSQL: Dialect = Dialect {
    name: "mysql",
    id: 2,
    quote: ('`', '`'),
    paramstyle: ParamStyle::Format,
    percent_escape: true,
    ilike: false,
    nulls_order: NullsOrder::IsNull,
    filter_clause: false,
    distinct_on: false,
    full_join: false,
    locking: Locking::Mysql,
    lock_of: false,
    set_op_all: true,
    member_parens: true,
    fetch: false,
    no_limit: Some("18446744073709551615"),
    recursive_keyword: true,
    returning: (true, false, true),
    output_clause: false,
    upsert: Upsert::DuplicateKey,
    frame_groups: false,
    range_offsets: true,
    default_values: " () VALUES ()",
    casts: &[
        ("integer", "SIGNED"),
        ("int", "SIGNED"),
        ("bigint", "SIGNED"),
        ("smallint", "SIGNED"),
        ("text", "CHAR"),
        ("varchar", "CHAR"),
        ("real", "DOUBLE"),
        ("float", "DOUBLE"),
        ("double", "DOUBLE"),
        ("timestamp", "DATETIME"),
    ],
    max_identifier_length: Some(64),
    identifier_length_unit: LengthUnit::Chars,
};

pub(crate) static MSSQL: Dialect = Dialect {
    name: "mssql",
    id: 3,
    quote: ('[', ']'),
    paramstyle: ParamStyle::Qmark,
    percent_escape: false,
    ilike: false,
    nulls_order: NullsOrder::Case,
    filter_clause: false,
    distinct_on: false,
    full_join: true,
    locking: Locking::None,
    lock_of: false,
    set_op_all: false,
    member_parens: false,
    fetch: true,
    no_limit: None,
    recursive_keyword: false,
    returning: (false, false, false),
    output_clause: true,
    upsert: Upsert::Merge,
    frame_groups: false,
    range_offsets: false,
    default_values: " DEFAULT VALUES",
    casts: &[
        ("text", "NVARCHAR(MAX)"),
        ("varchar", "NVARCHAR"),
        ("boolean", "BIT"),
        ("bool", "BIT"),
        ("integer", "INT"),
        ("double", "FLOAT"),
        ("real", "FLOAT"),
        ("timestamp", "DATETIME2"),
        ("datetime", "DATETIME2"),
    ],
    max_identifier_length: Some(128),
    identifier_length_unit: LengthUnit::Utf16,
};

impl Dialect {
    pub(crate) fn by_name(name: &str) -> Option<&'static Dialect> {
        match name {
            "postgres" => Some(&POSTGRES),
            "sqlite" => Some(&SQLITE),
            "mysql" => Some(&MYSQL),
            "mssql" => Some(&MSSQL),
            _ => None,
        }
    }

    pub(crate) fn cast(&self, base_lower: &str) -> Option<&'static str> {
        self.casts
            .iter()
            .find(|(k, _)| *k == base_lower)
            .map(|(_, v)| *v)
    }
}
