"""Telegram Mini App `initData` on the server: where a request's initData is read, and whether
the code that serves that request checks its signature first (DOMAIN.md §3).

Read: a parameter or attribute named like it (`init_data`, `initData`,
`x_telegram_init_data`), a key or header that names it (`data["initData"]`,
`Header(alias="X-Telegram-Init-Data")`, `tgWebAppData`), the `tma <initData>` authorization
scheme, or aiogram's `parse_webapp_init_data()` (which parses and checks nothing).
Validated: aiogram's `safe_parse_webapp_init_data` / `check_webapp_signature` /
`safe_check_webapp_init_data_from_signature`, the HMAC computed by hand (a "WebAppData" key
with `hmac`), or a validating library (telegram-webapp-auth, init-data-py, telegram-init-data).
A FastAPI parameter filled by `Depends(...)` is not a read: the dependency is followed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prodready.analysis.names import dotted_name
from prodready.analysis.project.bodies import Body, Code
from prodready.analysis.project.build import Project
from prodready.analysis.walk import iter_body

_NAMES = re.compile(r"^(x_?)?(telegram_|tg_|web_?app_)?init_?data(_raw|_string|_str)?$", re.I)
_KEYS = re.compile(r"init[-_]?data|^tgwebappdata$", re.I)
_KEY_CALLS = frozenset({"get", "getlist", "getone", "Header", "Query", "Form", "Cookie", "Body"})
UNSAFE_PARSE = "aiogram.utils.web_app.parse_webapp_init_data"
_VALIDATORS = (
    "safe_parse_webapp_init_data",
    "check_webapp_signature",
    "safe_check_webapp_init_data_from_signature",
)
_LIBRARIES = ("telegram_webapp_auth", "init_data_py", "telegram_init_data")
_DEPENDS = frozenset({"Depends", "Security"})
# A function the project named for the check: `validate_telegram_init_data`, `verify_init_data`.
_VALIDATOR_NAME = re.compile(
    r"(valid|verif|check)\w*(init_?data|web_?app)|init_?data\w*(valid|verif|check)", re.I
)
_MENTIONS = ("initdata", "init_data", "init-data", "tgwebappdata", "parse_webapp", "'tma", '"tma')
_VALIDATION_DEPTH = 3  # the check sits in the entry, a dependency or a helper near them
_TMA = frozenset({"tma", "tma "})


@dataclass(frozen=True, slots=True)
class Read:
    body: Body
    node: ast.AST
    label: str


def _depends(expr: ast.AST | None) -> ast.expr | None:
    """The function in `Depends(f)` written as a default or in `Annotated[..., Depends(f)]`."""
    for node in ast.walk(expr) if expr is not None else ():
        if (
            isinstance(node, ast.Call)
            and (dotted_name(node.func) or "").rsplit(".", 1)[-1] in _DEPENDS
        ):
            return node.args[0] if node.args else None
    return None


def _parameters(body: Body) -> list[tuple[ast.arg, ast.expr | None]]:
    args = body.node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = list(zip(positional, [*defaults, *args.defaults], strict=True))
    return pairs + list(zip(args.kwonlyargs, args.kw_defaults, strict=True))


def dependencies(project: Project, body: Body) -> list[str]:
    """The project functions a FastAPI function's parameters depend on."""
    module = body.parsed.source.module
    found: list[str] = []
    for arg, default in _parameters(body):
        target = _depends(default) or _depends(arg.annotation)
        short = (dotted_name(target) or "").rsplit(".", 1)[-1] if target is not None else ""
        names = [n for n in project.calls.functions if n.rsplit(".", 1)[-1] == short]
        local = f"{module}.{short}"
        found += [local] if local in names else names[:1] if len(names) == 1 else []
    return found


