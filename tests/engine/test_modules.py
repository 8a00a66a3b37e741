"""Module names of reviewed files: from the package folders around them, and from the source
root that the project's own absolute imports show."""

from __future__ import annotations

from pathlib import Path

from prodready.analysis.project.layers import import_edges
from prodready.config.settings import Settings
from prodready.engine.modules import ModuleNamer, imported_names
from prodready.engine.run import run_review
from prodready.rules.registry import default_catalogue


def _tree(root: Path, files: dict[str, str] | list[str]) -> None:
    items = files.items() if isinstance(files, dict) else ((name, "") for name in files)
    for name, text in items:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _names(root: Path) -> dict[str, str]:
    """relative path -> module name, for every .py file under `root`, as a review names them."""
    files = sorted(str(p) for p in root.rglob("*.py"))
    namer = ModuleNamer.scan(root, files)
    return {Path(f).relative_to(root).as_posix(): namer.name(f)[0] for f in files}


def test_package_tree(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        ["bot/__init__.py", "bot/main.py", "bot/handlers/__init__.py", "bot/handlers/start.py"],
    )
    namer = ModuleNamer()
    assert namer.name(str(tmp_path / "bot" / "main.py")) == ("bot.main", False)
    assert namer.name(str(tmp_path / "bot" / "__init__.py")) == ("bot", True)
    assert namer.name(str(tmp_path / "bot/handlers/start.py")) == ("bot.handlers.start", False)
    assert namer.name(str(tmp_path / "bot/handlers/__init__.py")) == ("bot.handlers", True)
    assert _names(tmp_path)["bot/handlers/start.py"] == "bot.handlers.start"


def test_flat_scripts_are_named_by_their_path(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "main.py": "from config import TOKEN\nfrom utils.db import pool\n",
            "config.py": "",
            "utils/db.py": "",
            "scripts/seed.py": "import main\n",
        },
    )
    assert _names(tmp_path) == {
        "main.py": "main",
        "config.py": "config",
        "utils/db.py": "utils.db",
        "scripts/seed.py": "scripts.seed",
    }


def test_loose_script_is_named_by_its_stem(tmp_path: Path) -> None:
    _tree(tmp_path, ["scripts/run.py"])
    assert ModuleNamer().name(str(tmp_path / "scripts" / "run.py")) == ("run", False)


def test_src_layout_stops_at_the_first_folder_without_init(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "src/svc/__init__.py": "",
            "src/svc/api.py": "from svc.db import engine\n",
            "src/svc/db.py": "",
            "src/run.py": "from svc.api import app\n",
        },
    )
    assert ModuleNamer(tmp_path).name(str(tmp_path / "src/svc/api.py")) == ("svc.api", False)
    assert _names(tmp_path) == {
        "src/run.py": "run",
        "src/svc/__init__.py": "svc",
        "src/svc/api.py": "svc.api",
        "src/svc/db.py": "svc.db",
    }


def test_src_as_a_namespace_package_when_the_imports_spell_it(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "src/bot/__init__.py": "",
            "src/bot/handlers.py": "from src.bot.db import pool\n",
            "src/bot/db.py": "",
            "src/main.py": "from src.bot import handlers\n",
        },
    )
    assert _names(tmp_path) == {
        "src/bot/__init__.py": "src.bot",
        "src/bot/db.py": "src.bot.db",
        "src/bot/handlers.py": "src.bot.handlers",
        "src/main.py": "src.main",
    }


def test_namespace_root_with_regular_subpackages(tmp_path: Path) -> None:
    # `app/` has no __init__.py; the code imports `app.utils.x`, never `utils.x`
    _tree(
        tmp_path,
        {
            "app/main.py": "from app.utils.x import helper\nfrom app.handlers import router\n",
            "app/utils/__init__.py": "",
            "app/utils/x.py": "from .y import thing\n",
            "app/utils/y.py": "",
            "app/handlers/__init__.py": "from app.utils import x\n",
        },
    )
    assert _names(tmp_path) == {
        "app/handlers/__init__.py": "app.handlers",
        "app/main.py": "app.main",
        "app/utils/__init__.py": "app.utils",
        "app/utils/x.py": "app.utils.x",
        "app/utils/y.py": "app.utils.y",
    }


