"""In which order a function's statements reach two effects (a commit, an external write).

Each effect is reached through a chain of project functions (effects.Reach.path): the
function itself first, then the callee it calls on the way. The order is read from the
position of the call that starts each chain in the function's own body (`iter_body`, source
order): the call whose resolved name is that callee, or the direct call of the effect.

- "statement": both calls found surely: by their resolved names, by the effect's own call
  (every `.commit()` commits), or by a name whose calls all name the same callee — the order
  is read from the code;
- "name": at least one found only by its last name among calls of different callees of that
  name (`client.post`, `self.http.post`; the first one is taken) — a guess;
- "unknown": one of the calls is not found (called by reference, through a decorator...).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body


@dataclass(frozen=True, slots=True)
class Order:
    """first: "commit" | "write" | "" (unknown); how: "statement" | "name" | "unknown"."""

    first: str
    how: str


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _target(path: Sequence[str], call: str) -> str:
    """What the function calls to start the chain: the next project function, else the
    effect's call; a constructor (`Client.__init__`) is called by its class name."""
    target = path[1] if len(path) > 1 else call
    return target.rsplit(".", 1)[0] if target.endswith(".__init__") else target


def _position(
    calls: list[tuple[ast.Call, str, str]], target: str, direct: bool
) -> tuple[tuple[int, int] | None, bool]:
    """(position of the first call that starts the chain, whether that call is surely the
    one: resolved to the target, the same callee each time, or the effect itself - `direct`,
    where every `.commit()` is a commit)."""
    short = _short(target)
    named = [(c, q) for c, name, q in calls if name == short]
    exact = [c for c, q in named if q and (q == target or target.endswith(f".{q}"))]
    chosen = exact[0] if exact else (named[0][0] if named else None)
    if chosen is None:
        return None, False
    alike = len({ast.unparse(c.func) for c, _ in named}) == 1  # `self.repo.save` each time
    return (chosen.lineno, chosen.col_offset), bool(exact) or alike or direct


def effect_order(
    function: FunctionNode,
    commit: tuple[Sequence[str], str],
    write: tuple[Sequence[str], str],
    qualified: Callable[[ast.AST], str | None],
) -> Order:
    """The order in which `function` reaches a commit and a write, each given as (the
    Reach path, the effect's call name); `qualified` resolves a call's function."""
    calls: list[tuple[ast.Call, str, str]] = []
    for node in iter_body(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            calls.append((node, name, qualified(func) or ""))
    commit_at, commit_sure = _position(calls, _target(*commit), len(commit[0]) < 2)
    write_at, write_sure = _position(calls, _target(*write), len(write[0]) < 2)
    if commit_at is None or write_at is None or commit_at == write_at:
        return Order("", "unknown")
    first = "commit" if commit_at < write_at else "write"
    return Order(first, "statement" if commit_sure and write_sure else "name")
