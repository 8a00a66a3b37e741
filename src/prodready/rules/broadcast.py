"""A Telegram send awaited once per user or chat of a collection (a broadcast loop), and what
paces it. Asked with the semantic model's current node on the send call."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.provenance import CONFIG_ROOTS
from prodready.analysis.revisit import call_site_arguments, current_function_name
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.walk import iter_body, iter_subtree
from prodready.rules.matchers import keyword
from prodready.rules.outbound import MESSAGE_SHORTCUTS, TELEGRAM_SEND_METHODS

_LOOPS = (ast.For, ast.AsyncFor)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# Collections that hold a handful of chats: admins, owners, configured ids.
_FEW = ("admin", "owner", "moderator", "superuser", "developer", "staff")
_CONFIG_ROOTS = CONFIG_ROOTS | {"self.config", "self.settings"}
_LIMITER_WORDS = ("limiter", "throttl", "ratelimit", "rate_limit")
_MIN_PACING = 0.03  # seconds between sends: ~30 messages/s
_SAFE_PACING = 1.0  # one message per second stays under every limit but a group's


@dataclass(frozen=True, slots=True)
class Broadcast:
    """sender: the call as written (`bot.send_message`); iterable: what the loop walks;
    paced: an `asyncio.sleep` of at least 0.03 s per item; parameter: (position, name) when
    the loop walks a positional parameter of the function (its callers say how many)."""

    sender: str
    iterable: str
    limited: bool
    paced: bool
    flood_handled: bool
    parameter: tuple[int, str] | None = None


def _is_sender(func: ast.Attribute) -> bool:
    receiver = (dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()
    if func.attr in TELEGRAM_SEND_METHODS:
        return "bot" in receiver
    if func.attr in {"copy_to", "send_copy"}:
        return True
    return func.attr in MESSAGE_SHORTCUTS and ("message" in receiver or "msg" in receiver)


def _loop_of(semantic: SemanticModel) -> ast.For | ast.AsyncFor | None:
    """The innermost `for` of the current function whose body holds the current node."""
    child = semantic.current
    for node in reversed(semantic.ancestors):
        if isinstance(node, _SCOPES):
            return None
        if isinstance(node, _LOOPS) and any(statement is child for statement in node.body):
            return node
        child = node
    return None


def few_chats(iterable: ast.expr) -> bool:
    """A literal, a constant range, a config list or a list of admins: a handful of chats."""
    if isinstance(iterable, ast.List | ast.Tuple | ast.Set):
        return True
    text = ast.unparse(iterable)
    root = (dotted_name(iterable) or "").rsplit(".", 1)[0]
    if root in _CONFIG_ROOTS or text.isupper() or any(word in text.lower() for word in _FEW):
        return True
    if isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):
        cut = iterable.slice  # the first n: `candidates[:batch_size]` (not a window `[i:i+n]`)
        return cut.lower is None and cut.upper is not None
    if isinstance(iterable, ast.Call) and dotted_name(iterable.func) == "range":
        return all(isinstance(argument, ast.Constant) for argument in iterable.args)
    return False


def _assigned(iterable: ast.expr, function: FunctionNode) -> ast.expr:
    """What a plain name iterated was assigned, when the function assigns it exactly once."""
    if not isinstance(iterable, ast.Name):
        return iterable
    values = [
        node.value
        for node in iter_body(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == iterable.id for t in node.targets)
    ]
    return values[0] if len(values) == 1 else iterable


def _derived(loop: ast.For | ast.AsyncFor) -> set[str]:
    """The loop's target names and names assigned from them in its body (`uid = row.id`)."""
    names = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    for statement in loop.body:
        for node in iter_subtree(statement, same_scope=True):
            if isinstance(node, ast.Assign) and _mentions(node.value, names):
                stored = (n for t in node.targets for n in ast.walk(t))
                names |= {n.id for n in stored if isinstance(n, ast.Name)}
    return names


def _mentions(node: ast.AST | None, names: set[str]) -> bool:
    return node is not None and any(
        isinstance(inner, ast.Name) and inner.id in names for inner in ast.walk(node)
    )


