"""`[tool.prodready]` -> Settings, or an error naming the file and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prodready.config.load import (
    ConfigError,
    check_selectors,
    find_project_config,
    load_config_file,
)
from prodready.config.settings import DEFAULT_EXCLUDES, FailOn, Settings, VerdictThresholds
from prodready.domain.taxonomy import Confidence, Severity

FULL = """
[project]
name = "svc"

[tool.prodready]
select = ["RES", "SEC001"]
extend-select = ["QUAL9"]
ignore = ["RES004"]
per-file-ignores = { "tests/**" = ["SEC002"], "scripts/*.py" = "RES" }
severity = { RES001 = "Critical" }
exclude = ["legacy/"]
extend-exclude = ["gen/"]
respect-gitignore = false
fail-on = "with-fixes"
min-severity = "major"
ruff = false

[tool.prodready.verdict]
majors-for-fixes = 5
"""


def _write(folder: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key(tmp_path: Path) -> None:
    path = _write(tmp_path, FULL)
    assert load_config_file(path) == Settings(
        select=("RES", "SEC001"),
        extend_select=("QUAL9",),
        ignore=("RES004",),
        per_file_ignores=(("tests/**", ("SEC002",)), ("scripts/*.py", ("RES",))),
        severity_overrides=(("RES001", Severity.CRITICAL),),
        exclude=("legacy/",),
        extend_exclude=("gen/",),
        respect_gitignore=False,
        fail_on=FailOn.WITH_FIXES,
        min_severity=Severity.MAJOR,
        ruff=False,
        thresholds=VerdictThresholds(
            majors_for_fixes=5, blockers_need_confidence=Confidence.MEDIUM
        ),
        source=str(path),
    )


def test_pyproject_without_the_table_gives_the_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path, '[project]\nname = "svc"\n')
    assert load_config_file(path) == Settings()


def test_a_prodready_toml_is_the_table_itself(tmp_path: Path) -> None:
    path = _write(tmp_path, 'select = ["RES"]\n', "prodready.toml")
    settings = load_config_file(path)
    assert settings.select == ("RES",)
    assert settings.exclude == DEFAULT_EXCLUDES


def _error(tmp_path: Path, text: str, name: str = "pyproject.toml") -> str:
    path = _write(tmp_path, text, name)
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_invalid_toml_names_the_file_and_the_place(tmp_path: Path) -> None:
    message = _error(tmp_path, "[tool.prodready\nselect = 1\n")
    assert "not valid TOML" in message and "line 1" in message


def test_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"[tool.prodready]\nselect = ['\xff']\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml"):
        load_config_file(path)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read"):
        load_config_file(tmp_path / "nope.toml")


def test_a_folder_is_not_a_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[tool.prodready]\nselekt = ['RES']\n", "'selekt'"),
        ("[tool.prodready]\nselect = 5\n", "select"),
        ("[tool.prodready]\nselect = [1, 2]\n", "select"),
        ("[tool.prodready]\nignore = {a = 1}\n", "ignore"),
        ("[tool.prodready]\nfail-on = 'sometimes'\n", "fail-on"),
        ("[tool.prodready]\nfail-on = 1\n", "fail-on"),
        ("[tool.prodready]\nmin-severity = 'huge'\n", "min-severity"),
        ("[tool.prodready]\nrespect-gitignore = 'yes'\n", "respect-gitignore"),
        ("[tool.prodready]\nruff = 1\n", "ruff"),
        ("[tool.prodready]\nper-file-ignores = ['x']\n", "per-file-ignores"),
        ("[tool.prodready]\nper-file-ignores = { 'x.py' = 3 }\n", "per-file-ignores.x.py"),
        ("[tool.prodready]\nseverity = 'major'\n", "severity"),
        ("[tool.prodready]\nseverity = { RES001 = 'huge' }\n", "severity.RES001"),
        ("[tool.prodready.verdict]\nmajors-for-fixes = 0\n", "majors-for-fixes"),
        ("[tool.prodready.verdict]\nmajors-for-fixes = true\n", "majors-for-fixes"),
        ("[tool.prodready.verdict]\nmajors = 3\n", "'majors'"),
        ("[tool.prodready]\nverdict = 3\n", "verdict"),
        ("[tool]\nprodready = 3\n", "[tool.prodready]"),
        ("[tool.prodready]\nexclude = ['[z-a]']\n", "exclude: '[z-a]'"),
        ("[tool.prodready]\nextend-exclude = ['!']\n", "extend-exclude: '!'"),
        ('[tool.prodready]\nper-file-ignores = { "a\\\\" = ["RES"] }\n', "per-file-ignores: 'a\\'"),
    ],
)
def test_unknown_key_or_wrong_type_names_the_key_and_the_file(
    tmp_path: Path, text: str, named: str
) -> None:
    assert named in _error(tmp_path, text)


def _known(key: str) -> bool:
    return key.upper() in ("ALL", "RES", "RES001", "SEC001") or key == "aiohttp-session"


def test_check_selectors_accepts_known_rules(tmp_path: Path) -> None:
    text = (
        "[tool.prodready]\nselect = ['ALL']\nextend-select = ['RES']\nignore = ['res001']\n"
        "per-file-ignores = { 'x.py' = ['aiohttp-session'] }\nseverity = { SEC001 = 'minor' }\n"
    )
    check_selectors(load_config_file(_write(tmp_path, text)), _known)
    check_selectors(Settings(), _known)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("select = ['NOPE']", "select"),
        ("extend-select = ['RES', 'NOPE']", "extend-select"),
        ("ignore = ['NOPE']", "ignore"),
        ("ignore = ['']", "ignore"),
        ("per-file-ignores = { 'x.py' = ['NOPE'] }", "per-file-ignores.x.py"),
        ("severity = { NOPE = 'minor' }", "severity"),
    ],
)
def test_check_selectors_names_the_unknown_rule_the_key_and_the_file(
    tmp_path: Path, text: str, named: str
) -> None:
    path = _write(tmp_path, f"[tool.prodready]\n{text}\n")
    with pytest.raises(ConfigError) as caught:
        check_selectors(load_config_file(path), _known)
    message = str(caught.value)
    assert str(path) in message and named in message and "no rule matches '" in message


def test_find_project_config_walks_up_to_the_nearest_prodready_table(tmp_path: Path) -> None:
    root = _write(tmp_path, "[tool.prodready]\nselect = ['RES']\n")
    (tmp_path / "svc" / "api").mkdir(parents=True)
    _write(tmp_path / "svc", '[project]\nname = "svc"\n')
    assert find_project_config(tmp_path / "svc" / "api") == root
    nearest = _write(tmp_path / "svc", "[tool.prodready]\nignore = ['RES']\n")
    assert find_project_config(tmp_path / "svc" / "api") == nearest


def test_find_project_config_from_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _write(tmp_path, "[tool.prodready]\n")
    (tmp_path / "svc" / "api").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "svc" / "api")
    assert find_project_config(Path(".")) == root
    assert find_project_config(Path("missing.py")) == root


def test_find_project_config_from_a_file(tmp_path: Path) -> None:
    root = _write(tmp_path, "[tool.prodready]\n")
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    assert find_project_config(tmp_path / "app.py") == root


def test_find_project_config_stops_at_the_repository_root(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.prodready]\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert find_project_config(tmp_path / "repo") is None


def test_find_project_config_reports_a_broken_pyproject_on_the_way(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.prodready]\n")
    (tmp_path / "svc").mkdir()
    broken = _write(tmp_path / "svc", "[project\n")
    with pytest.raises(ConfigError, match=re.escape(str(broken))):
        find_project_config(tmp_path / "svc")


def test_layers_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[tool.prodready.layers]\ntransport = ["app.bot", "app.api"]\ndomain = "app.core"\n',
        encoding="utf-8",
    )
    settings = load_config_file(path)
    assert settings.layers == (
        ("app.bot", "transport"),
        ("app.api", "transport"),
        ("app.core", "domain"),
    )


def test_unknown_layer_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.prodready.layers]\npresentation = ["app.bot"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown layer 'presentation'"):
        load_config_file(path)
