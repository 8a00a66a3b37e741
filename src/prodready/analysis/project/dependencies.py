"""Declared dependencies from the files that declare them. Pure parsers of text."""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any

from prodready.analysis.project.model import Dependency, Evidence

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def normalise(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _line_of(text: str, name: str) -> int:
    pattern = re.compile(rf"(?im)^[^#\n]*?\b{re.escape(name)}\b")
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _pep508(spec: str, path: str, line: int) -> Dependency | None:
    body = spec.split(";", 1)[0].split("#", 1)[0].strip()
    if not body or body.startswith(("-", "http:", "https:", "git+", "file:", ".", "/")):
        return None
    if "@" in body:
        body = body.split("@", 1)[0].strip()
    match = _REQUIREMENT.match(body)
    if match is None:
        return None
    return Dependency(normalise(match[1]), match[3].strip(), Evidence(path, line))


def parse_requirements(text: str, path: str) -> tuple[list[Dependency], list[str]]:
    """Dependencies of a requirements file and the `-r` / `-c` files it includes."""
    found: list[Dependency] = []
    includes: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith(("-r ", "--requirement ", "-r", "-c ", "--constraint ")):
            target = line.split(maxsplit=1)[1] if " " in line else line[2:]
            includes.append(target.strip())
            continue
        dependency = _pep508(line, path, number)
        if dependency is not None:
            found.append(dependency)
    return found, includes


def _poetry(table: Mapping[str, Any], text: str, path: str) -> Iterator[Dependency]:
    for name, value in table.items():
        if normalise(name) == "python":
            continue
        if isinstance(value, str):
            spec = value
        elif isinstance(value, Mapping):
            spec = str(value.get("version", ""))
        else:
            spec = ""
        yield Dependency(normalise(name), spec, Evidence(path, _line_of(text, name)))


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def parse_pyproject(text: str, path: str) -> list[Dependency]:
    """PEP 621 (dependencies, optional-dependencies), dependency-groups and Poetry tables."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    specs: list[str] = []
    project = data.get("project")
    if isinstance(project, dict):
        specs += _strings(project.get("dependencies"))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group in optional.values():
                specs += _strings(group)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group in groups.values():
            specs += _strings(group)
    found = [d for s in specs if (d := _pep508(s, path, _line_of(text, s))) is not None]
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        group_tables = poetry.get("group")
        if isinstance(group_tables, dict):
            tables += [g.get("dependencies") for g in group_tables.values() if isinstance(g, dict)]
        for table in tables:
            if isinstance(table, dict):
                found += _poetry(table, text, path)
    return found


def parse_pipfile(text: str, path: str) -> list[Dependency]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    found: list[Dependency] = []
    for section in ("packages", "dev-packages"):
        table = data.get(section)
        if isinstance(table, dict):
            found += _poetry(table, text, path)
    return [
        Dependency(d.name, "" if d.specifier == "*" else d.specifier, d.evidence) for d in found
    ]


def parse_setup_cfg(text: str, path: str) -> list[Dependency]:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    raw = parser.get("options", "install_requires", fallback="")
    found: list[Dependency] = []
    for spec in raw.splitlines():
        dependency = _pep508(spec, path, _line_of(text, spec.strip()) if spec.strip() else 0)
        if dependency is not None:
            found.append(dependency)
    return found


def parse_lock(text: str) -> dict[str, str]:
    """name -> locked version, from uv.lock or poetry.lock (both `[[package]]` tables)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    packages = data.get("package")
    if not isinstance(packages, list):
        return {}
    return {
        normalise(str(p["name"])): str(p.get("version", ""))
        for p in packages
        if isinstance(p, dict) and "name" in p
    }
