"""Secrets in what a log or print call writes: a secret-named value, a Bot API URL holding
the token, the whole environment, a settings object whose fields include plain-text secrets.

Masked uses are not leaks: `len(token)`, `bool(token)`, `token[:4]`, `mask(token)`,
`token is None`, and fields declared `SecretStr` (they print as `**********`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from prodready.analysis.names import ImportTable, dotted_name
from prodready.analysis.provenance import CONFIG_ROOTS
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.strings import local_values, string_held
from prodready.rules.matchers import looks_like_secret

_MASKS = frozenset({"len", "bool", "hash", "type", "isinstance", "callable", "id", "hasattr"})
_MASK_WORDS = re.compile(
    r"mask|redact|hide|obfuscat|censor|sanitiz|scrub|hash|digest|fingerprint|_fp$|preview|trunc",
    re.I,
)
# Named like secrets, but not ones: a per-message webhook MAC, LLM token counts.
_NOT_LEAKS = re.compile(r"signature|tokens$|_tokens_|token_count|usage", re.I)
_TELEGRAM_URL = re.compile(r"api\.telegram\.org/(file/)?bot\{\}")
_DUMPS = frozenset({"dict", "model_dump", "model_dump_json", "json", "__dict__"})


_SETTINGS_NAMES = tuple(sorted(CONFIG_ROOTS))  # prefixes: `settings_obj`, `config_data`


class FileSecrets:
    """What the module declares, computed on first use: fields typed `SecretStr` (they print
    masked) and module-level settings objects whose class here holds plain-text secrets."""

    def __init__(self, tree: ast.Module) -> None:
        self._tree = tree
        self._masked: frozenset[str] | None = None
        self._plain: frozenset[str] | None = None

    def _scan(self) -> None:
        masked: set[str] = set()
        plain_classes: set[str] = set()
        for node in ast.walk(self._tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    if "Secret" in ast.unparse(item.annotation):
                        masked.add(item.target.id)
                    elif looks_like_secret(item.target.id):
                        plain_classes.add(node.name)
        objects = {
            target.id
            for statement in self._tree.body
            if isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and dotted_name(statement.value.func) in plain_classes
            for target in statement.targets
            if isinstance(target, ast.Name) and target.id.lower().startswith(_SETTINGS_NAMES)
        }
        self._masked, self._plain = frozenset(masked), frozenset(objects)

    @property
    def masked(self) -> frozenset[str]:
        if self._masked is None:
            self._scan()
        return self._masked or frozenset()

    @property
    def plain(self) -> frozenset[str]:
        if self._plain is None:
            self._scan()
        return self._plain or frozenset()


def _masked(node: ast.AST, parents: list[ast.AST]) -> bool:
    child = node
    for parent in parents:
        if isinstance(parent, ast.Call) and child is not parent.func:
            name = (dotted_name(parent.func) or "").rsplit(".", 1)[-1]
            if name in _MASKS or _MASK_WORDS.search(name) or _plain_getattr(parent):
                return True
        if isinstance(parent, ast.Subscript) and isinstance(parent.slice, ast.Slice):
            return True
        if isinstance(parent, ast.Compare | ast.BoolOp | ast.UnaryOp):
            return True
        if isinstance(parent, ast.IfExp) and child is parent.test:
            return True
        child = parent
    return False


def _plain_getattr(call: ast.Call) -> bool:
    """`getattr(token, "id")`: reads another attribute, not the secret itself."""
    if dotted_name(call.func) != "getattr" or len(call.args) < 2:
        return False
    name = call.args[1]
    return isinstance(name, ast.Constant) and not looks_like_secret(str(name.value))


def _walk(expr: ast.AST) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    """Nodes of `expr` with their parents inside it (innermost first), lambdas not entered."""
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(expr, [])]
    while stack:
        node, parents = stack.pop()
        yield node, parents
        if isinstance(node, ast.Lambda):
            continue
        for child in ast.iter_child_nodes(node):
            stack.append((child, [node, *parents]))


def _telegram_url(expr: ast.AST, where: Where, depth: int = 0) -> bool:
    """`expr` is (or interpolates, or names a variable holding) a Bot API URL built from
    the token: `f"https://api.telegram.org/bot{TOKEN}/..."`."""
    if depth > 2 or not isinstance(expr, ast.expr):
        return False
    if isinstance(expr, ast.Name):
        held = local_values(expr.id, where.function) if where.function is not None else None
        if not held:
            value = where.module_value(expr.id)
            return value is not None and _telegram_url(value, where, depth + 1)
        return any(_telegram_url(value, where, depth + 1) for value in held)
    built = string_held(expr, where.function, where.module_value)
    if built is None:
        return False
    if _TELEGRAM_URL.search(built.text):
        return True
    return any(_telegram_url(value, where, depth + 1) for value in built.values)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a logged expression sits: its function (for locals) and module constants."""

    function: FunctionNode | None
    module_value: Callable[[str], ast.expr | None]