def _key(node: ast.AST) -> str | None:
    """A string used as a key: a subscript, `.get("k")`, `Header(alias="k")`."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value if isinstance(node.slice.value, str) else None
    if isinstance(node, ast.Call):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else dotted_name(node.func)
        if called in _KEY_CALLS:
            values = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "alias")]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return value.value
    return None


def reads_init_data(body: Body) -> Read | None:
    """Where the function reads a request's initData, or None."""
    for arg, default in _parameters(body):
        if _depends(default) is not None or _depends(arg.annotation) is not None:
            continue
        if _NAMES.match(arg.arg):
            return Read(body, arg, f"parameter `{arg.arg}`")
        for node in (*ast.walk(default or ast.Pass()), *ast.walk(arg.annotation or ast.Pass())):
            key = _key(node)  # `x: str = Header(alias="X-Telegram-Init-Data")`
            if key is not None and _KEYS.search(key):
                return Read(body, arg, f'"{key}"')
    semantic = body.parsed.semantic
    for node in iter_body(body.node):
        if (
            isinstance(node, ast.Attribute)
            and _NAMES.match(node.attr)
            and dotted_name(node.value) not in ("self", "cls")  # a model's own field
        ):
            return Read(body, node, f"`{ast.unparse(node)}`")
        key = _key(node)
        if key is not None and _KEYS.search(key):
            return Read(body, node, f'"{key}"')
        if (
            isinstance(node, ast.Call)
            and semantic.imports.qualified_name(node.func) == UNSAFE_PARSE
        ):
            return Read(body, node, "`parse_webapp_init_data()`, which checks nothing")
        if isinstance(node, ast.Constant) and str(node.value).lower() in _TMA:
            return Read(body, node, "the `tma` authorization scheme")
    return None


def validates_init_data(body: Body) -> bool:
    """The function checks initData's signature: aiogram's helpers, a validating library, or
    the HMAC by hand (`hmac.new` with the "WebAppData" key, or compared with the hash)."""
    hmac_used = web_app_key = compared = False
    imports = body.parsed.semantic.imports
    library = any(imports.imports_module(root) for root in _LIBRARIES)
    for node in iter_body(body.node):
        if isinstance(node, ast.Call):
            name = imports.qualified_name(node.func) or dotted_name(node.func) or ""
            last = name.rsplit(".", 1)[-1]
            if last in _VALIDATORS or name.startswith(_LIBRARIES) or _VALIDATOR_NAME.search(last):
                return True
            if library and last.startswith(("validate", "verify", "check")):
                return True
            hmac_used |= name.startswith("hmac.") and last != "compare_digest"
            compared |= last == "compare_digest"
        elif isinstance(node, ast.Constant) and node.value in ("WebAppData", b"WebAppData"):
            web_app_key = True
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
        ):
            compared = True
    return hmac_used and (web_app_key or compared)


def _entries(code: Code, name: str, depth: int = 4) -> set[str]:
    """The functions with no caller that reach `name` (itself when nothing calls it)."""
    found: set[str] = set()
    frontier = {name}
    seen = {name}
    for _ in range(depth):
        upper: set[str] = set()
        for current in frontier:
            above = set(code.callers(current)) - seen
            if not above:
                found.add(current)
            upper |= above
        seen |= upper
        frontier = upper
        if not frontier:
            break
    return found | frontier


def _validated(code: Code, entry: str, known: dict[str, bool]) -> bool:
    """The entry, its dependencies or the functions near them check the signature."""
    if entry not in known:
        bodies = code.reach(entry, _VALIDATION_DEPTH)
        start = code.body(entry)
        for dependency in dependencies(code.project, start) if start is not None else []:
            bodies += code.reach(dependency, _VALIDATION_DEPTH)
        known[entry] = any(validates_init_data(body) for body in bodies)
    return known[entry]


def unvalidated_reads(code: Code, candidates: Iterable[str]) -> list[Read]:
    """initData reads in the functions `candidates` that a caller's path never validates."""
    unsafe: list[Read] = []
    known: dict[str, bool] = {}
    for name in candidates:
        body = code.body(name)
        read = reads_init_data(body) if body is not None else None
        if read is None or _validated(code, name, known):
            continue
        if not all(_validated(code, entry, known) for entry in sorted(_entries(code, name))):
            unsafe.append(read)
    reported = {read.body.name for read in unsafe}
    return [  # a helper whose every caller is reported already adds nothing
        read
        for read in unsafe
        if not (callers := code.callers(read.body.name)) or not set(callers) <= reported
    ]


def candidate_functions(project: Project, root: str) -> list[str]:
    """Functions of the files whose text mentions initData at all (read from disk once, so
    that files parsed in worker processes are not parsed again for nothing)."""
    paths: set[str] = set()
    for fact in project.facts:
        try:
            text = (Path(root) / fact.path).read_text(encoding="utf-8", errors="ignore")
        except OSError:
            continue
        lowered = text.lower()
        if any(word in lowered for word in _MENTIONS):
            paths.add(fact.path)
    return [n for n, info in project.calls.functions.items() if info.evidence.path in paths]
