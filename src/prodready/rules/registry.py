"""Discovery is the registration: every rule object found in `prodready.rules.*` modules."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from prodready.domain.rule import RuleMeta
from prodready.rules.api import FileRule, JudgedRule, ProjectRule, Rule, UpstreamRule

_NOT_RULE_MODULES = frozenset({"api", "registry", "matchers"})


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All rules, sorted by dimension then id."""

    rules: tuple[Rule, ...]

    @property
    def metas(self) -> tuple[RuleMeta, ...]:
        return tuple(rule.meta for rule in self.rules)

    def find(self, key: str) -> RuleMeta | None:
        """The rule whose id or name is `key` exactly (case-insensitive id)."""
        for meta in self.metas:
            if meta.id.upper() == key.upper() or meta.name == key:
                return meta
        return None

    def find_rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.meta.id == rule_id), None)

    @property
    def file_rules(self) -> tuple[FileRule, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, FileRule))

    @property
    def upstream_rules(self) -> tuple[UpstreamRule, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, UpstreamRule))

    @property
    def project_rules(self) -> tuple[ProjectRule, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, ProjectRule))


def _rule_modules(package: ModuleType) -> Iterator[ModuleType]:
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix):
        if info.name.rsplit(".", 1)[-1] in _NOT_RULE_MODULES:
            continue
        yield importlib.import_module(info.name)


def discover(package_name: str = "prodready.rules") -> Catalogue:
    """Import every module of the rules package and collect the rules they define.

    Duplicate ids or names are a programming error and raise ValueError (tests catch it).
    """
    package = importlib.import_module(package_name)
    found: dict[str, Rule] = {}
    names: set[str] = set()
    for module in _rule_modules(package):
        for value in vars(module).values():
            if isinstance(value, FileRule | ProjectRule | JudgedRule | UpstreamRule):
                meta = value.meta
                if meta.id in found or meta.name in names:
                    if found.get(meta.id) is value:
                        continue
                    raise ValueError(f"duplicate rule {meta.id} / {meta.name} in {module.__name__}")
                found[meta.id] = value
                names.add(meta.name)
    ordered = sorted(found.values(), key=lambda r: (r.meta.dimension.number, r.meta.id))
    return Catalogue(rules=tuple(ordered))


@functools.cache
def default_catalogue() -> Catalogue:
    """The catalogue of prodready's own rules, discovered once per process."""
    return discover()
