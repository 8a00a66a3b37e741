"""Which files a review reads: .gitignore, default and configured excludes, links, bad paths."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.domain.finding import NoteKind
from prodready.engine.discover import Discovery, PathError, discover


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def _found(paths: list[Path], settings: Settings | None = None) -> list[str]:
    return [ref.relative for ref in discover(paths, settings or Settings()).files]


def test_only_python_files_sorted(tmp_path: Path) -> None:
    _tree(tmp_path, {"b.py": "", "a.py": "", "notes.txt": "", "pkg/c.py": "", "pkg/d.pyi": ""})
    assert _found([tmp_path]) == ["a.py", "b.py", "pkg/c.py"]


def test_root_gitignore_is_honoured(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "generated/\nsecret_*.py\n", "app.py": ""})
    _tree(tmp_path, {"generated/x.py": "", "secret_1.py": "", "lib/secret_2.py": ""})
    assert _found([tmp_path]) == ["app.py"]


def test_nested_gitignore_applies_below_its_folder_only(tmp_path: Path) -> None:
    _tree(tmp_path, {"a/.gitignore": "local.py\n", "a/local.py": "", "b/local.py": ""})
    assert _found([tmp_path]) == ["b/local.py"]


def test_nested_gitignore_can_re_include_what_a_parent_ignores(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "gen_*.py\n", "a/.gitignore": "!gen_keep.py\n"})
    _tree(tmp_path, {"a/gen_keep.py": "", "a/gen_drop.py": "", "gen_top.py": ""})
    assert _found([tmp_path]) == ["a/gen_keep.py"]


def test_gitignore_of_the_repository_applies_when_reviewing_a_sub_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {".gitignore": "src/legacy/\n", "src/app.py": "", "src/legacy/old.py": ""})
    assert _found([tmp_path / "src"]) == ["app.py"]


def test_gitignore_outside_the_repository_does_not_apply(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "*.py\n", "repo/.git/HEAD": "", "repo/app.py": ""})
    assert _found([tmp_path / "repo"]) == ["app.py"]


def test_gitignore_can_be_turned_off(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "gen.py\n", "gen.py": ""})
    assert _found([tmp_path], Settings(respect_gitignore=False)) == ["gen.py"]


@pytest.mark.parametrize(
    "folder",
    [".venv", "venv", "build", "dist", "node_modules", "__pycache__", ".git", ".tox", "x.egg-info"],
)
def test_default_excludes(tmp_path: Path, folder: str) -> None:
    _tree(tmp_path, {f"{folder}/lib.py": "", f"pkg/{folder}/lib.py": "", "app.py": ""})
    assert _found([tmp_path]) == ["app.py"]


def test_a_virtualenv_under_any_name_is_skipped(tmp_path: Path) -> None:
    _tree(tmp_path, {"myenv/pyvenv.cfg": "home = /usr\n", "myenv/lib/site.py": "", "app.py": ""})
    assert _found([tmp_path]) == ["app.py"]


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    _tree(tmp_path, {"build/x.py": "", "legacy/y.py": "", "app.py": ""})
    assert _found([tmp_path], Settings(exclude=("legacy/",))) == ["app.py", "build/x.py"]


def test_extend_exclude_adds_to_the_defaults(tmp_path: Path) -> None:
    _tree(tmp_path, {"build/x.py": "", "legacy/y.py": "", "migrations/0001.py": "", "app.py": ""})
    settings = Settings(extend_exclude=("legacy/", "migrations/*.py"))
    assert _found([tmp_path], settings) == ["app.py"]


def test_excludes_are_relative_to_the_config_file(tmp_path: Path) -> None:
    _tree(tmp_path, {"pyproject.toml": "", "src/app.py": "", "src/gen/x.py": "", "gen/y.py": ""})
    settings = Settings(extend_exclude=("src/gen/",), source=str(tmp_path / "pyproject.toml"))
    assert _found([tmp_path / "src"], settings) == ["app.py"]
    assert _found([tmp_path], settings) == ["gen/y.py", "src/app.py"]


def test_a_file_given_explicitly_is_reviewed_even_if_excluded(tmp_path: Path) -> None:
    _tree(tmp_path, {"build/gen.py": "", "other.py": ""})
    found = discover([tmp_path / "build" / "gen.py"], Settings())
    assert [ref.relative for ref in found.files] == ["gen.py"]
    assert found.root == (tmp_path / "build").resolve()


def test_paths_given_twice_or_nested_are_reviewed_once(tmp_path: Path) -> None:
    _tree(tmp_path, {"pkg/a.py": "", "pkg/sub/b.py": ""})
    paths = [tmp_path / "pkg", tmp_path / "pkg" / "sub", tmp_path / "pkg" / "a.py"]
    assert _found(paths) == ["a.py", "sub/b.py"]


def test_root_is_the_common_parent(tmp_path: Path) -> None:
    _tree(tmp_path, {"one/a.py": "", "two/b.py": ""})
    found = discover([tmp_path / "one", tmp_path / "two" / "b.py"], Settings())
    assert found.root == tmp_path.resolve()
    assert [ref.relative for ref in found.files] == ["one/a.py", "two/b.py"]


def _notes(found: Discovery) -> list[tuple[str, NoteKind]]:
    return [(note.path, note.kind) for note in found.notes]


def test_symlink_loop_inside_the_tree_is_a_note(tmp_path: Path) -> None:
    _tree(tmp_path, {"app.py": ""})
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    found = discover([tmp_path], Settings())
    assert [ref.relative for ref in found.files] == ["app.py"]
    assert _notes(found) == [("loop_a.py", NoteKind.UNREADABLE), ("loop_b.py", NoteKind.UNREADABLE)]


def test_symlinked_folder_loop_is_not_walked_forever(tmp_path: Path) -> None:
    _tree(tmp_path, {"pkg/app.py": ""})
    os.symlink("..", tmp_path / "pkg" / "up")
    os.symlink(tmp_path, tmp_path / "pkg" / "again")
    assert _found([tmp_path]) == ["pkg/app.py"]


def test_symlinked_file_is_reviewed_once(tmp_path: Path) -> None:
    _tree(tmp_path, {"real.py": ""})
    os.symlink("real.py", tmp_path / "z_alias.py")
    assert _found([tmp_path]) == ["real.py"]


def test_fifo_named_py_is_not_read(tmp_path: Path) -> None:
    _tree(tmp_path, {"app.py": ""})
    os.mkfifo(tmp_path / "pipe.py")
    assert _found([tmp_path]) == ["app.py"]


def test_missing_path_raises_path_error(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="does not exist"):
        discover([tmp_path / "nope"], Settings())


def test_path_that_is_a_symlink_loop_raises_path_error(tmp_path: Path) -> None:
    os.symlink("self.py", tmp_path / "self.py")
    with pytest.raises(PathError, match="symlink"):
        discover([tmp_path / "self.py"], Settings())


def test_settings_without_a_source_have_no_anchor(tmp_path: Path) -> None:
    assert Settings().anchor is None
    settings = replace(Settings(), source=str(tmp_path / "pyproject.toml"))
    assert settings.anchor == tmp_path.resolve()


def test_a_folder_named_explicitly_is_reviewed_even_if_excluded(tmp_path: Path) -> None:
    _tree(tmp_path, {"pyproject.toml": "", "build/gen.py": "", "build/__pycache__/x.py": ""})
    settings = Settings(source=str(tmp_path / "pyproject.toml"))
    assert _found([tmp_path]) == []
    assert _found([tmp_path / "build"], settings) == ["gen.py"]


def test_a_folder_named_explicitly_is_reviewed_even_if_gitignored(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {".gitignore": "generated/\n", "generated/a.py": "", "generated/b.tmp.py": ""})
    _tree(tmp_path, {"generated/.gitignore": "*.tmp.py\n"})
    assert _found([tmp_path]) == []
    assert _found([tmp_path / "generated"]) == ["a.py"]


def test_invalid_gitignore_lines_are_skipped_as_git_skips_them(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "!\n[z-a]\nback\\\n*.tmp.py\n", "a.py": "", "b.tmp.py": ""})
    assert _found([tmp_path]) == ["a.py"]
