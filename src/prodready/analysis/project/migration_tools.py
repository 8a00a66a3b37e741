"""Migration systems other than Alembic, one file at a time (FileFacts.migration_runners).

- "django": a `migrations/0001_initial.py`-style file that imports `django.db.migrations`.
- "yoyo": code or migration files importing yoyo-migrations (`from yoyo import step`).
- "aerich": Tortoise ORM's migration tool — its `Command`, or a migration file with
  `async def upgrade(db: BaseDBAsyncClient)`.
- "piccolo": a piccolo migration (`piccolo.apps.migrations`).
- "sql-runner": the project's own runner: one file that lists a folder (`os.listdir`,
  `glob`, `Path.glob` / `iterdir`), picks `.sql` files, executes them, and speaks of
  migrations (`migrations_dir`, a `schema_migrations` table). A single `schema.sql` or a
  `CREATE TABLE IF NOT EXISTS` run at startup is not a migration system: nothing orders or
  records the changes.
"""

from __future__ import annotations

import ast
import re

from prodready.analysis.names import dotted_name
from prodready.analysis.project.model import Evidence, FileFacts, MigrationRunner
from prodready.analysis.source import ParsedFile

_DJANGO_FILE = re.compile(r"(?:^|/)migrations/\d{4}_\w+\.py$")
_PACKAGES = (("yoyo", "yoyo"), ("aerich", "aerich"), ("piccolo.apps.migrations", "piccolo"))
_AERICH_CLIENT = "BaseDBAsyncClient"
_LISTERS = frozenset({"listdir", "scandir", "glob", "iglob", "rglob", "iterdir", "walk"})
_EXECUTORS = frozenset({"execute", "executescript", "execute_script", "run_script"})


def _package_tool(parsed: ParsedFile) -> str:
    imports = parsed.semantic.imports
    if _DJANGO_FILE.search(parsed.source.path) and imports.imports_module("django.db.migrations"):
        return "django"
    for package, tool in _PACKAGES:
        if imports.imports_module(package):
            return tool
    return ""


def _aerich_migration(tree: ast.Module) -> bool:
    """`async def upgrade(db: BaseDBAsyncClient) -> str:` at module level."""
    return any(
        isinstance(node, ast.AsyncFunctionDef)
        and node.name == "upgrade"
        and any(
            a.annotation is not None and _AERICH_CLIENT in ast.unparse(a.annotation)
            for a in node.args.args
        )
        for node in tree.body
    )


def _sql_runner(tree: ast.Module) -> int:
    """The line of the folder listing of a file that runs `.sql` migration files, else 0."""
    listing = 0
    sql = executes = migrations = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = sql or ".sql" in node.value
            migrations = migrations or "migration" in node.value.lower()
        elif isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1]
            listing = listing or (node.lineno if name in _LISTERS else 0)
            executes = executes or name in _EXECUTORS
        elif isinstance(node, ast.Name | ast.FunctionDef | ast.AsyncFunctionDef | ast.arg):
            written = getattr(node, "id", None) or getattr(node, "name", None) or ""
            written = written or getattr(node, "arg", "")
            migrations = migrations or "migrat" in written.lower()
    return listing if sql and executes and migrations else 0


def extract(parsed: ParsedFile) -> FileFacts:
    source = parsed.source
    empty = FileFacts(path=source.path, module=source.module)
    tool = _package_tool(parsed) or ("aerich" if _aerich_migration(parsed.tree) else "")
    if tool:
        runner = MigrationRunner(tool, Evidence(source.path))
        return FileFacts(path=source.path, module=source.module, migration_runners=(runner,))
    text = "\n".join(source.lines)
    if ".sql" not in text or "migrat" not in text.lower():
        return empty
    line = _sql_runner(parsed.tree)
    if not line:
        return empty
    runner = MigrationRunner("sql-runner", Evidence(source.path, line))
    return FileFacts(path=source.path, module=source.module, migration_runners=(runner,))
