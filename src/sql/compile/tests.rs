//! The compiler's output, dialect by dialect.

use super::*;
use crate::sql::dialect::{MSSQL, MYSQL, POSTGRES, SQLITE};

fn l<'a>(items: Vec<Node<'a>>) -> Node<'a> {
    Node::List(items)
}
fn s(text: &str) -> Node<'_> {
    Node::Str(text)
}
fn col<'a>(table: &'a str, name: &'a str) -> Node<'a> {
    l(vec![s("col"), s(table), s(name)])
}
fn op<'a>(sym: &'a str, left: Node<'a>, right: Node<'a>) -> Node<'a> {
    l(vec![s("op"), s(sym), left, right])
}
fn table(name: &str) -> Node<'_> {
    l(vec![s("table"), s(name), Node::Null, Node::Null])
}
/// A select chain from (step, arg) pairs, first step first.
fn select<'a>(steps: Vec<(&'a str, Node<'a>)>) -> Node<'a> {
    let mut link = Node::Null;
    for (step, arg) in steps {
        link = l(vec![link, s(step), arg]);
    }
    l(vec![s("select"), link])
}

fn sql(node: &Node<'_>, d: &'static Dialect) -> (String, Vec<u32>) {
    let c = compile(node, d).expect("compiles");
    (c.sql, c.order)
}

fn benchmark_query() -> Node<'static> {
    select(vec![
        ("cols", l(vec![col("u", "name"), col("o", "total")])),
        ("from", l(vec![table("u")])),
        (
            "join",
            l(vec![
                s("inner"),
                table("o"),
                op("=", col("u", "id"), col("o", "uid")),
            ]),
        ),
        (
            "where",
            l(vec![
                s("and"),
                l(vec![
                    op(">=", col("u", "age"), Node::Param(0)),
                    op("=", col("o", "s"), Node::Param(1)),
                ]),
            ]),
        ),
        (
            "order",
            l(vec![l(vec![
                s("order"),
                col("o", "total"),
                Node::Bool(true),
                Node::Null,
            ])]),
        ),
        ("limit", Node::Param(2)),
    ])
}

#[test]
fn select_in_every_dialect() {
    let q = benchmark_query();
    assert_eq!(
        sql(&q, &POSTGRES).0,
        r#"SELECT "u"."name", "o"."total" FROM "u" JOIN "o" ON "u"."id" = "o"."uid" WHERE "u"."age" >= $1 AND "o"."s" = $2 ORDER BY "o"."total" DESC LIMIT $3"#
    );
    assert_eq!(
        sql(&q, &MYSQL).0,
        "SELECT `u`.`name`, `o`.`total` FROM `u` JOIN `o` ON `u`.`id` = `o`.`uid` WHERE `u`.`age` >= %s AND `o`.`s` = %s ORDER BY `o`.`total` DESC LIMIT %s"
    );
    assert_eq!(sql(&q, &SQLITE).1, vec![0, 1, 2]);
    // SQL Server puts the limit first (TOP), so the bind order changes.
    let (text, order) = sql(&q, &MSSQL);
    assert!(text.starts_with("SELECT TOP (?) [u].[name]"), "{text}");
    assert_eq!(order, vec![2, 0, 1]);
}

