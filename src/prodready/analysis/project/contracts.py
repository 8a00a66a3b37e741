"""import-linter contracts of a reviewed project: read from its configuration (already parsed
by the engine) and checked against the imports that run when modules are imported.

Only direct imports are checked (import-linter also follows chains of imports), so a broken
contract reported here is broken for import-linter too; the reverse need not hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from prodready.analysis.project.model import Contract, Evidence, FileFacts

_KINDS = frozenset({"layers", "forbidden", "independence"})


def _lines(value: object) -> tuple[str, ...]:
    """A list of strings (TOML) or one string with an item per line (INI)."""
    if isinstance(value, str):
        return tuple(line.strip() for line in value.splitlines() if line.strip())
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return ()


def contract_of(table: Mapping[str, object], fallback: str, where: Evidence) -> Contract | None:
    """One contract from its table (a TOML table or an INI section as a dict)."""
    kind = str(table.get("type", "")).strip()
    if kind not in _KINDS:
        return None
    return Contract(
        name=str(table.get("name", fallback)).strip() or fallback,
        kind=kind,
        evidence=where,
        layers=_lines(table.get("layers")),
        containers=_lines(table.get("containers")),
        sources=_lines(table.get("source_modules")),
        forbidden=_lines(table.get("forbidden_modules")),
        modules=_lines(table.get("modules")),
        ignored=_lines(table.get("ignore_imports")),
    )


def _pattern(expression: str) -> re.Pattern[str]:
    """A module expression (`a.b`, `a.*.c`, `a.**`) matching the module and its descendants."""
    parts = []
    for part in expression.strip().strip("()").split("."):
        parts.append({"*": r"[^.]+", "**": r".+"}.get(part, re.escape(part)))
    return re.compile(r"\.".join(parts) + r"(\..+)?")


def _matches(module: str, expressions: Iterable[str]) -> bool:
    return any(_pattern(e).fullmatch(module) for e in expressions)


def _member(module: str, expression: str) -> str | None:
    """The module of an independence contract that `module` belongs to: the expression
    itself, or for a wildcard (`app.services.*`) each module it stands for on its own."""
    if not _pattern(expression).fullmatch(module):
        return None
    if "*" not in expression:
        return expression.strip()
    if "**" in expression:
        return module
    return ".".join(module.split(".")[: len(expression.strip().split("."))])


@dataclass(frozen=True, slots=True)
class BrokenImport:
    """An import that breaks a contract: importer, what it imports, where."""

    importer: str
    imported: str
    evidence: Evidence


def _layer_groups(contract: Contract) -> list[list[str]]:
    groups = [[n.strip() for n in re.split(r"[|:]", layer)] for layer in contract.layers]
    if not contract.containers:
        return groups
    return [[f"{c}.{n}" for c in contract.containers for n in group] for group in groups]


def _illegal(contract: Contract, importer: str, imported: str) -> bool:
    if contract.kind == "forbidden":
        return _matches(importer, contract.sources) and _matches(imported, contract.forbidden)
    if contract.kind == "independence":
        own = {_member(importer, m) for m in contract.modules} - {None}
        theirs = {_member(imported, m) for m in contract.modules} - {None}
        return bool(own and theirs) and not own & theirs
    groups = _layer_groups(contract)
    level = {i for i, group in enumerate(groups) if _matches(importer, group)}
    target = {i for i, group in enumerate(groups) if _matches(imported, group)}
    return bool(level and target) and min(target) < min(level)


def _ignored(contract: Contract, importer: str, imported: str) -> bool:
    for line in contract.ignored:
        left, _, right = line.partition("->")
        if _pattern(left).fullmatch(importer) and _pattern(right).fullmatch(imported):
            return True
    return False


def broken_imports(contract: Contract, facts: Iterable[FileFacts]) -> Iterator[BrokenImport]:
    """The direct imports that break `contract`."""
    for fact in facts:
        importer = fact.module
        for imported in fact.module_imports:
            target = imported.target
            if target == importer or target.startswith(importer + "."):
                continue
            if _illegal(contract, importer, target) and not _ignored(contract, importer, target):
                yield BrokenImport(importer, target, Evidence(fact.path, imported.line))
