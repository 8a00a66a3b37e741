from __future__ import annotations

from prodready.analysis.project.model import Dependency, Evidence
from prodready.analysis.project.stack import detect_stack

REQ = Evidence("requirements.txt", 1)


def _by_key(stack: tuple[object, ...]) -> dict[str, object]:
    return {c.key: c for c in stack}  # type: ignore[attr-defined]


def test_declared_version_decides_the_major() -> None:
    deps = [Dependency("aiogram", "==2.25.1", REQ), Dependency("sqlalchemy", ">=2.0", REQ)]
    imports = {"sqlalchemy.ext.asyncio.create_async_engine": Evidence("db.py")}
    stack = _by_key(detect_stack(deps, {}, imports))
    assert stack["aiogram"].label == "aiogram 2"  # type: ignore[attr-defined]
    assert stack["sqlalchemy"].label == "SQLAlchemy 2 (async)"  # type: ignore[attr-defined]


def test_lock_wins_over_specifier() -> None:
    deps = [Dependency("aiogram", ">=3", REQ)]
    stack = _by_key(detect_stack(deps, {"aiogram": "3.13.1"}, {}))
    assert stack["aiogram"].version == "3.13.1"  # type: ignore[attr-defined]


def test_imports_decide_when_nothing_is_declared() -> None:
    imports = {
        "aiogram.Router": Evidence("bot.py"),
        "aiogram.F": Evidence("bot.py"),
        "telegram.ext.ApplicationBuilder": Evidence("ptb.py"),
        "sqlalchemy.orm.Mapped": Evidence("models.py"),
    }
    stack = _by_key(detect_stack([], {}, imports))
    assert stack["aiogram"].label == "aiogram 3"  # type: ignore[attr-defined]
    assert stack["aiogram"].declared is False  # type: ignore[attr-defined]
    assert stack["python-telegram-bot"].label == "python-telegram-bot v20+"  # type: ignore[attr-defined]
    assert stack["sqlalchemy"].label == "SQLAlchemy 2 (sync, 2.0 style)"  # type: ignore[attr-defined]


def test_ambiguous_aiogram_imports_leave_the_major_unknown() -> None:
    imports = {"aiogram.Router": Evidence("a.py"), "aiogram.utils.executor": Evidence("b.py")}
    assert _by_key(detect_stack([], {}, imports))["aiogram"].major is None  # type: ignore[attr-defined]


def test_unused_libraries_are_absent() -> None:
    assert detect_stack([], {}, {"os.path": Evidence("a.py")}) == ()
