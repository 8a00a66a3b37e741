"""What the project folder holds beside the reviewed code: linter and type-checker
configuration, test files, import-linter contracts, SQL migrations of dbmate / goose /
flyway. Bounded: a few named files are read, the search for a test file stops at the first
one, and each walk stops after MAX_ENTRIES directory entries."""

from __future__ import annotations

import configparser
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from prodready.analysis.project.contracts import contract_of
from prodready.analysis.project.model import Contract, Evidence, MigrationRunner, Tooling
from prodready.engine.project_files import MAX_DECLARATION_BYTES, project_folder

MAX_ENTRIES = 20_000
LINTERS = ("ruff", "flake8", "pylint", "mypy", "pyright", "basedpyright", "pytype", "wemake")
_TOML_TOOLS = ("ruff", "flake8", "pylint", "mypy", "pyright", "basedpyright", "pytype")
_INI_SECTIONS = {"flake8": "flake8", "mypy": "mypy", "pylint": "pylint", "MASTER": "pylint"}
_CONFIG_FILES = {
    ".flake8": "flake8",
    "ruff.toml": "ruff",
    ".ruff.toml": "ruff",
    "mypy.ini": "mypy",
    ".mypy.ini": "mypy",
    "pyrightconfig.json": "pyright",
    ".pylintrc": "pylint",
    "pylintrc": "pylint",
}
# Files where a linter is named when it is run: pre-commit, CI, dev requirements, Makefile.
_MENTIONS = (
    ".pre-commit-config.yaml",
    "Makefile",
    "requirements-dev.txt",
    "requirements_dev.txt",
    "dev-requirements.txt",
    "requirements/dev.txt",
    "tox.ini",
    "noxfile.py",
)
_SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "env", "node_modules", "site-packages", "__pycache__"}
    | {".tox", ".nox", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)


def _text(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_DECLARATION_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _pyproject(folder: Path, root: Path) -> tuple[list[tuple[str, Evidence]], list[Contract]]:
    text = _text(folder / "pyproject.toml")
    try:
        data: dict[str, Any] = tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError:
        data = {}
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    where = Evidence(_shown(folder / "pyproject.toml", root))
    linters = [(name, where) for name in _TOML_TOOLS if name in tool]
    linter = tool.get("importlinter")
    tables = linter.get("contracts", []) if isinstance(linter, dict) else []
    contracts = [
        found
        for index, table in enumerate(tables if isinstance(tables, list) else [])
        if isinstance(table, dict) and (found := contract_of(table, str(index + 1), where))
    ]
    return linters, contracts


def _ini(folder: Path, root: Path) -> tuple[list[tuple[str, Evidence]], list[Contract]]:
    linters: list[tuple[str, Evidence]] = []
    contracts: list[Contract] = []
    for name in ("setup.cfg", "tox.ini", ".importlinter"):
        text = _text(folder / name)
        if text is None:
            continue
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        where = Evidence(_shown(folder / name, root))
        for section in parser.sections():
            tool = _INI_SECTIONS.get(section) or _INI_SECTIONS.get(section.split(".")[0])
            if tool is not None:
                linters.append((tool, where))
            if section.startswith("importlinter:contract:"):
                key = section.rsplit(":", 1)[-1]
                found = contract_of(dict(parser.items(section)), key, where)
                contracts += [found] if found else []
    return linters, contracts


def _mentions(folder: Path, root: Path) -> list[tuple[str, Evidence]]:
    found: list[tuple[str, Evidence]] = []
    workflows = folder / ".github" / "workflows"
    paths = [folder / name for name in _MENTIONS]
    paths += sorted(workflows.glob("*.y*ml"))[:20] if workflows.is_dir() else []
    for path in paths:
        text = (_text(path) or "").lower()
        found += [(name, Evidence(_shown(path, root))) for name in LINTERS if name in text]
    for name, tool in _CONFIG_FILES.items():
        if (folder / name).is_file():
            found.append((tool, Evidence(_shown(folder / name, root))))
    return found


def _is_test_file(name: str) -> bool:
    return name.endswith(".py") and (
        name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
    )


def _has_tests(path: Path) -> bool:
    """A Django app's `tests.py` (found by Django's `test*.py` discovery) that holds a test,
    not `startapp`'s empty "# Create your tests here." placeholder."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return "def test" in file.read(_TEST_BYTES)
    except OSError:
        return False


_TEST_BYTES = 65536


def _first_test(folder: Path, root: Path) -> tuple[Evidence | None, bool]:
    """The first test file found, and whether the search finished (False: too many files)."""
    seen = 0
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        seen += len(dirs) + len(files)
        in_tests = bool({"tests", "test"} & set(Path(current).relative_to(folder).parts))
        for name in sorted(files):
            if (
                _is_test_file(name)
                or (in_tests and name.endswith(".py"))
                or (name == "tests.py" and _has_tests(Path(current) / name))
            ):
                return Evidence(_shown(Path(current) / name, root)), True
        if seen > MAX_ENTRIES:
            return None, False
    return None, True


# dbmate and goose mark their files; flyway names them `V1__init.sql` / `V2_1__add.sql`.
_SQL_MARKERS = (("-- migrate:up", "dbmate"), ("-- +goose up", "goose"))
_FLYWAY_NAME = re.compile(r"^V\d+(?:[._]\d+)*__\w+\.sql$")
_MARKER_BYTES = 4096


def _sql_tool(path: Path) -> str:
    if _FLYWAY_NAME.match(path.name):
        return "flyway"
    try:
        with path.open("rb") as file:
            head = file.read(_MARKER_BYTES).decode("utf-8", errors="replace").lower()
    except OSError:
        return ""
    return next((tool for marker, tool in _SQL_MARKERS if marker in head), "")


def _sql_migrations(folder: Path, root: Path) -> tuple[MigrationRunner, ...]:
    """The first SQL migration file of each tool that runs outside Python."""
    found: dict[str, MigrationRunner] = {}
    seen = 0
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        seen += len(dirs) + len(files)
        for name in sorted(f for f in files if f.endswith(".sql")):
            tool = _sql_tool(Path(current) / name)
            if tool and tool not in found:
                where = Evidence(_shown(Path(current) / name, root))
                found[tool] = MigrationRunner(tool, where)
        if seen > MAX_ENTRIES:
            break
    return tuple(found[tool] for tool in sorted(found))


def scan_tooling(root: Path) -> Tooling:
    """Linters, tests and import-linter contracts of the project that holds `root`."""
    folder = project_folder(root)
    linters, contracts = _pyproject(folder, root)
    ini_linters, ini_contracts = _ini(folder, root)
    first_test, finished = _first_test(folder, root)
    return Tooling(
        scanned=True,
        linters=tuple(dict.fromkeys([*linters, *ini_linters, *_mentions(folder, root)])),
        first_test=first_test,
        tests_known=finished,
        contracts=(*contracts, *ini_contracts),
        sql_migrations=_sql_migrations(folder, root),
    )