#[test]
fn identifiers_escape_their_quote_and_percent() {
    let q = select(vec![("cols", l(vec![col("a\"b", "c`d]%")]))]);
    assert_eq!(sql(&q, &POSTGRES).0, r#"SELECT "a""b"."c`d]%""#);
    assert_eq!(sql(&q, &MYSQL).0, "SELECT `a\"b`.`c``d]%%`");
    assert_eq!(sql(&q, &MSSQL).0, "SELECT [a\"b].[c`d]]%]");
}

#[test]
fn unsupported_constructs_name_the_dialect() {
    let q = select(vec![
        ("cols", l(vec![])),
        ("distinct", l(vec![col("t", "a")])),
    ]);
    assert_eq!(
        compile(&q, &POSTGRES).unwrap().sql,
        r#"SELECT DISTINCT ON ("t"."a") *"#
    );
    assert_eq!(
        compile(&q, &MYSQL),
        Err(SqlError::Unsupported {
            dialect: "mysql",
            feature: "DISTINCT ON".into()
        })
    );
    let lock = select(vec![(
        "lock",
        l(vec![
            s("update"),
            Node::Bool(false),
            Node::Bool(true),
            l(vec![]),
        ]),
    )]);
    assert_eq!(sql(&lock, &POSTGRES).0, "SELECT * FOR UPDATE SKIP LOCKED");
    assert!(matches!(
        compile(&lock, &SQLITE),
        Err(SqlError::Unsupported {
            dialect: "sqlite",
            ..
        })
    ));
    assert!(matches!(
        compile(&lock, &MSSQL),
        Err(SqlError::Unsupported {
            dialect: "mssql",
            ..
        })
    ));
}

#[test]
fn emulations_repeat_params_in_text_order() {
    let item = l(vec![
        s("order"),
        op("+", col("t", "n"), Node::Param(0)),
        Node::Bool(false),
        s("first"),
    ]);
    let q = select(vec![("order", l(vec![item]))]);
    let (text, order) = sql(&q, &MYSQL);
    assert_eq!(
        text,
        "SELECT * ORDER BY (`t`.`n` + %s) IS NOT NULL, `t`.`n` + %s ASC"
    );
    assert_eq!(order, vec![0, 0]);
    assert_eq!(
        sql(&q, &SQLITE).0,
        "SELECT * ORDER BY `t`.`n` + ? ASC NULLS FIRST"
    );
}

#[test]
fn malformed_trees_are_errors_not_panics() {
    assert!(matches!(
        compile(&l(vec![s("drop")]), &SQLITE),
        Err(SqlError::Invalid(_))
    ));
    assert!(matches!(
        compile(&Node::Int(3), &SQLITE),
        Err(SqlError::Invalid(_))
    ));
    let bad_step = select(vec![("explode", Node::Null)]);
    assert!(matches!(
        compile(&bad_step, &SQLITE),
        Err(SqlError::Invalid(_))
    ));
    let bad_col = select(vec![(
        "cols",
        l(vec![l(vec![s("col"), Node::Null, Node::Int(1)])]),
    )]);
    assert!(matches!(
        compile(&bad_col, &SQLITE),
        Err(SqlError::Invalid(_))
    ));
}

#[test]
fn cast_types_map_per_dialect() {
    let q = select(vec![(
        "cols",
        l(vec![l(vec![s("cast"), Node::Param(0), s("varchar(10)")])]),
    )]);
    assert_eq!(sql(&q, &POSTGRES).0, "SELECT CAST($1 AS VARCHAR(10))");
    assert_eq!(sql(&q, &MYSQL).0, "SELECT CAST(%s AS CHAR(10))");
    assert_eq!(sql(&q, &MSSQL).0, "SELECT CAST(? AS NVARCHAR(10))");
}

fn insert_upsert() -> Node<'static> {
    let into = l(vec![Node::Null, s("into"), table("t")]);
    let values = l(vec![
        into,
        s("values"),
        l(vec![
            l(vec![s("id"), s("n")]),
            l(vec![l(vec![Node::Param(0), Node::Param(1)])]),
        ]),
    ]);
    let action = l(vec![
        l(vec![l(vec![s("n"), l(vec![s("excluded"), s("n")])])]),
        Node::Null,
    ]);
    let conflict = l(vec![
        values,
        s("conflict"),
        l(vec![l(vec![s("id")]), action]),
    ]);
    let returning = l(vec![conflict, s("returning"), l(vec![col("t", "id")])]);
    l(vec![s("insert"), returning])
}

#[test]
fn upserts_per_dialect() {
    let q = insert_upsert();
    assert_eq!(
        sql(&q, &POSTGRES).0,
        r#"INSERT INTO "t" ("id", "n") VALUES ($1, $2) ON CONFLICT ("id") DO UPDATE SET "n" = EXCLUDED."n" RETURNING "t"."id""#
    );
    assert_eq!(
        sql(&q, &MYSQL).0,
        "INSERT INTO `t` (`id`, `n`) VALUES (%s, %s) ON DUPLICATE KEY UPDATE `n` = VALUES(`n`) RETURNING `t`.`id`"
    );
    assert_eq!(
        sql(&q, &MSSQL).0,
        "MERGE INTO [t] USING (VALUES (?, ?)) AS [src] ([id], [n]) ON [t].[id] = [src].[id] WHEN MATCHED THEN UPDATE SET [n] = [src].[n] WHEN NOT MATCHED THEN INSERT ([id], [n]) VALUES ([src].[id], [src].[n]) OUTPUT INSERTED.[id];"
    );
}

