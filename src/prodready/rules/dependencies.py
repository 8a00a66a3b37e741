"""The external services a project's handlers and routes reach through the call graph: which
project functions send requests, to which host (or SDK), and from which entry points."""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field

from prodready.analysis.bindings import origin
from prodready.analysis.names import dotted_name
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Evidence
from prodready.analysis.revisit import current_function_name, walk_semantic
from prodready.analysis.semantic import FunctionNode, SemanticModel
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.walk import iter_body
from prodready.rules.outbound import (
    external_call_library,
    http_request_library,
    request_url,
    url_host,
)

_GUARDS = ("semaphore", "capacitylimiter", "bulkhead", "breaker")
_TELEGRAM_HOST = "api.telegram.org"
_HTTP_LIBRARIES = ("httpx", "aiohttp", "requests")


@dataclass(slots=True)
class Service:
    """An external service: label ("api.crypt.bot (httpx)", "stripe SDK"), where it is first
    called, and the entry points (handler / route functions) that reach it."""

    label: str
    evidence: Evidence
    entries: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Sender:
    """A project function that sends requests to one service, unless guarded."""

    label: str
    evidence: Evidence
    guarded: bool


def _guarded(function: FunctionNode, semantic: SemanticModel) -> bool:
    """True when the function takes a semaphore, capacity limiter or breaker (by name, or a
    `with` on something the scope shows is one)."""
    nodes = [*(n for d in function.decorator_list for n in ast.walk(d)), *iter_body(function)]
    words = [
        (dotted_name(n) or "").lower() for n in nodes if isinstance(n, ast.Name | ast.Attribute)
    ]
    words += [
        (origin(n.context_expr, semantic) or "").lower()
        for n in nodes
        if isinstance(n, ast.withitem)
    ]
    return any(guard in word for word in words for guard in _GUARDS)


def _host(call: ast.Call, function: FunctionNode, semantic: SemanticModel) -> str | None:
    """The request's host: a literal URL or f-string, or a local or module-level name holding
    one (`url = f"https://api.telegram.org/bot{token}/..."`, `f"{API_URL}/invoices"`)."""
    url = request_url(call)
    if isinstance(url, ast.JoinedStr) and url.values:
        first = url.values[0]
        url = first.value if isinstance(first, ast.FormattedValue) else url
    if isinstance(url, ast.Name):
        for node in iter_body(function):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == url.id for t in node.targets
            ):
                return url_host(node.value)
        return url_host(semantic.module_value(url.id))
    return url_host(url)


def _http_senders(parsed: ParsedFile, functions: set[str]) -> dict[str, _Sender]:
    """The project functions of one file that send HTTP requests on a known client, by the
    first request each sends."""
    found: dict[str, _Sender] = {}
    for node in walk_semantic(parsed):
        if not isinstance(node, ast.Call):
            continue
        library = http_request_library(node, parsed.semantic)
        name = current_function_name(parsed) if library else None
        function = parsed.semantic.enclosing_function()
        if name is None or name in found or name not in functions or function is None:
            continue
        owner = name.rsplit(".", 2)[-2]
        host = _host(node, function, parsed.semantic) or owner
        where = Evidence(parsed.source.path, node.lineno)
        found[name] = _Sender(f"{host} ({library})", where, _guarded(function, parsed.semantic))
    return found


def _senders(project: Project, files: ParsedFiles) -> dict[str, _Sender]:
    functions = set(project.calls.functions)
    senders: dict[str, _Sender] = {}
    for fact in project.facts:
        if any(name.split(".")[0] in _HTTP_LIBRARIES for name in fact.imports):
            parsed = files.get(fact.path)
            senders.update(_http_senders(parsed, functions) if parsed is not None else {})
    for name, info in project.calls.functions.items():
        sdks = [lib for call in info.calls if (lib := external_call_library(call))]
        sdks = [lib for lib in sdks if lib not in _HTTP_LIBRARIES]
        if sdks and name not in senders:
            senders[name] = _Sender(
                f"{sdks[0]} SDK", info.evidence, "breaker" in str(info.decorators)
            )
    return senders


def external_services(project: Project, files: ParsedFiles) -> list[Service]:
    """The services reached from handlers and routes, most reached first; calls to Telegram's
    own Bot API and calls guarded by a semaphore or breaker are left out."""
    senders = {
        name: sender
        for name, sender in _senders(project, files).items()
        if not sender.guarded and not sender.label.startswith(_TELEGRAM_HOST)
    }
    entries = [h.function for h in project.model.handlers]
    entries += [r.function for r in project.model.routes]
    reached: defaultdict[str, set[str]] = defaultdict(set)
    for entry in dict.fromkeys(entries):
        for name in project.calls.reachable(entry):
            if name in senders:
                reached[name].add(entry)
    services: dict[str, Service] = {}
    for name, by in sorted(reached.items()):
        sender = senders[name]
        service = services.setdefault(sender.label, Service(sender.label, sender.evidence))
        service.entries |= by
    return sorted(services.values(), key=lambda s: (-len(s.entries), s.label))
