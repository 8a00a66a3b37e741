from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.engine.discover import discover


def _tree(root: Path) -> None:
    for name in (
        "app/main.py",
        "tests/test_main.py",
        "app/test_utils.py",
        "app/conftest.py",
        "app/latest.py",
        "test/helpers.py",
        "app/service_test.py",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def test_tests_are_skipped_by_default(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover([tmp_path], Settings())
    assert [f.relative for f in found.files] == ["app/latest.py", "app/main.py"]


def test_include_tests_reviews_them(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover([tmp_path], Settings(include_tests=True))
    assert len(found.files) == 7


def test_a_test_file_named_explicitly_is_reviewed(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover([tmp_path / "tests" / "test_main.py"], Settings())
    assert [f.relative for f in found.files] == ["test_main.py"]