#[test]
fn compound_order_by_is_unqualified_and_fetch_on_mssql() {
    let member = select(vec![
        ("cols", l(vec![col("t", "a")])),
        ("from", l(vec![table("t")])),
    ]);
    let parts = l(vec![
        Node::Null,
        s("parts"),
        l(vec![s("union_all"), l(vec![member.clone(), member])]),
    ]);
    let ordered = l(vec![parts, s("order"), l(vec![col("t", "a")])]);
    let limited = l(vec![ordered, s("limit"), Node::Param(0)]);
    let q = l(vec![s("compound"), limited]);
    assert_eq!(
        sql(&q, &SQLITE).0,
        "SELECT `t`.`a` FROM `t` UNION ALL SELECT `t`.`a` FROM `t` ORDER BY `a` LIMIT ?"
    );
    assert_eq!(
        sql(&q, &MSSQL).0,
        "SELECT [t].[a] FROM [t] UNION ALL SELECT [t].[a] FROM [t] ORDER BY [a] OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY"
    );
}

#[test]
fn raw_text_doubles_percent_for_format_style() {
    let q = l(vec![
        s("raw"),
        l(vec![s("SELECT 'a%' LIKE "), s("")]),
        l(vec![Node::Param(0)]),
    ]);
    assert_eq!(sql(&q, &MYSQL).0, "SELECT 'a%%' LIKE %s");
    assert_eq!(sql(&q, &POSTGRES).0, "SELECT 'a%' LIKE $1");
}

#[test]
fn a_recursive_cte_referring_to_itself_writes_no_nested_with() {
    // nums = select(1 AS n).cte("nums", recursive); nums.union_all(select(n + 1) from nums)
    let cte = |query: Node<'static>| {
        l(vec![
            s("cte"),
            s("nums"),
            l(vec![s("n")]),
            query,
            Node::Bool(true),
        ])
    };
    let base = select(vec![(
        "cols",
        l(vec![l(vec![s("label"), Node::Param(0), s("n")])]),
    )]);
    let step = select(vec![
        ("cols", l(vec![op("+", col("nums", "n"), Node::Param(1))])),
        ("with", cte(base.clone())),
        ("from", l(vec![table("nums")])),
    ]);
    let parts = l(vec![s("union_all"), l(vec![base, step])]);
    let body = l(vec![s("compound"), l(vec![Node::Null, s("parts"), parts])]);
    let q = select(vec![
        ("cols", l(vec![col("nums", "n")])),
        ("with", cte(body)),
        ("from", l(vec![table("nums")])),
    ]);
    assert_eq!(
        sql(&q, &SQLITE).0,
        "WITH RECURSIVE `nums` (`n`) AS (SELECT ? AS `n` UNION ALL SELECT `nums`.`n` + ? FROM `nums`) SELECT `nums`.`n` FROM `nums`"
    );
    assert_eq!(
        sql(&q, &MSSQL).0,
        "WITH [nums] ([n]) AS (SELECT ? AS [n] UNION ALL SELECT [nums].[n] + ? FROM [nums]) SELECT [nums].[n] FROM [nums]"
    );
}

#[test]
fn identifiers_over_the_dialect_limit_are_refused() {
    let q = |name: &'static str| select(vec![("from", l(vec![table(name)]))]);
    let long = |d: &'static Dialect, name: &'static str| match compile(&q(name), d) {
        Err(SqlError::Identifier { limit, problem, .. }) => Some((limit, problem)),
        Ok(_) => None,
        Err(other) => panic!("{other:?}"),
    };
    let e31a = Box::leak(("é".repeat(31) + "a").into_boxed_str());
    let e32 = Box::leak("é".repeat(32).into_boxed_str());
    assert_eq!(long(&POSTGRES, e31a), None); // 63 bytes
    assert_eq!(
        long(&POSTGRES, e32),
        Some((
            Some(63),
            "is 64 bytes (UTF-8) long, more than the 63 the server keeps".to_owned()
        ))
    );
    let e64 = Box::leak("é".repeat(64).into_boxed_str());
    let e65 = Box::leak("é".repeat(65).into_boxed_str());
    assert_eq!(long(&MYSQL, e64), None);
    assert!(long(&MYSQL, e65).is_some());
    let smile64 = Box::leak("😀".repeat(64).into_boxed_str());
    let smile65 = Box::leak("😀".repeat(65).into_boxed_str());
    assert_eq!(long(&MSSQL, smile64), None); // 128 UTF-16 code units
    assert!(long(&MSSQL, smile65).is_some());
    assert_eq!(long(&SQLITE, smile65), None);
    assert_eq!(
        long(&SQLITE, "a\0b"),
        Some((None, "contains a NUL character".to_owned()))
    );
}

