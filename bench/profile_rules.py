"""Profile: where a review spends its time, per rule and for the project model.

    python bench/profile_rules.py PATH [TOP]   # a real project, e.g. a fetched bot
    python bench/profile_rules.py 50000 [TOP]  # a generated service of that many lines

Runs the review in this process (one worker, ruff off, so every rule is measured) under
cProfile and prints the cumulative seconds of each rule's check function (helpers it calls
included), of building the project model, and of parsing, largest first. Use it to find the
rule that makes a review slow; the wall-clock figures belong to bench_review.py.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prodready.config.settings import Settings
from prodready.engine.run import run_review
from prodready.rules.api import FileRule, ProjectRule
from prodready.rules.registry import discover

sys.path.insert(0, str(Path(__file__).parent))
from bench_review import build

Key = tuple[str, int, str]


def _key(function: Callable[..., Any]) -> Key:
    code = function.__code__
    return (code.co_filename, code.co_firstlineno, code.co_name)


def _cumulative(stats: pstats.Stats) -> dict[Key, float]:
    table: dict[Key, tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    return {key: row[3] for key, row in table.items()}


_STAGES = {
    ("engine/analyse.py", "extract_facts"): "(per-file facts of the project model)",
    ("analysis/project/build.py", "build_project"): "(project model from the facts)",
    ("engine/dispatch.py", "dispatch"): "(walk + all file rules)",
    ("engine/run.py", "_run_project_rule"): "(all project rules)",
    ("engine/source.py", "parse"): "(parsing)",
    ("engine/run.py", "run_review"): "(whole review)",
}


def _named_stages(cumulative: dict[Key, float]) -> list[tuple[float, str]]:
    return [
        (seconds, label)
        for (path, _, name), seconds in cumulative.items()
        for (suffix, stage), label in _STAGES.items()
        if name == stage and Path(path).as_posix().endswith(suffix)
    ]


def profile(paths: list[Path]) -> list[tuple[float, str]]:
    catalogue = discover()
    settings = Settings(jobs=1, ruff=False)
    profiler = cProfile.Profile()
    profiler.enable()
    run_review(paths, settings, catalogue)
    profiler.disable()
    cumulative = _cumulative(pstats.Stats(profiler))
    rows = _named_stages(cumulative)
    for rule in catalogue.rules:
        if isinstance(rule, FileRule | ProjectRule):
            rows.append((cumulative.get(_key(rule.check), 0.0), rule.meta.id))
    return sorted(rows, reverse=True)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    top = int(argv[1]) if len(argv) > 1 else 25
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(argv[0])
        if argv[0].isdigit():
            target = Path(tmp)
            build(target, int(argv[0]))
        rows = profile([target])
    print(f"{'seconds':>8}  what")
    for seconds, what in rows[:top]:
        print(f"{seconds:>8.2f}  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
