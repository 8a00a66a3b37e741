"""Which database an engine is created for, read from its URL as written, and whether a file
belongs to the long-running service (not tests, migrations or one-off scripts).

`engine_dialect(call, semantic, function)`: "PostgreSQL", "MySQL" or "sqlite" when the URL of
`create_async_engine(url, ...)` shows it — a literal, an f-string, a local or module constant,
or an expression that names the dialect (`settings.postgres_dsn`, `URL.create("postgresql+
asyncpg", ...)`); None when nothing says (a settings field, a parameter).

`kept_beyond_call(function, call)`: the engine a function creates outlives the call — returned,
stored on an attribute or a global, or handed to another call (`async_sessionmaker(engine)`);
not when it is only used inside the function (an engine per call, DB004's defect).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from prodready.analysis.dataflow import stored_for_reuse
from prodready.analysis.orm import local_assignments
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.walk import iter_body

_DIALECTS = (
    ("sqlite", re.compile(r"sqlite", re.I)),
    ("PostgreSQL", re.compile(r"postgres|asyncpg|psycopg|\bpg_?|_pg\b", re.I)),
    ("MySQL", re.compile(r"mysql|mariadb", re.I)),
)
_NOT_SERVICE_DIRS = frozenset(
    {"tests", "test", "testing", "migrations", "alembic", "scripts", "script", "tools"}
    | {"examples", "example", "docs", "benchmarks", "bench", "fixtures"}
)
_NOT_SERVICE_FILES = frozenset({"conftest.py", "env.py", "setup.py", "noxfile.py"})


def long_running_path(path: str) -> bool:
    """Code of the service itself: not tests, migrations, scripts, docs or examples."""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    if name in _NOT_SERVICE_FILES or name.startswith("test_") or name.endswith("_test.py"):
        return False
    return not any(part.lower() in _NOT_SERVICE_DIRS for part in parts[:-1])


def _url(call: ast.Call) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "url"), None)
    return call.args[0] if call.args else keyword


def _written(
    expr: ast.expr, semantic: SemanticModel, function: FunctionNode | None, hops: int = 3
) -> str:
    """The URL expression as written, with the values of the plain names it uses."""
    text = ast.unparse(expr)
    if hops == 0:
        return text
    values = local_assignments(function) if function is not None else {}
    for name in {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}:
        found = list(values.get(name, ()))
        module = semantic.module_value(name)
        found += [module] if module is not None else []
        text += " " + " ".join(_written(v, semantic, function, hops - 1) for v in found)
    return text


def engine_dialect(
    call: ast.Call, semantic: SemanticModel, function: FunctionNode | None
) -> str | None:
    """The database the engine of `call` connects to, when its URL or arguments show it."""
    url = _url(call)
    options = " ".join(ast.unparse(k.value) for k in call.keywords if k.arg == "connect_args")
    if "check_same_thread" in options:
        return "sqlite"
    if url is None:
        return None
    written = _written(url, semantic, function)
    found = [name for name, pattern in _DIALECTS if pattern.search(written)]
    return found[0] if len(found) == 1 else ("sqlite" if "sqlite" in found else None)


def kept_beyond_call(function: FunctionNode, call: ast.Call) -> bool:
    """The engine `call` creates in `function` outlives the call (see the module doc)."""
    if stored_for_reuse(function, call):
        return True
    names: set[str] = set()
    for node in iter_body(function):
        if isinstance(node, ast.Return) and node.value is call:
            return True
        if isinstance(node, ast.Assign) and node.value is call:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for node in iter_body(function):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
            if node.value.id in names:
                return True
        elif isinstance(node, ast.Call):
            passed = [*node.args, *(k.value for k in node.keywords)]
            if any(isinstance(a, ast.Name) and a.id in names for a in passed):
                return True
    return False