#[test]
fn a_bad_identifier_is_reported_before_a_later_error() {
    // The Python twin raises at the name; the native core must not report what comes after.
    let q = select(vec![
        ("from", l(vec![table("a\0b")])),
        (
            "lock",
            l(vec![
                s("update"),
                Node::Bool(false),
                Node::Bool(false),
                l(vec![]),
            ]),
        ),
    ]);
    assert!(matches!(
        compile(&q, &SQLITE),
        Err(SqlError::Identifier { .. })
    ));
}

fn where_(cond: Node<'_>) -> Node<'_> {
    select(vec![("where", cond)])
}

/// `("like", t.s, ?0, case_insensitive, negated, escape)`
fn like(ci: bool, negated: bool, escape: Node<'_>) -> Node<'_> {
    l(vec![
        s("like"),
        col("t", "s"),
        Node::Param(0),
        Node::Bool(ci),
        Node::Bool(negated),
        escape,
    ])
}

#[test]
fn like_binds_its_escape_and_compares_exactly() {
    let q = where_(like(false, false, Node::Param(1)));
    assert_eq!(sql(&q, &SQLITE).0, "SELECT * WHERE `t`.`s` LIKE ? ESCAPE ?");
    assert_eq!(
        sql(&q, &POSTGRES).0,
        r#"SELECT * WHERE "t"."s" LIKE $1 ESCAPE $2"#
    );
    assert_eq!(
        sql(&q, &MYSQL).0,
        "SELECT * WHERE `t`.`s` LIKE %s COLLATE utf8mb4_bin ESCAPE %s"
    );
    assert_eq!(
        sql(&q, &MSSQL),
        (
            "SELECT * WHERE [t].[s] LIKE ? COLLATE Latin1_General_100_BIN2 ESCAPE ?".into(),
            vec![0, 1]
        )
    );
    let q = where_(like(true, true, Node::Param(1)));
    assert_eq!(
        sql(&q, &POSTGRES).0,
        r#"SELECT * WHERE "t"."s" NOT ILIKE $1 ESCAPE $2"#
    );
    assert_eq!(
        sql(&q, &MYSQL).0,
        "SELECT * WHERE LOWER(`t`.`s`) NOT LIKE LOWER(%s) COLLATE utf8mb4_bin ESCAPE %s"
    );
    // the five-item node of before (no escape) still compiles
    let mut old = like(true, false, Node::Null);
    if let Node::List(items) = &mut old {
        items.pop();
    }
    assert_eq!(
        sql(&where_(old), &SQLITE).0,
        "SELECT * WHERE LOWER(`t`.`s`) LIKE LOWER(?)"
    );
}

#[test]
fn regex_per_dialect() {
    let re = |ci: bool, negated: bool| {
        where_(l(vec![
            s("regex"),
            col("t", "s"),
            Node::Param(0),
            Node::Bool(ci),
            Node::Bool(negated),
        ]))
    };
    let pg: Vec<String> = [(false, false), (true, false), (false, true), (true, true)]
        .iter()
        .map(|&(ci, neg)| sql(&re(ci, neg), &POSTGRES).0)
        .collect();
    assert_eq!(
        pg,
        [
            r#"SELECT * WHERE "t"."s" ~ $1"#,
            r#"SELECT * WHERE "t"."s" ~* $1"#,
            r#"SELECT * WHERE "t"."s" !~ $1"#,
            r#"SELECT * WHERE "t"."s" !~* $1"#,
        ]
    );
    assert_eq!(
        sql(&re(true, true), &MYSQL).0,
        "SELECT * WHERE `t`.`s` NOT REGEXP %s COLLATE utf8mb4_general_ci"
    );
    assert_eq!(
        sql(&re(false, false), &MYSQL).0,
        "SELECT * WHERE `t`.`s` REGEXP %s COLLATE utf8mb4_bin"
    );
    assert_eq!(
        sql(&re(false, true), &SQLITE).0,
        "SELECT * WHERE `t`.`s` NOT REGEXP ?"
    );
    assert_eq!(
        sql(&re(true, true), &SQLITE).0,
        "SELECT * WHERE NOT regexp(?, `t`.`s`, 'i')"
    );
    assert_eq!(
        compile(&re(false, false), &MSSQL),
        Err(SqlError::Unsupported {
            dialect: "mssql",
            feature: "regular expression match".into()
        })
    );
}
