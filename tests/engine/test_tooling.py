"""What the project folder holds beside the code: linters, tests, import-linter contracts."""

from __future__ import annotations

from pathlib import Path

from prodready.analysis.project.model import Evidence
from prodready.engine import tooling
from prodready.engine.tooling import scan_tooling


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_bare_project(tmp_path: Path) -> None:
    _write(tmp_path, {"requirements.txt": "aiogram\n", "bot/main.py": "x = 1\n"})
    found = scan_tooling(tmp_path)
    assert found.scanned and found.tests_known
    assert (found.linters, found.first_test, found.contracts) == ((), None, ())


def test_linters_tests_and_contracts(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "bot"\n[tool.mypy]\nstrict = true\n'
                '[tool.importlinter]\nroot_package = "bot"\n'
                '[[tool.importlinter.contracts]]\nname = "Layers"\ntype = "layers"\n'
                'layers = ["bot.handlers", "bot.domain"]\n'
            ),
            "setup.cfg": "[flake8]\nmax-line-length = 100\n",
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n",
            "tests/unit/check_bot.py": "x = 1\n",
            ".venv/lib/test_hidden.py": "x = 1\n",
        },
    )
    found = scan_tooling(tmp_path)
    assert found.linters == (
        ("mypy", Evidence("pyproject.toml")),
        ("flake8", Evidence("setup.cfg")),
        ("ruff", Evidence(".pre-commit-config.yaml")),
    )
    assert found.first_test == Evidence("tests/unit/check_bot.py")
    assert [(c.name, c.kind, c.layers) for c in found.contracts] == [
        ("Layers", "layers", ("bot.handlers", "bot.domain"))
    ]


def test_ini_contracts_and_a_search_cut_short(tmp_path: Path, monkeypatch: object) -> None:
    _write(
        tmp_path,
        {
            "setup.cfg": (
                "[importlinter]\nroot_package = bot\n"
                "[importlinter:contract:one]\nname = Domain\ntype = forbidden\n"
                "source_modules =\n    bot.domain\nforbidden_modules =\n    aiogram\n"
            ),
            "a/b.py": "",
            "c/d.py": "",
        },
    )
    found = scan_tooling(tmp_path)
    assert [(c.name, c.forbidden) for c in found.contracts] == [("Domain", ("aiogram",))]
    monkeypatch.setattr(tooling, "MAX_ENTRIES", 1)  # type: ignore[attr-defined]
    cut = scan_tooling(tmp_path)
    assert cut.scanned and not cut.tests_known and cut.first_test is None


def test_sql_migrations_of_tools_outside_python(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "requirements.txt": "asyncpg\n",
            "db/migrations/20240101_users.sql": "-- migrate:up\nCREATE TABLE users ();\n",
            "db/goose/00001_init.sql": "-- +goose Up\nCREATE TABLE t ();\n",
            "sql/V1_1__init.sql": "CREATE TABLE a ();\n",
            "schema.sql": "CREATE TABLE IF NOT EXISTS users ();\n",
            "manual/001_fix.sql": "-- apply by hand\nUPDATE users SET x = 1;\n",
        },
    )
    found = scan_tooling(tmp_path)
    assert [(r.tool, r.evidence.path) for r in found.sql_migrations] == [
        ("dbmate", "db/migrations/20240101_users.sql"),
        ("flyway", "sql/V1_1__init.sql"),
        ("goose", "db/goose/00001_init.sql"),
    ]


def test_a_django_apps_tests_py_counts_when_it_holds_a_test(tmp_path: Path) -> None:
    placeholder = "from django.test import TestCase\n\n# Create your tests here.\n"
    _write(tmp_path, {"shop/tests.py": placeholder, "shop/views.py": "x = 1\n"})
    assert scan_tooling(tmp_path).first_test is None
    real = placeholder + "\nclass OrderTests(TestCase):\n    def test_total(self):\n        pass\n"
    _write(tmp_path, {"orders/tests.py": real})
    assert scan_tooling(tmp_path).first_test == Evidence("orders/tests.py")
