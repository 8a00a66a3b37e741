"""SEC024: debug switches left on in the code that starts the service."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from prodready.analysis.bindings import origin
from prodready.analysis.names import dotted_name
from prodready.domain.finding import Finding
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule
from prodready.rules.matchers import keyword

META = RuleMeta(
    id="SEC024",
    name="debug-mode-in-production",
    title="Debug mode switched on unconditionally",
    dimension=Dimension.SECURITY,
    severity=Severity.MINOR,
    confidence=Confidence.MEDIUM,
    what=(
        "A literal debug switch in the code that runs the service, not behind a settings flag "
        "or a development check: `FastAPI(debug=True)` / `Starlette(debug=True)`, Flask "
        "`app.run(debug=True)`, `uvicorn.run(..., reload=True)` (or its old `debug=True`), "
        "`asyncio.run(main(), debug=True)`, or `logging.basicConfig(level=logging.DEBUG)` in a "
        "module that starts the bot or server."
    ),
    why=(
        "Starlette's debug mode answers every unhandled error with the full traceback — code, "
        "paths and local values — to whoever sent the request; Flask's debugger runs arbitrary "
        "code for anyone who reaches it. uvicorn's reloader is a development tool (it watches "
        "files and restarts the server, and cannot run with workers); asyncio debug mode slows "
        "every callback. DEBUG logging in production multiplies log volume and writes "
        "connection details and payloads that INFO keeps out."
    ),
    fix="""Drive every debug switch from settings that default to off:

```python
import logging

import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    debug: bool = False
    log_level: str = "INFO"


settings = Settings()
logging.basicConfig(level=settings.log_level)
app = FastAPI(debug=settings.debug)

if __name__ == "__main__":
    uvicorn.run("app.main:app", host="0.0.0.0", port=8000, reload=settings.debug)
```""",
    migration=(
        "Add `debug` / `log_level` settings (environment variables, default production-safe), "
        "replace the literals with them, and run production with `uvicorn app.main:app "
        "--workers N` or gunicorn with uvicorn workers instead of the reloader."
    ),
    libraries=("pydantic-settings", "uvicorn"),
    references=(
        "https://www.starlette.io/applications/",
        "https://www.uvicorn.org/deployment/",
        "https://flask.palletsprojects.com/en/stable/debugging/",
        "https://docs.python.org/3/library/asyncio-dev.html#debug-mode",
    ),
)

_APPS = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette", "starlette.Starlette"})
_FLASK = frozenset({"flask.Flask"})
_DEV_GUARD = re.compile(r"debug|dev|local|reload|test|environment|env\b|mode", re.I)
_STARTS = re.compile(
    r"start_polling|run_polling|run_webhook|start_webhook|infinity_polling|uvicorn\.run|run_app"
)


def _true(call: ast.Call, name: str) -> bool:
    found = keyword(call, name)
    return found is not None and isinstance(found.value, ast.Constant) and found.value.value is True


def _guarded(ctx: FileContext) -> bool:
    """Inside an `if` on a debug / development flag (not `if __name__ == "__main__"`)."""
    tests = [ast.unparse(n.test) for n in ctx.semantic.ancestors if isinstance(n, ast.If)]
    return any("__name__" not in t and _DEV_GUARD.search(t) for t in tests)


def _problem(call: ast.Call, name: str, ctx: FileContext) -> str | None:
    if name in _APPS and _true(call, "debug"):
        return f"`{name.rsplit('.', 1)[-1]}(debug=True)` returns tracebacks to every caller"
    if name == "uvicorn.run" and (_true(call, "reload") or _true(call, "debug")):
        return "`uvicorn.run(..., reload=True)` runs the development reloader"
    if name == "asyncio.run" and _true(call, "debug"):
        return "`asyncio.run(..., debug=True)` runs the event loop in debug mode"
    func = call.func
    runs = isinstance(func, ast.Attribute) and func.attr == "run" and _true(call, "debug")
    if runs and isinstance(func, ast.Attribute) and origin(func.value, ctx.semantic) in _FLASK:
        return "Flask `app.run(debug=True)` serves the interactive debugger"
    if (
        name == "logging.basicConfig"
        and _debug_level(call)
        and any(_STARTS.search(line) for line in ctx.source.lines)
    ):
        return "`logging.basicConfig(level=DEBUG)` in the module that starts the service"
    return None


def _debug_level(call: ast.Call) -> bool:
    """`level=logging.DEBUG`, `level="DEBUG"` or `level=10` — a literal, not a choice."""
    level = keyword(call, "level")
    value = level.value if level is not None else None
    if isinstance(value, ast.Constant):
        return str(value.value).upper() in ("DEBUG", "10")
    return (dotted_name(value) or "").rsplit(".", 1)[-1] == "DEBUG" if value else False


@file_rule(META, on=(ast.Call,))
def check(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    name = ctx.semantic.qualified_name(node.func) or ""
    problem = _problem(node, name, ctx) if name or isinstance(node.func, ast.Attribute) else None
    if problem is not None and not _guarded(ctx):
        yield ctx.finding(node, problem)
