"""Which rules run: `select` + `extend-select` minus `ignore` (ids, id prefixes or names)."""

from __future__ import annotations

from prodready.config.settings import Settings
from prodready.domain.rule import RuleMeta
from prodready.rules.api import Rule
from prodready.rules.registry import Catalogue


def is_selected(meta: RuleMeta, settings: Settings) -> bool:
    chosen = any(meta.matches(key) for key in (*settings.select, *settings.extend_select))
    return chosen and not any(meta.matches(key) for key in settings.ignore)


def selected_rules(catalogue: Catalogue, settings: Settings) -> tuple[Rule, ...]:
    return tuple(rule for rule in catalogue.rules if is_selected(rule.meta, settings))


def names_a_rule(catalogue: Catalogue, key: str) -> bool:
    """True when the selector `key` (id, id prefix, name or ALL) matches some rule."""
    return any(meta.matches(key) for meta in catalogue.metas)