def test_plain_folder_run_as_the_source_root_keeps_its_packages_names(tmp_path: Path) -> None:
    # `python bot/main.py`: the code imports `handlers.start`, not `bot.handlers.start`
    _tree(
        tmp_path,
        {
            "bot/main.py": "from handlers import start\nfrom config import TOKEN\n",
            "bot/config.py": "",
            "bot/handlers/__init__.py": "",
            "bot/handlers/start.py": "from config import TOKEN\n",
        },
    )
    assert _names(tmp_path) == {
        "bot/config.py": "config",
        "bot/handlers/__init__.py": "handlers",
        "bot/handlers/start.py": "handlers.start",
        "bot/main.py": "main",  # with its folder: the same source root
    }


def test_nested_namespace_packages(tmp_path: Path) -> None:
    # neither `app/` nor `app/bot/` has an __init__.py; `handlers/user/` has none either, but
    # inside a regular package it is a namespace subpackage of it
    _tree(
        tmp_path,
        {
            "app/bot/main.py": "from app.bot.handlers import admin\n",
            "app/bot/handlers/__init__.py": "",
            "app/bot/handlers/admin.py": "from app.bot.handlers.user.menu import show\n",
            "app/bot/handlers/user/menu.py": "",
            "app/bot/handlers/user/profile.py": "",
        },
    )
    assert _names(tmp_path) == {
        "app/bot/handlers/__init__.py": "app.bot.handlers",
        "app/bot/handlers/admin.py": "app.bot.handlers.admin",
        "app/bot/handlers/user/menu.py": "app.bot.handlers.user.menu",
        "app/bot/handlers/user/profile.py": "app.bot.handlers.user.profile",
        "app/bot/main.py": "app.bot.main",
    }


def test_main_module_of_a_package(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/__main__.py": "from .app import run\n",
            "bot/app.py": "",
        },
    )
    assert _names(tmp_path)["bot/__main__.py"] == "bot.__main__"
    assert ModuleNamer().name(str(tmp_path / "bot/__main__.py")) == ("bot.__main__", False)


def test_review_of_a_single_file(tmp_path: Path) -> None:
    # the review root is the file's folder: a file inside packages keeps its package name
    _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/handlers/__init__.py": "",
            "bot/handlers/start.py": "from bot.handlers import common\n",
            "tool.py": "",
        },
    )
    start = tmp_path / "bot/handlers/start.py"
    namer = ModuleNamer.scan(start.parent, [str(start)])
    assert namer.name(str(start)) == ("bot.handlers.start", False)
    tool = tmp_path / "tool.py"
    assert ModuleNamer.scan(tmp_path, [str(tool)]).name(str(tool)) == ("tool", False)


def test_folder_names_that_are_not_identifiers(tmp_path: Path) -> None:
    _tree(tmp_path, ["app/api/admin.py", "my-tools/x.py", "my-tools/pkg/__init__.py"])
    namer = ModuleNamer(tmp_path)
    assert namer.name(str(tmp_path / "app/api/admin.py")) == ("app.api.admin", False)
    assert namer.name(str(tmp_path / "my-tools/x.py")) == ("x", False)
    assert namer.name(str(tmp_path / "my-tools/pkg/__init__.py")) == ("pkg", True)


def test_imported_names() -> None:
    source = b"""\
import os, app.db as database
from app.utils import (
    x,
    y as why,
)
from .local import z
    from app.lazy import later  # deferred
"""
    assert imported_names(source) == {
        "os",
        "app.db",
        "app.utils",
        "app.utils.x",
        "app.utils.y",
        "app.lazy",
        "app.lazy.later",
    }


def _review(root: Path) -> tuple[dict[str, dict[str, tuple[str, int]]], dict[str, set[str]]]:
    raw = run_review([root], Settings(select=("ARC002",), ruff=False), default_catalogue())
    return import_edges(raw.project.facts, deferred=True), raw.project.calls.edges


def test_imports_and_calls_across_a_namespace_package_are_linked(tmp_path: Path) -> None:
    # Used to be named `utils.auth` (its __init__.py chain) while imported as
    # `app.utils.auth`: the graphs lost the edge, and rules matched names by suffix.
    _tree(
        tmp_path,
        {
            "app/utils/__init__.py": "",
            "app/utils/auth.py": "def check(data):\n    return data\n",
            "app/routes.py": (
                "from app.utils.auth import check\n\nasync def me(data):\n    return check(data)\n"
            ),
        },
    )
    imports, calls = _review(tmp_path)
    assert "app.utils.auth" in imports["app.routes"]
    assert "app.utils.auth.check" in calls["app.routes.me"]
