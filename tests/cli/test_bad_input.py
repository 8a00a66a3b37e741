"""Bad input through the command line: one line each, the review completes, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.run import BAD_SESSION, one_error_line, prodready, write

BAD_FILES: dict[str, str | bytes] = {
    "good.py": BAD_SESSION,
    "syntax.py": "def f(:\n",
    "legacy_cp1251.py": "# -*- coding: cp1251 -*-\n# Привет\n".encode("cp1251")
    + BAD_SESSION.encode(),
    "no_cookie.py": "s = 'Привет'\n".encode("cp1251"),
    "bad_codec.py": b"# coding: no-such-codec\nx = 1\n",
    "binary.py": bytes(range(256)) * 8,
    "empty.py": "",
    "parens.py": "(" * 5000 + "1" + ")" * 5000 + "\n",
    "lists.py": "x = " + "[" * 300 + "]" * 300 + "\n",
    "long_sum.py": "x = " + "+".join(["1"] * 100_000) + "\n",
    "big.py": "".join(f"v{n} = {n}\n" for n in range(50_000)),
    "warns.py": 'x = "\\d"\nif x is 1:\n    pass\n',
}


@pytest.fixture
def bad_project(tmp_path: Path) -> Path:
    write(tmp_path, BAD_FILES)
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    os.symlink("..", tmp_path / "up")
    return tmp_path


def test_every_bad_file_is_one_note_and_the_review_completes(bad_project: Path) -> None:
    done = prodready(
        "review",
        "--select",
        "RES001",
        "--fail-on",
        "major",
        cwd=bad_project,
        env={"PYTHONWARNINGS": "always"},
    )
    assert done.returncode == 1
    assert done.stderr == ""
    out = done.stdout
    assert "good.py:5:12" in out
    assert "legacy_cp1251.py:7:12" in out
    notes = out.split("Notes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    noted = sorted(line.strip().split(":", 1)[0] for line in notes)
    assert noted == [
        "bad_codec.py",
        "binary.py",
        "lists.py",
        "long_sum.py",
        "loop_a.py",
        "loop_b.py",
        "no_cookie.py",
        "parens.py",
        "syntax.py",
    ]
    assert "reviewed 12 files" in out
    assert "7 file(s) could not be read or parsed; the verdict does not cover them" in out


def test_the_ruff_bridge_survives_the_same_files(bad_project: Path) -> None:
    done = prodready("review", cwd=bad_project)
    assert done.returncode in (0, 1)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


def test_standard_output_that_cannot_encode_everything(bad_project: Path) -> None:
    done = prodready(
        "review", "--select", "RES001", cwd=bad_project, env={"PYTHONIOENCODING": "ascii"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_text(BAD_SESSION, encoding="utf-8")
    done = prodready("review", "--select", "RES001", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "caf" in done.stdout and ".py:5:12" in done.stdout


def test_broken_pyproject_exits_2_naming_it(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.prodready\nselect = 1\n", "app.py": ""})
    line = one_error_line(prodready("review", ".", cwd=tmp_path))
    assert "pyproject.toml" in line and "TOML" in line


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('selekt = ["RES"]', "selekt"),
        ("select = 5", "select"),
        ('fail-on = "sometimes"', "fail-on"),
        ('select = ["NOPE"]', "NOPE"),
    ],
)
def test_bad_setting_exits_2_naming_the_key_and_the_file(
    tmp_path: Path, table: str, named: str
) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.prodready]\n{table}\n", "app.py": ""})
    line = one_error_line(prodready("review", ".", cwd=tmp_path))
    assert "pyproject.toml" in line and named in line


def test_config_option_pointing_at_a_missing_file_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": ""})
    line = one_error_line(prodready("review", "--config", "missing.toml", cwd=tmp_path))
    assert "missing.toml" in line


def test_config_option_with_a_bad_file_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "", "ci.toml": "select = 5\n"})
    line = one_error_line(prodready("review", "--config", "ci.toml", cwd=tmp_path))
    assert "ci.toml" in line and "select" in line


def test_path_that_is_a_symlink_loop_exits_2(tmp_path: Path) -> None:
    os.symlink("self.py", tmp_path / "self.py")
    assert "self.py" in one_error_line(prodready("review", "self.py", cwd=tmp_path))


def test_a_folder_without_python_files_says_nothing_was_reviewed(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "# docs\n"})
    done = prodready("review", ".", cwd=tmp_path)
    assert done.returncode == 0
    assert "reviewed 0 files" in done.stdout
    assert "nothing supports this verdict" in done.stdout
