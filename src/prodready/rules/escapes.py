"""Where an exception re-raised by a project function is logged next: an enclosing `try` of
the same function, a caller's `except` that logs it with its traceback, or the framework behind
the bot handler or route it escapes from (aiogram, PTB, uvicorn, aiohttp all log what escapes
a handler; a project error handler that logs counts as well). Shared by rules about
duplicated error logs (never a rule module itself)."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import SPAWNERS, Body, Code
from prodready.analysis.project.calls import callee_names
from prodready.analysis.project.model import Hook
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.walk import iter_body
from prodready.rules.handling import catches, logs_error, traceback_log

TryNode = ast.Try | ast.TryStar
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_FRAMEWORK_LOGS = {
    "aiogram3": (
        'aiogram logs exceptions escaping handlers ("Cause exception while process update")'
    ),
    "aiogram2": "aiogram 2 re-raises exceptions escaping handlers and asyncio / aiohttp log them",
    "ptb": 'PTB logs exceptions escaping handlers ("No error handlers are registered")',
    "fastapi": 'uvicorn logs exceptions escaping routes ("Exception in ASGI application")',
    "starlette": 'uvicorn logs exceptions escaping routes ("Exception in ASGI application")',
    "aiohttp": 'aiohttp logs exceptions escaping handlers ("Error handling request")',
    "apscheduler": 'APScheduler logs exceptions escaping jobs ("Job ... raised an exception")',
    "arq": 'arq logs exceptions escaping jobs ("... failed")',
    "taskiq": 'taskiq logs exceptions escaping tasks ("Exception found while executing function")',
    "celery": 'Celery logs exceptions escaping tasks ("Task ... raised unexpected")',
    "ptb-job-queue": 'PTB logs exceptions escaping jobs ("No error handlers are registered")',
}
# Starlette / FastAPI and aiohttp turn these into responses without logging them.
_HTTP_ERRORS = frozenset({"HTTPException", "StarletteHTTPException", "RequestValidationError"})
_FAMILIES = {
    "aiogram3": "aiogram",
    "aiogram2": "aiogram",
    "fastapi": "asgi",
    "starlette": "asgi",
    "ptb-job-queue": "ptb",  # job errors go to the application's error handlers too
}


@dataclass(frozen=True, slots=True)
class Entry:
    """A handler or route: who logs what escapes it (None: caught there without a log, e.g.
    by an error handler that only answers), and the exception types a handler takes over."""

    logged_by: str | None
    handled: frozenset[str] = frozenset()


def tries_around(function: FunctionNode, targets: set[int]) -> dict[int, tuple[TryNode, ...]]:
    """For each target node (by id) in the function's own body: the `try` statements whose
    body holds it, innermost first. A call handed to `create_task(...)` and the like is left
    out (its exception does not reach this function)."""
    found: dict[int, tuple[TryNode, ...]] = {}
    stack: list[tuple[ast.AST, tuple[TryNode, ...]]] = [(s, ()) for s in function.body]
    while stack:
        node, tries = stack.pop()
        if id(node) in targets:
            found[id(node)] = tries
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Try | ast.TryStar):
            stack += [(part, (node, *tries)) for part in node.body]
            stack += [(p, tries) for p in (*node.handlers, *node.orelse, *node.finalbody)]
        elif isinstance(node, ast.Call) and _spawns(node):
            continue
        else:
            stack += [(child, tries) for child in ast.iter_child_nodes(node)]
    return found


def _spawns(call: ast.Call) -> bool:
    name = dotted_name(call.func) or ""
    return name.rsplit(".", 1)[-1] in SPAWNERS


def _verdict(body: Body, tries: tuple[TryNode, ...], names: frozenset[str]) -> str | None:
    """What `tries` (innermost first) do with the error: "escapes" (it leaves `body`),
    "caught" (an `except` keeps it without logging), else `path:line` of the traceback log."""
    semantic = body.parsed.semantic
    for statement in tries:
        handler = next((h for h in statement.handlers if catches(h, names, semantic)), None)
        if handler is None:
            continue
        logged = traceback_log(handler, semantic)
        if logged is not None:
            return f"{body.path}:{logged.lineno}"
        if not any(isinstance(n, ast.Raise) for n in iter_body_of(handler)):
            return "caught"
    return "escapes"


def iter_body_of(handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    for statement in handler.body:
        yield from ast.walk(statement)


def _call_sites(code: Code, caller: Body, callee: str) -> list[ast.Call]:
    owner = code.project.calls.classes.get(caller.name.rsplit(".", 1)[0])
    names = callee_names(caller.parsed, caller.node, owner)
    return [
        node
        for node in iter_body(caller.node)
        if isinstance(node, ast.Call)
        and id(node) in names
        and code.resolve(names[id(node)]) == callee
    ]


def logged_again(
    code: Code,
    start: Body,
    statement: TryNode,
    names: frozenset[str],
    entries: Mapping[str, Entry],
    depth: int = 3,
) -> tuple[str, bool] | None:
    """Who logs again what the `except` of `statement` (in `start`) re-raises, and whether
    that is another function; None when nothing shows it is logged again."""
    verdict = _verdict(start, tries_around(start.node, {id(statement)})[id(statement)], names)
    if verdict not in ("escapes", "caught"):
        return f"an outer `except` ({verdict}) logs it again", False
    if verdict == "caught":
        return None
    queue = deque([(start.name, 0)])
    seen = {start.name}
    while queue:
        name, level = queue.popleft()
        entry = entries.get(name)
        if entry is not None:
            if entry.logged_by is not None and not _answered(names, entry):
                return entry.logged_by, name != start.name
            continue
        if level >= depth:
            continue
        for caller_name in code.callers(name):
            caller = code.body(caller_name)
            if caller is None or caller_name in seen:
                continue
            sites = _call_sites(code, caller, name)
            around = tries_around(caller.node, {id(site) for site in sites})
            for site in sites:
                if id(site) not in around:
                    continue  # handed to a task: its error never reaches the caller
                verdict = _verdict(caller, around[id(site)], names)
                if verdict == "escapes":
                    seen.add(caller_name)
                    queue.append((caller_name, level + 1))
                    break
                if verdict != "caught":
                    return f"caller `{caller.short}` logs it again ({verdict})", True
    return None


def _answered(names: frozenset[str], entry: Entry) -> bool:
    """The web framework (or an exception handler of the project) answers these errors
    without logging them: `HTTPException`, aiohttp's `HTTPNotFound`... responses."""
    web = "HTTPException" in entry.handled
    return bool(names & entry.handled) or (web and any(n.startswith("HTTP") for n in names))