def _chat(call: ast.Call) -> ast.expr | None:
    found = keyword(call, "chat_id")
    return found.value if found is not None else (call.args[0] if call.args else None)


def _pacing(loop: ast.For | ast.AsyncFor, semantic: SemanticModel) -> float:
    """The longest `asyncio.sleep` per item, in seconds (0.03 when not a number)."""
    longest = 0.0
    for statement in loop.body:
        for node in iter_subtree(statement, same_scope=True):
            if isinstance(node, ast.Call) and semantic.qualified_name(node.func) == "asyncio.sleep":
                delay = node.args[0] if node.args else None
                value = delay.value if isinstance(delay, ast.Constant) else _MIN_PACING
                longest = max(longest, float(value) if isinstance(value, int | float) else 0.0)
    return longest


def _parameter(function: FunctionNode, iterable: ast.expr) -> tuple[int, str] | None:
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if isinstance(iterable, ast.Name) and iterable.id in positional:
        return positional.index(iterable.id), iterable.id
    return None


def _words(function: FunctionNode) -> set[str]:
    """Every name and attribute the function's decorators and own body mention."""
    nodes = [n for d in function.decorator_list for n in ast.walk(d)] + list(iter_body(function))
    names = {n.id for n in nodes if isinstance(n, ast.Name)}
    return names | {n.attr for n in nodes if isinstance(n, ast.Attribute)}


def broadcast_at(call: ast.Call, semantic: SemanticModel) -> Broadcast | None:
    """The broadcast whose send is `call` (the semantic model's current node), or None."""
    if not isinstance(call.func, ast.Attribute) or not _is_sender(call.func):
        return None
    loop = _loop_of(semantic) if isinstance(semantic.parent, ast.Await) else None
    function = semantic.enclosing_function()
    if loop is None or function is None or few_chats(_assigned(loop.iter, function)):
        return None
    if not _mentions(_chat(call), _derived(loop)) or keyword(call, "allow_paid_broadcast"):
        return None
    pacing = _pacing(loop, semantic)
    if pacing >= _SAFE_PACING:
        return None
    words = _words(function)
    lowered = {word.lower() for word in words}
    return Broadcast(
        sender=ast.unparse(call.func),
        iterable=ast.unparse(loop.iter)[:40],
        limited=any(limit in word for word in lowered for limit in _LIMITER_WORDS),
        paced=pacing >= _MIN_PACING,
        flood_handled=any(w.endswith("RetryAfter") or w == "retry_after" for w in words),
        parameter=_parameter(function, loop.iter),
    )


_SENDERS = TELEGRAM_SEND_METHODS | MESSAGE_SHORTCUTS
_AIOGRAM2 = ("aiogram.utils.exceptions", "aiogram.utils.executor", "aiogram.dispatcher")


def sender_paths(project: Project) -> list[str]:
    """The files with a function that calls a Telegram send (the only ones worth a walk)."""
    paths = {
        info.evidence.path
        for info in project.calls.functions.values()
        if any(call.rsplit(".", 1)[-1] in _SENDERS for call in info.calls)
    }
    return sorted(paths)


def flood_error(parsed: ParsedFile, project: Project) -> str:
    """How the file's framework names Telegram's flood error."""
    imports = tuple(parsed.semantic.imports.bindings.values())
    if any(name.startswith("telegram") for name in imports):
        return "`telegram.error.RetryAfter`"
    aiogram = project.model.component("aiogram")
    aiogram2 = any(name.startswith(_AIOGRAM2) for name in imports)
    if aiogram2 or (aiogram is not None and aiogram.major == 2):
        return "`RetryAfter` (`.timeout`)"
    return "`TelegramRetryAfter`"


def callers_pass_few(
    project: Project, files: ParsedFiles, parsed: ParsedFile, found: Broadcast
) -> bool:
    """True when every call of the function hands a handful of chats to the iterated
    parameter (`_send_to(bot, [owner_id], text)`, `notify(bot, admin_ids())`)."""
    target = current_function_name(parsed)
    if target is None or found.parameter is None:
        return False
    position, name = found.parameter
    passed = call_site_arguments(project, files, target, position, name)
    return bool(passed) and all(a is not None and few_chats(a) for a in passed)
