"""`prodready rules` and `prodready explain RULE`."""

from __future__ import annotations

import sys

from prodready.report.catalog import render_catalogue, render_explanation
from prodready.rules.registry import discover


def run_rules(fmt: str) -> int:
    sys.stdout.write(render_catalogue(discover().metas, fmt))
    return 0


def run_explain(key: str) -> int:
    meta = discover().find(key)
    if meta is None:
        print(f"prodready: no rule '{key}'; `prodready rules` lists them", file=sys.stderr)
        return 2
    sys.stdout.write(render_explanation(meta))
    return 0
