"""Per-file facts about background tasks: which are started and kept, which long-running
functions they run, and where tasks are cancelled or awaited. Read by the graceful-shutdown
check (a task started at startup must be cancelled and awaited when the service stops).

- TaskSpawn: `asyncio.create_task(f())`, `asyncio.ensure_future(f())`, `loop.create_task(f())`
  whose handle is kept: `self._task = ...`, `task = ...` (and the containers that name is
  added to in the same function: `self._tasks.add(task)`), `tasks.append(create_task(...))`,
  `tasks[name] = create_task(...)`, `[create_task(a()), create_task(b())]`. Tasks on a
  TaskGroup / anyio task group / PTB `application.create_task` / aiojobs are owned by them and
  not recorded; nor are tasks awaited on the spot (`await create_task(...)`, inside
  `gather(...)`).
- TaskStop: `x.cancel()` (also on the item of `for t in tasks:` / `tasks.values()`, name "*"
  when iterating `asyncio.all_tasks()`), and what is awaited: `await x`, `await
  asyncio.gather(*tasks)`, `asyncio.wait(tasks)`, `asyncio.wait_for(task, ...)`.
- long_running: functions whose own body loops until stopped: `while True:`, `while
  self._running:`, `while not stop.is_set():` (not counting loops such as `while i < n:`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.names import dotted_name
from prodready.analysis.project.lifecycle import function_of
from prodready.analysis.project.model import Evidence, FileFacts, TaskSpawn, TaskStop
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body, walk_with_ancestors

_SPAWNERS = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
_AWAITERS = frozenset({"gather", "wait", "wait_for", "shield", "as_completed"})
_ADDERS = frozenset({"add", "append", "setdefault", "insert"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _spawner(node: ast.Call, parsed: ParsedFile) -> bool:
    if parsed.semantic.imports.qualified_name(node.func) in _SPAWNERS:
        return True
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr != "create_task":
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):  # asyncio.get_event_loop().create_task(...)
        called = parsed.semantic.imports.qualified_name(receiver.func) or ""
        return called.startswith("asyncio.get_")
    return "loop" in (dotted_name(receiver) or "").rsplit(".", 1)[-1].lower()


def _kept(node: ast.Call, ancestors: list[ast.AST]) -> str | None:
    """Where the task handle goes: a name, an attribute or a container; None when awaited on
    the spot or passed to something that awaits it; "" when dropped."""
    child: ast.AST = node
    for parent in reversed(ancestors):
        if isinstance(parent, ast.Await):
            return None
        if isinstance(parent, ast.List | ast.Tuple | ast.Set | ast.Starred):
            child = parent
            continue
        if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is child:
            target = parent.targets[0] if isinstance(parent, ast.Assign) else parent.target
            target = target.value if isinstance(target, ast.Subscript) else target
            return dotted_name(target) or ""
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
            if parent.func.attr in _ADDERS:
                return dotted_name(parent.func.value) or ""
            if parent.func.attr in _AWAITERS:
                return None
        return ""
    return ""


def _loop_sources(ancestors: list[ast.AST]) -> dict[str, str]:
    """Loop variable -> what it iterates (`for t in self._tasks.values():` -> t: self._tasks),
    "*" for `asyncio.all_tasks()`."""
    found: dict[str, str] = {}
    for node in ancestors:
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            iterable = node.iter
            while isinstance(iterable, ast.Call):
                if "all_tasks" in ast.unparse(iterable.func):
                    iterable = ast.Name("*")
                    break
                inner = iterable.func
                iterable = (
                    inner.value
                    if isinstance(inner, ast.Attribute) and not iterable.args
                    else (iterable.args[0] if iterable.args else inner)
                )
            source = "*" if isinstance(iterable, ast.Name) and iterable.id == "*" else None
            source = source or dotted_name(iterable)
            if source and isinstance(node.target, ast.Name):
                found[node.target.id] = source
    return found


def _held(expr: ast.AST) -> str | None:
    """`self._task`, and `app` for `app["poller"]` (a task kept in a mapping)."""
    return dotted_name(expr.value if isinstance(expr, ast.Subscript) else expr)


def _names(expr: ast.AST) -> Iterator[str]:
    """The dotted names an awaited expression waits on (`*tasks`, `[t for t in tasks]`)."""
    if isinstance(expr, ast.Starred):
        expr = expr.value
    name = _held(expr)
    if name:
        yield name
    elif isinstance(expr, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        for generator in expr.generators:
            yield from _names(generator.iter)
    elif isinstance(expr, ast.List | ast.Tuple | ast.Set):
        for item in expr.elts:
            yield from _names(item)
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        yield from _names(expr.func.value)  # tasks.values()


def _awaited(node: ast.Await) -> Iterator[str]:
    value = node.value
    if isinstance(value, ast.Call):
        name = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
        if name in _AWAITERS:
            for arg in value.args:
                yield from _names(arg)
        return
    yield from _names(value)


def _aliases(function: ast.AST) -> dict[str, set[str]]:
    """Local name -> where the function also puts it (`self._tasks.add(task)`, `self.t = task`)."""
    found: dict[str, set[str]] = {}
    for node in iter_body(function) if isinstance(function, _FUNCTIONS) else ():
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _ADDERS
        ):
            for arg in node.args:
                owner = dotted_name(node.func.value)
                if isinstance(arg, ast.Name) and owner:
                    found.setdefault(arg.id, set()).add(owner)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            for written in node.targets:
                owner = dotted_name(
                    written.value if isinstance(written, ast.Subscript) else written
                )
                if owner:
                    found.setdefault(node.value.id, set()).add(owner)
    return found


def _copies(function: ast.AST | None) -> dict[str, str]:
    """Local name -> the attribute or name it copies (`task = self._task`)."""
    found: dict[str, str] = {}
    for node in iter_body(function) if isinstance(function, _FUNCTIONS) else ():
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], dotted_name(node.value)
            if isinstance(target, ast.Name) and value:
                found[target.id] = value
    return found


def _stopped(name: str, ancestors: list[ast.AST], copies: dict[int, dict[str, str]]) -> str:
    """What a cancelled / awaited name stands for: the container a loop variable iterates,
    the attribute a local copies."""
    name = _loop_sources(ancestors).get(name, name)
    holder = next((a for a in reversed(ancestors) if isinstance(a, _FUNCTIONS)), None)
    if holder is None or "." in name:
        return name
    if id(holder) not in copies:
        copies[id(holder)] = _copies(holder)
    return copies[id(holder)].get(name, name)


def _runs(node: ast.Call) -> str:
    started = node.args[0] if node.args else None
    target = started.func if isinstance(started, ast.Call) else started
    return (dotted_name(target) or "") if target is not None else ""


def _until_stopped(test: ast.expr) -> bool:
    """`while True:`, `while self._running:`, `while not stop.is_set():` - a loop that runs
    until something stops it, not one that counts (`while i < n:`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
        return test.func.attr in {"is_set", "is_running", "is_closed", "done"}
    if isinstance(test, ast.Constant):
        return bool(test.value)
    return isinstance(test, ast.Name | ast.Attribute)


def _long_running(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(n, ast.While) and _until_stopped(n.test) for n in iter_body(function))


def extract(parsed: ParsedFile) -> FileFacts:
    source = parsed.source
    text = "\n".join(source.lines)
    if "task" not in text.lower() and "while" not in text:
        return FileFacts(path=source.path, module=source.module)
    spawns: list[TaskSpawn] = []
    stops: list[TaskStop] = []
    long_running: list[str] = []
    ancestors: list[ast.AST] = []
    copies: dict[int, dict[str, str]] = {}
    module = source.module
    for node in walk_with_ancestors(parsed.tree, ancestors):
        where = Evidence(source.path, getattr(node, "lineno", 0))
        if isinstance(node, _FUNCTIONS) and _long_running(node):
            long_running.append(function_of(module, [*ancestors, node]))
        elif isinstance(node, ast.Call) and _spawner(node, parsed):
            kept = _kept(node, ancestors)
            if kept:
                holder = next((a for a in reversed(ancestors) if isinstance(a, _FUNCTIONS)), None)
                names = (kept, *sorted(_aliases(holder).get(kept, ()))) if holder else (kept,)
                spawns.append(TaskSpawn(names, _runs(node), where, function_of(module, ancestors)))
        elif isinstance(node, ast.Attribute) and node.attr == "cancel":
            receiver = _held(node.value) or ""
            if receiver:
                stopped = _stopped(receiver, ancestors, copies)
                stops.append(TaskStop(stopped, "cancel", where, function_of(module, ancestors)))
        elif isinstance(node, ast.Await):
            function = function_of(module, ancestors)
            for name in _awaited(node):
                stopped = _stopped(name, ancestors, copies)
                stops.append(TaskStop(stopped, "await", where, function))
    return FileFacts(
        path=source.path,
        module=source.module,
        task_spawns=tuple(spawns),
        task_stops=tuple(stops),
        long_running=tuple(long_running),
    )