def leaked(expr: ast.AST, secrets: FileSecrets, where: Where | None = None) -> str | None:
    """What secret `expr` writes out, as a short text; None when nothing."""
    if _telegram_url(expr, where or Where(None, lambda _: None)):
        return "a Bot API URL with the bot token"
    for node, parents in _walk(expr):
        if _masked(node, parents):
            continue
        found = _secret_node(node, parents, secrets)
        if found:
            return found
    return None


def _secret_node(node: ast.AST, parents: list[ast.AST], secrets: FileSecrets) -> str | None:
    parent = parents[0] if parents else None
    if isinstance(node, ast.Attribute | ast.Name):
        if isinstance(parent, ast.Attribute) or (
            isinstance(parent, ast.Call) and parent.func is node
        ):
            return None  # only a full chain that is a value: `settings.bot_token`
        name = dotted_name(node) or ""
        last = name.rsplit(".", 1)[-1]
        if name == "os.environ" and not isinstance(parent, ast.Subscript):
            return "every environment variable (`os.environ`)"
        if looks_like_secret(last) and last not in secrets.masked and not _NOT_LEAKS.search(name):
            return f"`{name}`"
        if name.startswith(_SETTINGS_NAMES) and name in secrets.plain:
            return f"the whole `{name}` object (plain-text secret fields)"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get_secret_value":
            return f"`{ast.unparse(node)}`"
        name = dotted_name(func) or ""
        if name in ("os.getenv", "os.environ.get", "getenv") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and looks_like_secret(str(first.value).lower()):
                return f"`{ast.unparse(node)}`"
        if name.rsplit(".", 1)[-1] in _DUMPS and name.split(".", 1)[0] in secrets.plain:
            return f"`{ast.unparse(node)}` (every setting, secrets included)"
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        if isinstance(key, str) and looks_like_secret(key.lower()):
            return f"`{ast.unparse(node)}`"
    return None


_VERBOSE = frozenset({"DEBUG", "INFO", "NOTSET", "10", "20", "0"})
_PTB_V20 = (
    "telegram.ext.Application",
    "telegram.ext.ApplicationBuilder",
    "telegram.ext.ContextTypes",
)


def _level(call: ast.Call) -> str | None:
    for item in call.keywords:
        if item.arg == "level":
            value = item.value
            text = dotted_name(value) or (
                str(value.value) if isinstance(value, ast.Constant) else ""
            )
            return text.rsplit(".", 1)[-1].upper()
    return None


def httpx_url_logging(call: ast.Call, imports: ImportTable, lines: Sequence[str]) -> str | None:
    """What `logging.basicConfig(level=INFO|DEBUG)` leaks in a module of python-telegram-bot
    v20+ (which sends through httpx) or of httpx itself, when nothing in the module raises
    the `httpx` logger: httpx logs `HTTP Request: POST <url>` at INFO, and a Bot API URL is
    `https://api.telegram.org/bot<token>/<method>`."""
    level = _level(call)
    if level not in _VERBOSE:
        return None
    ptb = any(name.startswith(_PTB_V20) for name in imports.bindings.values())
    if not (ptb or imports.imports_module("httpx")):
        return None
    if any('getLogger("httpx")' in line or "getLogger('httpx')" in line for line in lines):
        return None
    client = "python-telegram-bot (httpx)" if ptb else "httpx"
    return (
        f"level {level} with {client}: httpx logs every request URL at INFO, "
        "and Bot API URLs hold the token"
    )


_last: list[tuple[ast.Module, FileSecrets]] = []


def secrets_of(tree: ast.Module) -> FileSecrets:
    """One `FileSecrets` per file: a rule's walk visits a file's calls one after another."""
    entry = _last[0] if _last else None
    if entry is None or entry[0] is not tree:
        entry = (tree, FileSecrets(tree))
        _last[:] = [entry]
    return entry[1]
