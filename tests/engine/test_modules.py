"""Module names of reviewed files, from the package folders around them."""

from __future__ import annotations

from pathlib import Path

from prodready.engine.modules import ModuleNamer


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


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


def test_src_layout_stops_at_the_first_folder_without_init(tmp_path: Path) -> None:
    _tree(tmp_path, ["src/svc/__init__.py", "src/svc/api.py"])
    assert ModuleNamer(tmp_path).name(str(tmp_path / "src/svc/api.py")) == ("svc.api", False)


def test_loose_script_is_named_by_its_stem(tmp_path: Path) -> None:
    _tree(tmp_path, ["scripts/run.py"])
    assert ModuleNamer().name(str(tmp_path / "scripts" / "run.py")) == ("run", False)


def test_plain_folders_are_named_by_the_path_below_the_root(tmp_path: Path) -> None:
    _tree(tmp_path, ["app/api/admin.py", "my-tools/x.py"])
    namer = ModuleNamer(tmp_path)
    assert namer.name(str(tmp_path / "app/api/admin.py")) == ("app.api.admin", False)
    assert namer.name(str(tmp_path / "my-tools/x.py")) == ("x", False)
