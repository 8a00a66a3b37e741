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
- "unknown": one of the calls is not found (called by reference, through a decorator...);
- "exclusive": the two calls sit in different branches of one `if` / `elif` / `match` (one
  payment provider's branch commits, another's calls out): no run does both.
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


def _candidates(
    calls: list[tuple[ast.Call, str, str]], target: str, direct: bool
) -> tuple[list[ast.Call], bool]:
    """(the calls that may start the chain, in source order, whether they surely are: resolved
    to the target, the same callee each time, or the effect itself - `direct`, where every
    `.commit()` is a commit)."""
    short = _short(target)
    named = [(c, q) for c, name, q in calls if name == short]
    exact = [c for c, q in named if q and (q == target or target.endswith(f".{q}"))]
    alike = len({ast.unparse(c.func) for c, _ in named}) == 1  # `self.repo.save` each time
    chosen = exact or [c for c, _ in named]
    return chosen, bool(exact) or alike or direct


Branch = tuple[tuple[int, str], ...]


def branches(function: FunctionNode) -> dict[int, Branch]:
    """id(node) -> the branches of `if` / `match` statements it sits in, as (id of the
    statement, which branch); nested functions and classes are not entered. What follows an
    `if` whose body ends in `return` / `raise` is that `if`'s other branch (`if provider ==
    "a": ...; return` then `if provider == "b": ...`)."""
    found: dict[int, Branch] = {}
    stack: list[tuple[ast.AST, Branch]] = []

    def push_block(statements: list[ast.stmt], path: Branch) -> None:
        for statement in statements:
            stack.append((statement, path))
            if isinstance(statement, ast.If) and not statement.orelse and _ends(statement.body):
                path = (*path, (id(statement), "else"))

    push_block(function.body, ())
    while stack:
        node, path = stack.pop()
        found[id(node)] = path
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.If):
            stack.append((node.test, path))
            push_block(node.body, (*path, (id(node), "body")))
            push_block(node.orelse, (*path, (id(node), "else")))
        elif isinstance(node, ast.Match):
            stack.append((node.subject, path))
            stack.extend((c, (*path, (id(node), str(i)))) for i, c in enumerate(node.cases))
        else:
            for value in (v for _, v in ast.iter_fields(node)):
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    push_block(value, path)
                else:
                    items = value if isinstance(value, list) else [value]
                    stack.extend((item, path) for item in items if isinstance(item, ast.AST))
    return found


def _ends(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise)


def exclusive(first: Branch, second: Branch) -> bool:
    taken = dict(first)
    return any(statement in taken and taken[statement] != arm for statement, arm in second)


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
    commits, commit_sure = _candidates(calls, _target(*commit), len(commit[0]) < 2)
    writes, write_sure = _candidates(calls, _target(*write), len(write[0]) < 2)
    if not commits or not writes:
        return Order("", "unknown")
    where = branches(function)
    pairs = [
        (c, w)
        for c in commits
        for w in writes
        if c is not w and not exclusive(where.get(id(c), ()), where.get(id(w), ()))
    ]
    if not pairs:
        same = any(c is w for c in commits for w in writes)
        return Order("", "unknown" if same else "exclusive")
    commit_call, write_call = min(pairs, key=lambda p: (_at(p[0]), _at(p[1])))
    first = "commit" if _at(commit_call) < _at(write_call) else "write"
    return Order(first, "statement" if commit_sure and write_sure else "name")


def _at(call: ast.Call) -> tuple[int, int]:
    return (call.lineno, call.col_offset)
