"""SQLAlchemy / asyncpg facts read from one function: statements, row loads, queries, commits."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis import orm


def _function(code: str) -> ast.AsyncFunctionDef:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _last_value(code: str) -> tuple[ast.expr, dict[str, list[ast.expr]]]:
    function = _function(code)
    values = orm.local_assignments(function)
    last = function.body[-1]
    assert isinstance(last, ast.Assign | ast.Expr)
    return last.value, values


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x = select(User).where(User.id == 1)", ("select", "User", False)),
        ("x = sa.select(User).with_for_update()", ("select", "User", True)),
        ("s = select(User)\n    s = s.with_for_update()\n    x = s", ("select", "User", True)),
        ("x = update(User).values(balance=User.balance - 1)", ("update", "User", False)),
        ("x = text('SELECT * FROM users FOR UPDATE')", ("text", "", True)),
        ("x = session.query(User).filter_by(id=1).with_for_update()", ("query", "User", True)),
        ("x = data.update(a=1)", None),  # a dict's update is not SQL
        ("x = make_stmt()", None),
    ],
)
def test_statement(body: str, expected: tuple[str, str, bool] | None) -> None:
    value, values = _last_value(f"async def f(session):\n    {body}")
    found = orm.statement(value, values)
    assert (None if found is None else (found.kind, found.model, found.locked)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("u = await session.get(User, 1)", ("User", False)),
        ("u = await session.get(User, 1, with_for_update=True)", ("User", True)),
        ("u = await session.get(User, 1, with_for_update=None)", ("User", False)),
        ("u = await session.scalar(select(User))", ("User", False)),
        ("u = (await session.execute(select(User))).scalar_one()", ("User", False)),
        ("u = (await session.execute(select(User))).scalars().first()", ("User", False)),
        ("u = (await session.scalars(select(User).with_for_update())).one()", ("User", True)),
        (
            "r = await session.execute(select(User))\n    u = r.scalar_one_or_none()",
            ("User", False),
        ),
        ("u = session.query(User).filter(User.id == 1).first()", ("User", False)),
        ("u = (await session.execute(select(User))).first()", None),  # a Row, not an object
        ("u = await cache.get('user')", None),
        ("u = await client.get(URL, 1)", None),
        ("u = await repo.get_user(1)", None),
    ],
)
def test_row_load(body: str, expected: tuple[str, bool] | None) -> None:
    value, values = _last_value(f"async def f(session):\n    {body}")
    found = orm.row_load(value, values)
    assert (None if found is None else (found.model, found.locked)) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("session.get(User, uid)", "read"),
        ("db.refresh(user)", "read"),
        ("session.execute(select(User))", "read"),
        ("session.execute(update(User).values(x=1))", "write"),
        ("conn.fetchrow('SELECT 1 FROM t WHERE id = $1', uid)", "read"),
        ("conn.execute('UPDATE t SET x = 1')", "write"),
        ("pool.fetch(query, uid)", "read"),
        ("http.get(url, params)", None),
        ("redis.execute(command)", None),
        ("pipe.execute()", None),
        ("state.refresh(user)", None),
    ],
)
def test_query_call(call: str, expected: str | None) -> None:
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    assert orm.query_call(node, {}) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("session.execute(insert(User).values(x=1))", True),
        ("session.execute(delete(User))", True),
        ("session.execute(select(User))", False),
        ('session.execute(text("INSERT INTO t VALUES (1)"))', True),
        ('session.execute(text("SELECT 1"))', False),
        ("session.execute(text(query.strip()))", False),  # unknown SQL
        ('session.execute("UPDATE t SET x = 1")', True),
        ("session.execute(stmt)", False),
    ],
)
def test_writes(call: str, expected: bool) -> None:
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    assert orm.writes(node, {}) is expected


def test_loaded_rows_follow_rebinding_and_refresh_lock() -> None:
    function = _function(
        "async def f(session, user):\n"
        "    user = await session.get(User, 1)\n"  # line 2
        "    a = 1\n"
        "    await session.refresh(user, with_for_update=True)\n"  # line 4
        "    b = 2\n"
        "    user = User()\n"  # line 6
        "    c = 3\n"
    )
    rows = orm.LoadedRows.of(function, orm.local_assignments(function))
    first = rows.at("user", 3)
    assert first is not None and first[0] == 2 and not first[1].locked
    locked = rows.at("user", 5)
    assert locked is not None and locked[1].locked
    assert rows.at("user", 7) is None
    assert rows.at("user", 2) is None  # not yet loaded on its own line


@pytest.mark.parametrize(
    ("body", "commits", "persists"),
    [
        ("await session.commit()", True, True),
        ("async with session.begin():\n        pass", True, True),
        ("await session_commit(session)", True, True),
        ("session.add(user)", False, True),
        ("await message.answer('hi')", False, False),
    ],
)
def test_commits_and_persists(body: str, commits: bool, persists: bool) -> None:
    function = _function(f"async def f(session, user, message):\n    {body}")
    assert orm.commits(function) is commits
    assert orm.persists(function) is persists


@pytest.mark.parametrize(
    ("body", "whole", "locked_line"),
    [
        ("await session.execute(text('SELECT pg_advisory_xact_lock(:k)'))\n    x = 1", True, 0),
        (
            "await session.connection(execution_options={'isolation_level': 'SERIALIZABLE'})",
            True,
            0,
        ),
        ("async with user_lock(uid):\n        x = 1", False, 3),
        ("async with session.begin():\n        x = 1", False, 0),
    ],
)
def test_serialized_nodes(body: str, whole: bool, locked_line: int) -> None:
    function = _function(f"async def f(session, uid):\n    {body}")
    serialised, under = orm.serialized_nodes(function)
    assert serialised is whole
    lines = {n.lineno for n in ast.walk(function) if id(n) in under and isinstance(n, ast.stmt)}
    assert lines == ({locked_line} if locked_line else set())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("s = make()\n    async with s:\n        pass", "owned"),
        ("s = make()\n    async with s.begin():\n        pass", "owned"),
        ("s = make()\n    try:\n        pass\n    finally:\n        await s.close()", "owned"),
        ("s = make()\n    return Repo(s)", "owned"),
        ("s = make()\n    data['session'] = s", "owned"),
        ("s = make()\n    await stack.enter_async_context(s)", "owned"),
        ("s = make()\n    await s.commit()\n    await s.close()", "happy-path"),
        ("s = make()\n    return s.query(User).count()", "leaked"),
        ("s = make()\n    await s.get(User, 1)", "leaked"),
    ],
)
def test_session_lifetime(body: str, expected: str) -> None:
    function = _function(f"async def f(make, data, stack):\n    {body}")
    assert orm.session_lifetime(function, "s") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x = await session.scalars(select(User))", ("User", False)),
        ("x = (await session.scalars(select(User).with_for_update())).all()", ("User", True)),
        ("r = await session.execute(select(User))\n    x = r.scalars().all()", ("User", False)),
        ("x = session.query(User).filter(User.ok).all()", ("User", False)),
        ("x = (await session.execute(select(User.id))).all()", None),  # Rows
        ("x = await repo.list_users()", None),
    ],
)
def test_rows_load(body: str, expected: tuple[str, bool] | None) -> None:
    value, values = _last_value(f"async def f(session, repo):\n    {body}")
    found = orm.rows_load(value, values)
    assert (None if found is None else (found.model, found.locked)) == expected


def test_module_loaders_keep_functions_that_return_unlocked_or_locked_rows() -> None:
    module = ast.parse(
        "async def get_user(session, uid):\n"
        "    return await session.get(User, uid)\n"
        "class Repo:\n"
        "    async def locked(self, uid):\n"
        "        row = await self.s.scalar(select(User).with_for_update())\n"
        "        return row\n"
        "    async def profile(self, uid):\n"
        "        return {'id': uid}\n"
    )
    loaders = orm.module_loaders(module)
    assert set(loaders) == {"get_user", "locked"}
    assert not loaders["get_user"].locked and loaders["locked"].locked


def test_loaded_rows_skip_a_sibling_branch_and_unpacked_rebinding() -> None:
    function = _function(
        "async def f(session, uid):\n"  # 1
        "    sub = await session.get(Sub, uid)\n"  # 2
        "    if sub is None:\n"  # 3
        "        sub = Sub(uid=uid)\n"  # 4
        "    else:\n"  # 5
        "        sub.days += 1\n"  # 6
        "    sub, other = await pair(session)\n"  # 7
        "    sub.days += 1\n"  # 8
    )
    rows = orm.LoadedRows.of(function, orm.local_assignments(function))
    update = next(n for n in ast.walk(function) if isinstance(n, ast.AugAssign) and n.lineno == 6)
    assert rows.at("sub", 6) is None  # without the statement: the last binding (line 4)
    found = rows.at("sub", 6, update)
    assert found is not None and found[0] == 2
    assert rows.at("sub", 8) is None


def test_remote_loads_are_asked_for_calls_no_local_rule_knows() -> None:
    function = _function(
        "async def f(repo, uid):\n"
        "    sub = await repo.get_by_user(uid)\n"
        "    other = await repo.other(uid)\n"
    )
    asked: list[str] = []

    def remote(call: ast.Call) -> orm.RowLoad | None:
        asked.append(ast.unparse(call.func))
        return orm.RowLoad("Sub", False, call) if asked[-1].endswith("get_by_user") else None

    rows = orm.LoadedRows.of(function, orm.local_assignments(function), remote=remote)
    assert asked == ["repo.get_by_user", "repo.other"]
    found = rows.at("sub", 3)
    assert found is not None and found[1].model == "Sub"
    assert rows.at("other", 4) is None


def test_returned_load() -> None:
    function = _function(
        "async def by_user(session, uid):\n"
        "    result = await session.execute(select(Sub).where(Sub.uid == uid))\n"
        "    return result.scalar_one_or_none()\n"
    )
    load = orm.returned_load(function)
    assert load is not None and load.model == "Sub" and not load.locked
