"""Per-file facts about how the code is organised: the imports that run when a module is
imported (for layers and cycles), where configuration is read from the environment, and how
much of the public API carries type hints.

- module_imports: every import not under `if TYPE_CHECKING:`, targets absolute; those
  inside functions are `deferred`.
- env_reads: `os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]` (read), and
  python-decouple's `config(...)`.
- function_sizes: statements and branches of functions big or branchy enough to matter, and
  whether they query the database themselves (by the def's own name and line).
- type_hints: public functions and methods (no leading underscore) of the module and its
  classes; "partial" lacks some annotation, "untyped" has none (self / cls not counted).
  Alembic migrations (a module-level `upgrade()`) have none of these three facts counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name, resolve_relative
from prodready.analysis.project.model import (
    Evidence,
    FileFacts,
    FunctionSize,
    ModuleImport,
    TypeHints,
)
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body, iter_statements, walk_with_ancestors

_ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "decouple.config", "os.getenvb"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case, ast.IfExp)
_KEEP_BRANCHES, _KEEP_STATEMENTS = 3, 30
_DB_METHODS = frozenset(
    {"execute", "scalar", "scalars", "commit", "flush", "rollback", "add_all", "merge"}
    | {"fetch", "fetchrow", "fetchval", "execute_many", "refresh"}
)
_DB_WORDS = ("session", "conn", "db", "pool", "uow", "cursor")
_SQL = frozenset({"select", "update", "insert", "delete", "text"})


def _type_checking(test: ast.expr) -> bool:
    return (dotted_name(test) or "").rsplit(".", 1)[-1] == "TYPE_CHECKING"


def _runtime_statements(body: list[ast.stmt]) -> Iterator[tuple[ast.stmt, bool]]:
    """Every statement with whether it runs later (inside a function), through blocks but
    not into the body of an `if TYPE_CHECKING:` nor into classes' nested functions' own
    TYPE_CHECKING blocks."""
    stack = [(statement, False) for statement in reversed(body)]
    while stack:
        statement, deferred = stack.pop()
        yield statement, deferred
        blocks: list[list[ast.stmt]] = []
        inner = deferred
        if isinstance(statement, ast.If):
            checking = _type_checking(statement.test)
            blocks = [statement.orelse] if checking else [statement.body, statement.orelse]
        elif isinstance(statement, ast.Try):
            handlers = [h.body for h in statement.handlers]
            blocks = [statement.body, *handlers, statement.orelse, statement.finalbody]
        elif isinstance(statement, ast.With | ast.AsyncWith | ast.For | ast.While):
            blocks = [statement.body, getattr(statement, "orelse", [])]
        elif isinstance(statement, ast.ClassDef):
            blocks = [statement.body]
        elif isinstance(statement, _FUNCTIONS):
            blocks, inner = [statement.body], True
        for block in reversed(blocks):
            stack.extend((s, inner) for s in reversed(block))


def _imports(parsed: ParsedFile) -> tuple[ModuleImport, ...]:
    source = parsed.source
    found: list[ModuleImport] = []
    for statement, deferred in _runtime_statements(parsed.tree.body):
        if isinstance(statement, ast.Import):
            found += [ModuleImport(a.name, statement.lineno, deferred) for a in statement.names]
        elif isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            if statement.level:
                base = resolve_relative(
                    source.module, source.is_package, statement.level, statement.module
                )
            for alias in statement.names:
                target = base if alias.name == "*" else f"{base}.{alias.name}".strip(".")
                found.append(ModuleImport(target, statement.lineno, deferred))
    return tuple(found)


def _env_reads(parsed: ParsedFile) -> tuple[Evidence, ...]:
    imports = parsed.semantic.imports
    found: list[Evidence] = []
    ancestors: list[ast.AST] = []
    for node in walk_with_ancestors(parsed.tree, ancestors):
        if (isinstance(node, ast.Call) and imports.qualified_name(node.func) in _ENV_CALLS) or (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and imports.qualified_name(node.value) == "os.environ"
        ):
            found.append(Evidence(parsed.source.path, node.lineno))
    return tuple(found)


def _hint_status(function: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> str:
    args = function.args
    params = [*args.posonlyargs, *args.args]
    if (
        method
        and params
        and not any((dotted_name(d) or "") == "staticmethod" for d in function.decorator_list)
    ):
        params = params[1:]
    params += [*args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a is not None)]
    annotated = [p.annotation is not None for p in params]
    returns = function.returns is not None
    if all(annotated) and returns:
        return "full"
    return "partial" if any(annotated) or returns else "untyped"


def _type_hints(parsed: ParsedFile) -> TypeHints:
    public = partial = 0
    untyped: list[tuple[str, int]] = []
    stack: list[tuple[list[ast.stmt], str, bool]] = [(parsed.tree.body, "", False)]
    while stack:
        body, prefix, method = stack.pop()
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                stack.append((statement.body, f"{prefix}{statement.name}.", True))
            elif isinstance(statement, _FUNCTIONS) and not statement.name.startswith("_"):
                public += 1
                status = _hint_status(statement, method)
                partial += status == "partial"
                if status == "untyped":
                    untyped.append((prefix + statement.name, statement.lineno))
    return TypeHints(public, partial, tuple(sorted(untyped, key=lambda item: item[1])))


def _database(node: ast.AST, parsed: ParsedFile) -> bool:
    """A call that talks to the database: a session / connection method on a receiver named
    like one, or a SQLAlchemy statement constructor."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _DB_METHODS:
        receiver = (dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()
        return any(word in receiver for word in _DB_WORDS)
    name = parsed.semantic.imports.qualified_name(func) or ""
    return name.startswith("sqlalchemy.") and name.rsplit(".", 1)[-1] in _SQL


def _sizes(parsed: ParsedFile) -> tuple[FunctionSize, ...]:
    found: list[FunctionSize] = []
    for node in iter_statements(parsed.tree):
        if not isinstance(node, _FUNCTIONS):
            continue
        body = list(iter_body(node))
        statements = sum(isinstance(n, ast.stmt) for n in body)
        branches = sum(isinstance(n, _BRANCHES) for n in body)
        if branches >= _KEEP_BRANCHES or statements >= _KEEP_STATEMENTS:
            database = any(_database(n, parsed) for n in body)
            found.append(FunctionSize(node.name, node.lineno, statements, branches, database))
    return tuple(found)


def extract(parsed: ParsedFile) -> FileFacts:
    source = parsed.source
    if any(isinstance(s, ast.FunctionDef) and s.name == "upgrade" for s in parsed.tree.body):
        return FileFacts(path=source.path, module=source.module)
    return FileFacts(
        path=source.path,
        module=source.module,
        module_imports=_imports(parsed),
        env_reads=_env_reads(parsed),
        type_hints=(_type_hints(parsed),),
        function_sizes=_sizes(parsed),
    )
