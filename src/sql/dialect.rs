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

/// How a regular-expression match is written ("operator", "collate", "function" or None in
/// the Python twin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Regex {
    /// not supported
    None,
    /// `~`, `~*`, `!~`, `!~*` (PostgreSQL)
    Operator,
    /// `REGEXP` with the pattern in `exact_collation` or `caseless_collation` (MySQL)
    Collate,
    /// the `regexp()` function ferrule's SQLite backend registers
    Function,
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
    /// A collation in which LIKE and REGEXP compare code points exactly (after the pattern).
    pub exact_collation: Option<&'static str>,
    /// A case-insensitive collation for REGEXP.
    pub caseless_collation: Option<&'static str>,
    pub regex: Regex,
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
    // Grave accents: SQLite reads a double-quoted name that matches no column as a string
    // literal (its "double-quoted string literal" compatibility), so a misspelt column would
    // give every row the name's text. A grave-accented name is always a name.
    quote: ('`', '`'),
    paramstyle: ParamStyle::Qmark,
    percent_escape: false,
    ilike: false,
    exact_collation: None,
    caseless_collation: None,
    regex: Regex::Function,
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
    exact_collation: None,
    caseless_collation: None,
    regex: Regex::Operator,
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
    exact_collation: Some("utf8mb4_bin"),
    caseless_collation: Some("utf8mb4_general_ci"),
    regex: Regex::Collate,
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
    exact_collation: Some("Latin1_General_100_BIN2"),
    caseless_collation: None,
    regex: Regex::None,
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

// --- the facts as plain data, under the Python twin's field names -------------------------------
// (kept apart from the table above: `tests/sql/test_dialect_facts.py` compares them with
// `python/ferrule/sql/dialects/`, so the two tables cannot drift)

/// One fact's value, in the shape the Python `Dialect` dataclass holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fact {
    Bool(bool),
    Str(&'static str),
    /// `None` in Python
    Absent,
    /// a 2-tuple of one-character strings
    Quote(char, char),
    /// a frozenset of strings
    Set(Vec<&'static str>),
    /// a dict of strings
    Map(&'static [(&'static str, &'static str)]),
    Int(usize),
}

impl Dialect {
    /// Every fact, named as in `python/ferrule/sql/dialects/base.py` (`id` is Rust's cache-key
    /// byte, not a fact).
    pub(crate) fn facts(&self) -> Vec<(&'static str, Fact)> {
        use Fact::{Absent, Bool, Int, Map, Quote, Set, Str};
        let returning = [
            ("insert", self.returning.0),
            ("update", self.returning.1),
            ("delete", self.returning.2),
        ];
        vec![
            ("name", Str(self.name)),
            ("quote", Quote(self.quote.0, self.quote.1)),
            (
                "paramstyle",
                Str(match self.paramstyle {
                    ParamStyle::Dollar => "dollar",
                    ParamStyle::Format => "format",
                    ParamStyle::Qmark => "qmark",
                }),
            ),
            ("percent_escape", Bool(self.percent_escape)),
            ("ilike", Bool(self.ilike)),
            ("exact_collation", self.exact_collation.map_or(Absent, Str)),
            (
                "caseless_collation",
                self.caseless_collation.map_or(Absent, Str),
            ),
            (
                "regex",
                match self.regex {
                    Regex::None => Absent,
                    Regex::Operator => Str("operator"),
                    Regex::Collate => Str("collate"),
                    Regex::Function => Str("function"),
                },
            ),
            (
                "nulls_order",
                Str(match self.nulls_order {
                    NullsOrder::Native => "native",
                    NullsOrder::IsNull => "is_null",
                    NullsOrder::Case => "case",
                }),
            ),
            ("filter_clause", Bool(self.filter_clause)),
            ("distinct_on", Bool(self.distinct_on)),
            ("full_join", Bool(self.full_join)),
            (
                "locking",
                match self.locking {
                    Locking::None => Absent,
                    Locking::Standard => Str("standard"),
                    Locking::Mysql => Str("mysql"),
                },
            ),
            ("lock_of", Bool(self.lock_of)),
            ("set_op_all", Bool(self.set_op_all)),
            ("member_parens", Bool(self.member_parens)),
            (
                "limit_style",
                Str(if self.fetch { "fetch" } else { "limit" }),
            ),
            ("no_limit", self.no_limit.map_or(Absent, Str)),
            ("recursive_keyword", Bool(self.recursive_keyword)),
            (
                "returning",
                Set(returning.iter().filter(|r| r.1).map(|r| r.0).collect()),
            ),
            ("output_clause", Bool(self.output_clause)),
            (
                "upsert",
                Str(match self.upsert {
                    Upsert::OnConflict => "on_conflict",
                    Upsert::DuplicateKey => "duplicate_key",
                    Upsert::Merge => "merge",
                }),
            ),
            ("frame_groups", Bool(self.frame_groups)),
            ("range_offsets", Bool(self.range_offsets)),
            ("default_values", Str(self.default_values)),
            ("casts", Map(self.casts)),
            (
                "max_identifier_length",
                self.max_identifier_length.map_or(Absent, Int),
            ),
            (
                "identifier_length_unit",
                Str(match self.identifier_length_unit {
                    LengthUnit::Bytes => "bytes",
                    LengthUnit::Chars => "chars",
                    LengthUnit::Utf16 => "utf16",
                }),
            ),
        ]
    }
}
