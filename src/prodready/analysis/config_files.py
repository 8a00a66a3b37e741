"""Configuration files beside the code (`.env`, `config.yaml`, `settings.json`, `*.ini`,
`docker-compose.yml`): what they are called, and the `key = value` entries they hold.

Parsing is line-based and forgiving (a broken file still yields the lines that read as
entries); JSON is read with `json` and its leaves are located by line. Values are kept only in
memory: reports must never print them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

_CONFIG_STEMS = frozenset(
    {"config", "settings", "secrets", "secret", "credentials", "appsettings", "local_settings"}
)
_CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".ini", ".toml", ".cfg", ".conf", ".env"})
_EXAMPLE = re.compile(
    r"example|sample|template|tmpl|dist|default|skeleton|demo|(^|[._-])(test|tests|ci)([._-]|$)",
    re.I,
)
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][\w.\-]*)\s*=\s*(?P<value>.*)$")
_YAML_LINE = re.compile(
    r"^\s*(?:-\s+)?(?P<key>[\"']?[\w.\-]+[\"']?)\s*:\s+(?P<value>[^#&*{\[|>].*)$"
)
_LIST_ENV = re.compile(r"^\s*-\s+[\"']?(?P<key>[A-Za-z_][\w.\-]*)=(?P<value>[^\"']*)[\"']?\s*$")
_INI_LINE = re.compile(r"^\s*(?P<key>[\w.\-]+)\s*[=:]\s*(?P<value>.*)$")
_VENDORED = frozenset(
    {"node_modules", "site-packages", "venv", ".venv", "env", ".tox", ".nox", "dist", "build"}
    | {".git", ".idea", ".vscode", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)
MAX_FILES = 40
MAX_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A configuration file found beside the code: path relative to the review root."""

    path: str
    text: str

    @property
    def example(self) -> bool:
        """A template meant to be copied or a test setup, not production values:
        `.env.example`, `config.sample.yaml`, `config_dist/config.yml`,
        `docker-compose.test.yml`."""
        return any(_EXAMPLE.search(part) for part in PurePosixPath(self.path).parts)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    value: str
    line: int


def is_config_name(name: str) -> bool:
    """`.env`, `.env.prod`, `prod.env`, `config.yaml`, `settings.json`, `secrets.toml`,
    `docker-compose.yml`, `alembic.ini`…"""
    lowered = name.lower()
    if lowered == ".env" or lowered.startswith(".env.") or lowered.endswith(".env"):
        return True
    path = PurePosixPath(lowered)
    stem = path.name.split(".", 1)[0]
    if path.suffix not in _CONFIG_SUFFIXES:
        return False
    return (
        stem in _CONFIG_STEMS
        or stem.startswith(("docker-compose", "compose"))
        or lowered in ("alembic.ini",)
    )


def is_config_path(relative: str) -> bool:
    """A configuration file by name (`is_config_name`), outside vendored, tool and hidden
    folders."""
    path = PurePosixPath(relative)
    folders = path.parts[:-1]
    hidden = any(part.startswith(".") for part in folders)  # tool settings: .qwen/, .github/
    return is_config_name(path.name) and not hidden and not _VENDORED.intersection(folders)


def _unquote(value: str) -> str:
    """`'two' # note` -> `two`; `abc # note` -> `abc`; a quoted value keeps its `#`."""
    value = value.strip()
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        if end > 0:
            return value[1:end]
    return re.split(r"\s+[#;]", value, maxsplit=1)[0].strip()


def entries(config: ConfigFile) -> Iterator[Entry]:
    """The `key = value` pairs of the file, in order (keys as written)."""
    name = PurePosixPath(config.path).name.lower()
    if name.endswith(".json"):
        yield from _json_entries(config.text)
        return
    yaml = name.endswith((".yaml", ".yml"))
    for number, line in enumerate(config.text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";", "[", "//")):
            continue
        match = (
            (_LIST_ENV.match(line) or _YAML_LINE.match(line))
            if yaml
            else _ENV_LINE.match(line) or _INI_LINE.match(line)
        )
        if match is not None:
            key = match["key"].strip("\"'")
            yield Entry(key, _unquote(match["value"]), number)


def _json_entries(text: str) -> Iterator[Entry]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    lines = text.splitlines()
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    yield Entry(str(key), value, _line_of(lines, str(key), value))
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _line_of(lines: list[str], key: str, value: str) -> int:
    quoted = json.dumps(key)
    for number, line in enumerate(lines, 1):
        if quoted in line and (value in line or line.rstrip().endswith(":")):
            return number
    return next((n for n, line in enumerate(lines, 1) if quoted in line), 1)