def framework_entries(code: Code) -> dict[str, Entry]:
    """Bot handlers, routes, middlewares and scheduled jobs / worker tasks by call-graph
    name, with who logs what escapes them."""
    model = code.project.model
    found: dict[str, Entry] = {}
    entries: list[tuple[str, str, Hook | None]] = [
        (h.framework, h.function, None) for h in model.handlers if h.update != "errors"
    ]
    entries += [(r.framework, r.function, None) for r in model.routes]
    entries += [(j.kind, j.function.replace(":", "."), None) for j in model.jobs]  # "pkg.mod:f"
    filtered = {h.function for h in model.handlers if h.update == "errors" and h.filters}
    for hook in model.hooks:
        body = _hook_body(code, hook) if hook.kind == "middleware" else None
        if body is not None and hook.framework != "aiogram2":  # aiogram 2's are callbacks
            entries.append((hook.framework, body.name, hook))
    by_kind: dict[tuple[str, bool], Entry] = {}  # the same for every handler of a framework
    for framework, function, own in entries:
        default = _FRAMEWORK_LOGS.get(framework)
        if default is None or function in found:
            continue
        key = (framework, own is None)
        if key not in by_kind:
            family = _FAMILIES.get(framework, framework)
            hooks = [
                h
                for h in model.hooks
                if _FAMILIES.get(h.framework, h.framework) == family
                and (own is None or h.kind != "middleware")  # middlewares: order unknown
                and h.function not in filtered  # `ExceptionTypeFilter(...)`: other errors pass
            ]
            by_kind[key] = _entry(code, hooks, default, family in ("asgi", "aiohttp"))
        found[function] = by_kind[key]
    return found


def _entry(code: Code, hooks: list[Hook], default: str, web: bool) -> Entry:
    handled = (_HTTP_ERRORS if web else frozenset()) | frozenset(
        h.on.rsplit(".", 1)[-1]
        for h in hooks
        if h.kind == "exception-handler" and h.on not in ("Exception", "builtins.Exception")
    )
    catchers = [h for h in hooks if h.kind == "error-handler" or h.error_named_middleware]
    if not catchers:
        return Entry(default, handled)
    for hook in catchers:
        body = _hook_body(code, hook)
        for reached in code.reach(body.name, 1) if body is not None else []:
            logged = logs_error(list(iter_body(reached.node)), reached.parsed.semantic)
            if logged is not None:
                where = f"{reached.path}:{logged.lineno}"
                short = hook.function.rsplit(".", 1)[-1]
                return Entry(f"the error handler `{short}` logs it again ({where})", handled)
    return Entry(None, handled)


def _hook_body(code: Code, hook: Hook) -> Body | None:
    for name in (hook.function, f"{hook.function}.__call__", f"{hook.function}.dispatch"):
        body = code.body(name)
        if body is not None:
            return body
    return None
