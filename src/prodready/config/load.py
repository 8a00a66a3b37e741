"""Reading `[tool.prodready]` from a pyproject.toml (or a file given with --config)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from prodready.config.patterns import invalid_pattern
from prodready.config.settings import LAYERS, FailOn, Settings, VerdictThresholds
from prodready.domain.taxonomy import Severity


class ConfigError(Exception):
    """A configuration the user must fix; the message names the file and the key."""


def _strings(file: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{file}: [tool.prodready] {key} must be a list of strings")


def _patterns(file: str, key: str, value: object) -> tuple[str, ...]:
    patterns = _strings(file, key, value)
    for pattern in patterns:
        if invalid_pattern(pattern):
            raise ConfigError(
                f"{file}: [tool.prodready] {key}: '{pattern}' is not a gitignore-style pattern"
            )
    return patterns


def _enum_value(file: str, key: str, value: object, choices: list[str]) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{file}: [tool.prodready] {key} must be one of {', '.join(choices)}")
    return value.lower()


def _per_file(file: str, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.prodready] per-file-ignores must be a table")
    return tuple(
        (
            _patterns(file, "per-file-ignores", pattern)[0],
            _strings(file, f"per-file-ignores.{pattern}", codes),
        )
        for pattern, codes in value.items()
    )


def _severities(file: str, value: object) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.prodready] severity must be a table of RULE = level")
    names = [s.value for s in Severity]
    return tuple(
        (str(rule), Severity(_enum_value(file, f"severity.{rule}", level, names)))
        for rule, level in value.items()
    )


def _thresholds(file: str, value: object) -> VerdictThresholds:
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.prodready] verdict must be a table")
    result = VerdictThresholds()
    for key, item in value.items():
        if key == "majors-for-fixes":
            if not isinstance(item, int) or isinstance(item, bool) or item < 1:
                raise ConfigError(f"{file}: [tool.prodready.verdict] {key} must be an integer >= 1")
            result = replace(result, majors_for_fixes=item)
        else:
            raise ConfigError(f"{file}: [tool.prodready.verdict] unknown key '{key}'")
    return result


def _layers(file: str, value: object) -> tuple[tuple[str, str], ...]:
    """`transport = ["app.handlers", ...]` per layer -> (module prefix, layer) pairs."""
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.prodready] layers must be a table of layer = [modules]")
    pairs: list[tuple[str, str]] = []
    for layer, modules in value.items():
        if layer not in LAYERS:
            raise ConfigError(
                f"{file}: [tool.prodready.layers] unknown layer '{layer}' "
                f"(one of {', '.join(LAYERS)})"
            )
        pairs += [(module, layer) for module in _strings(file, f"layers.{layer}", modules)]
    return tuple(pairs)


def _bool(file: str, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{file}: [tool.prodready] {key} must be true or false")
    return value


def settings_from_table(table: dict[str, Any], file: str, base: Settings) -> Settings:
    """Settings from a `[tool.prodready]` table; every key checked, unknown keys rejected."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key in ("select", "ignore", "extend-select"):
            changes[key.replace("-", "_")] = _strings(file, key, value)
        elif key in ("exclude", "extend-exclude"):
            changes[key.replace("-", "_")] = _patterns(file, key, value)
        elif key == "per-file-ignores":
            changes["per_file_ignores"] = _per_file(file, value)
        elif key == "severity":
            changes["severity_overrides"] = _severities(file, value)
        elif key == "fail-on":
            changes["fail_on"] = FailOn(_enum_value(file, key, value, [f.value for f in FailOn]))
        elif key == "min-severity":
            names = [s.value for s in Severity]
            changes["min_severity"] = Severity(_enum_value(file, key, value, names))
        elif key in ("respect-gitignore", "ruff", "include-tests"):
            changes[key.replace("-", "_")] = _bool(file, key, value)
        elif key == "cache-dir":
            if not isinstance(value, str):
                raise ConfigError(f"{file}: [tool.prodready] {key} must be a string (a folder)")
            changes["cache_dir"] = value
        elif key == "verdict":
            changes["thresholds"] = _thresholds(file, value)
        elif key == "layers":
            changes["layers"] = _layers(file, value)
        else:
            raise ConfigError(f"{file}: [tool.prodready] unknown key '{key}'")
    return replace(base, source=file, **changes)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None


def load_config_file(path: Path, base: Settings | None = None) -> Settings:
    """Settings from `path`: a pyproject.toml ([tool.prodready]) or a prodready.toml."""
    data = read_toml(path)
    tool = data.get("tool")
    table = tool.get("prodready") if isinstance(tool, dict) else None
    if table is None and path.name != "pyproject.toml":
        table = data
    if table is None:
        return base or Settings()
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.prodready] must be a table")
    return settings_from_table(table, str(path), base or Settings())


def find_project_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a `[tool.prodready]` table at or above `start`,
    stopping at a repository root (a pyproject.toml without the table is passed over, as
    ruff does, so a sub-project's packaging file does not hide the repository's settings)."""
    here = start.resolve()  # `Path(".").parents` is empty: walk up from the real folder
    here = here if here.is_dir() else here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            tool = read_toml(candidate).get("tool")
            if isinstance(tool, dict) and "prodready" in tool:
                return candidate
        if (directory / ".git").exists():
            return None
    return None


def check_selectors(settings: Settings, known: Callable[[str], bool]) -> None:
    """ConfigError naming the key and the file for a rule id, prefix or name that matches no
    rule: a typo would otherwise silently select (or ignore) nothing."""
    keys: list[tuple[str, tuple[str, ...]]] = [
        ("select", settings.select),
        ("extend-select", settings.extend_select),
        ("ignore", settings.ignore),
        *((f"per-file-ignores.{pattern}", codes) for pattern, codes in settings.per_file_ignores),
        ("severity", tuple(rule for rule, _ in settings.severity_overrides)),
    ]
    for key, selectors in keys:
        for selector in selectors:
            if not selector.strip() or not known(selector):
                raise ConfigError(
                    f"{settings.source}: [tool.prodready] {key}: no rule matches '{selector}' "
                    "(`prodready rules` lists them)"
                )
