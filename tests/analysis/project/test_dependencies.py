from __future__ import annotations

from prodready.analysis.project.dependencies import (
    parse_lock,
    parse_pipfile,
    parse_pyproject,
    parse_requirements,
    parse_setup_cfg,
)
from prodready.analysis.project.model import Dependency, Evidence


def test_requirements_with_includes_extras_markers_and_comments() -> None:
    text = (
        "# base\n"
        "aiogram==3.13.1\n"
        "SQLAlchemy[asyncio]>=2.0,<2.1  # orm\n"
        "-r dev.txt\n"
        "uvloop; sys_platform != 'win32'\n"
        "git+https://example.org/x.git\n"
        "--hash=sha256:abc\n"
        "pydantic_settings @ https://example.org/p.whl\n"
    )
    found, includes = parse_requirements(text, "requirements.txt")
    assert found == [
        Dependency("aiogram", "==3.13.1", Evidence("requirements.txt", 2)),
        Dependency("sqlalchemy", ">=2.0,<2.1", Evidence("requirements.txt", 3)),
        Dependency("uvloop", "", Evidence("requirements.txt", 5)),
        Dependency("pydantic-settings", "", Evidence("requirements.txt", 8)),
    ]
    assert includes == ["dev.txt"]


def test_pyproject_pep621_groups_and_poetry() -> None:
    text = """
[project]
dependencies = ["fastapi>=0.110", "httpx==0.28.1"]
[project.optional-dependencies]
cache = ["redis>=5"]
[dependency-groups]
dev = ["pytest"]
[tool.poetry.dependencies]
python = "^3.11"
aiogram = "^3.4"
asyncpg = { version = "^0.29", extras = [] }
[tool.poetry.group.dev.dependencies]
ruff = "*"
"""
    names = {(d.name, d.specifier) for d in parse_pyproject(text, "pyproject.toml")}
    assert names == {
        ("fastapi", ">=0.110"),
        ("httpx", "==0.28.1"),
        ("redis", ">=5"),
        ("pytest", ""),
        ("aiogram", "^3.4"),
        ("asyncpg", "^0.29"),
        ("ruff", "*"),
    }


def test_broken_toml_gives_nothing_not_a_crash() -> None:
    assert parse_pyproject("[project\n", "pyproject.toml") == []
    assert parse_pipfile("[packages\n", "Pipfile") == []
    assert parse_lock("[[package]\n") == {}


def test_pipfile_setup_cfg_and_locks() -> None:
    pipfile = '[packages]\naiogram = "==2.25.1"\nrequests = "*"\n'
    assert [(d.name, d.specifier) for d in parse_pipfile(pipfile, "Pipfile")] == [
        ("aiogram", "==2.25.1"),
        ("requests", ""),
    ]
    cfg = "[options]\ninstall_requires =\n    python-telegram-bot>=20\n    httpx\n"
    assert [(d.name, d.specifier) for d in parse_setup_cfg(cfg, "setup.cfg")] == [
        ("python-telegram-bot", ">=20"),
        ("httpx", ""),
    ]
    lock = '[[package]]\nname = "SQLAlchemy"\nversion = "2.0.36"\n'
    assert parse_lock(lock) == {"sqlalchemy": "2.0.36"}
