"""Strings built by code: the text and values of f-strings, `%`, `.format()` and `+`, the
values a local is given, and which values can only be the program's own constants."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.strings import ConstantText, built_string, local_values, string_held


def _expr(code: str) -> ast.expr:
    return ast.parse(code, mode="eval").body


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


@pytest.mark.parametrize(
    ("code", "how", "text", "values"),
    [
        ("'SELECT 1'", "", "SELECT 1", []),
        ("f'SELECT 1'", "", "SELECT 1", []),
        (
            "f'SELECT * FROM t WHERE id = {uid}'",
            "f-string",
            "SELECT * FROM t WHERE id = {}",
            ["uid"],
        ),
        ("'SELECT %s FROM %s' % (a, b)", "% formatting", "SELECT %s FROM %s", ["a", "b"]),
        ("'WHERE x = %(x)s' % {'x': v}", "% formatting", "WHERE x = %(x)s", ["v"]),
        ("'WHERE x = {}'.format(v)", ".format()", "WHERE x = {}", ["v"]),
        ("'WHERE x = {x}'.format(x=v)", ".format()", "WHERE x = {x}", ["v"]),
        ("'SELECT ' + col + ' FROM t'", "concatenation", "SELECT {} FROM t", ["col"]),
        ("'a' + f'{b}' + 'c'", "f-string", "a{}c", ["b"]),
    ],
)
def test_built_string(code: str, how: str, text: str, values: list[str]) -> None:
    built = built_string(_expr(code))
    assert built is not None
    assert (built.how, built.text, [ast.unparse(v) for v in built.values]) == (how, text, values)


@pytest.mark.parametrize("code", ["x", "1 + 2", "a + b", "f(x)", "b'raw'", "x.format(y)"])
def test_not_a_built_string(code: str) -> None:
    assert built_string(_expr(code)) is None


def test_a_long_concatenation_does_not_overflow() -> None:
    chain: ast.expr = ast.Constant("a")
    for _ in range(5000):  # deeper than the parser allows, as generated trees may be
        chain = ast.BinOp(ast.BinOp(chain, ast.Add(), ast.Name("x")), ast.Add(), ast.Constant("a"))
    built = built_string(chain)
    assert built is not None and len(built.values) == 5000
    assert not ConstantText(None).of(chain)


def test_template_names_resolve_to_string_constants() -> None:
    values = {"QUERY": _expr("'SELECT * FROM t WHERE id = {}'")}
    built = built_string(_expr("QUERY.format(uid)"), values.get)
    assert built is not None and built.text == "SELECT * FROM t WHERE id = {}"


def test_local_values() -> None:
    function = _function(
        "async def f(param):\n"
        "    q = 'SELECT 1'\n"
        "    q += f' AND x = {param}'\n"
        "    parts = []\n"
        "    parts.append('a = :a')\n"
        "    for col in COLUMNS:\n"
        "        pass\n"
        "    a, b = pair\n"
    )
    assert [ast.unparse(v) for v in local_values("q", function) or []] == [
        "'SELECT 1'",
        "f' AND x = {param}'",
    ]
    assert [ast.unparse(v) for v in local_values("parts", function) or []] == ["[]", "'a = :a'"]
    assert [ast.unparse(v) for v in local_values("col", function) or []] == ["COLUMNS"]
    assert local_values("param", function) is None  # a parameter: what callers pass
    assert local_values("a", function) is None  # unpacked: no value to read
    assert local_values("unknown", function) == []


def test_string_held_follows_a_local_one_step() -> None:
    function = _function(
        "async def f(conn, status):\n"
        "    sql = 'SELECT id FROM orders WHERE 1 = 1'\n"
        "    if status:\n"
        "        sql += f\" AND status = '{status}'\"\n"
        "    return await conn.fetch(sql)\n"
    )
    held = string_held(_expr("sql"), function)
    assert held is not None
    assert held.text == "SELECT id FROM orders WHERE 1 = 1 AND status = '{}'"
    assert [ast.unparse(v) for v in held.values] == ["status"]
    assert string_held(_expr("status"), function) is None


_MODULE = {"table": _expr("'orders'"), "dsn": _expr("os.environ['DSN']")}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'x'", True),
        ("TABLE", True),
        ("Status.PAID", True),
        ("Status.PAID.value", True),
        ("Order.__tablename__", True),
        ("COLUMNS[sort]", True),
        ("COLUMNS.get(sort, 'id')", True),
        ("COLUMNS.get(sort, sort)", False),
        ("int(page) * 20", True),
        ("len(ids)", True),
        ("', '.join(COLUMNS)", True),
        ("', '.join(['%s'] * len(ids))", True),
        ("', '.join(f'${i}' for i in range(1, n))", True),
        ("', '.join('?' for _ in ids)", True),
        ("', '.join(f'{name}' for name in names)", False),
        ("', '.join(f'{c} = ${i}' for i, c in enumerate(COLUMNS, 1))", True),
        ("', '.join(f'{c} = ${i}' for i, c in enumerate(names, 1))", False),
        ("', '.join(t.name for t in Base.metadata.sorted_tables)", True),
        ("Order.__table__.name", True),
        ("_quote_ident(name)", True),
        ("'a' if flag else 'b'", True),
        ("'a' if flag else other", False),
        ("table", True),  # a module-level string constant
        ("dsn", False),
        ("dialect.identifier_preparer.quote(name)", True),
        ("name", False),
        ("user.name", False),
        ("request.query_params['sort']", False),
        ("str(uid)", False),
    ],
)
def test_constant_text_at_module_level(value: str, expected: bool) -> None:
    assert ConstantText(None, _MODULE.get).of(_expr(value)) is expected


def test_constant_text_follows_locals() -> None:
    function = _function(
        "async def f(conn, sort, status):\n"
        "    column = SORTABLE.get(sort, 'created_at')\n"
        "    conditions = ['1 = 1']\n"
        "    if status:\n"
        "        conditions.append('status = :status')\n"
        "    where = f'status = {status}'\n"
        "    SQL = f'x = {sort}'\n"
    )
    constant = ConstantText(function)
    assert constant.of(_expr("column"))
    assert constant.of(_expr("' AND '.join(conditions)"))
    assert not constant.of(_expr("where"))
    assert not constant.of(_expr("SQL"))  # an UPPER_CASE local is what it is given
    assert not constant.of(_expr("sort"))


def test_local_values_in_source_order_across_every_kind_of_binding() -> None:

    tree = ast.parse(
        "def f(param):\n"
        "    rows = []\n"
        "    rows.append(first)\n"
        "    for rows in batches: pass\n"
        "    other = 1\n"
        "    rows += more\n"
    )
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    values = local_values("rows", function) or []
    assert [ast.unparse(v) for v in values] == ["[]", "first", "batches", "more"]
    assert local_values("param", function) is None
    assert local_values("missing", function) == []
    unpacked = ast.parse("def g():\n    a, rows = pair\n").body[0]
    assert isinstance(unpacked, ast.FunctionDef)
    assert local_values("rows", unpacked) is None
