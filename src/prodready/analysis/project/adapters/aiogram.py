"""aiogram 3 and aiogram 2: handlers, middlewares, startup / shutdown, polling and webhooks.

Only files that import aiogram are read. The version of a registration is its API shape:
`@router.message(...)`, `router.message.register(...)` are 3.x; `@dp.message_handler(...)`,
`dp.register_message_handler(...)` are 2.x. Entry points take the file's version (2.x when
it imports something only 2.x has, such as `aiogram.utils.executor`, else 3.x).

- Handler.update is the observer's event ("message", "callback_query", "errors" for both
  `errors` and `error`, "update" for `@router.update()`); filters are the registration's
  positional filters and keywords (`flags=` of 3.x and `run_task=` of 2.x left out).
- The receiver of a 3.x observer must be a Router / Dispatcher (see `is_router`); 2.x method
  names are specific enough to accept any receiver in a file that imports aiogram.
- An errors handler is reported as a Handler (update "errors") and as a Hook "error-handler".
- EntryPoints: "polling" for `start_polling` / `run_polling` / `executor.start_polling`;
  "webhook" for `SimpleRequestHandler` (details "secret_token", "handle_in_background=False";
  path from its `.register(app, path=...)`), `TokenBasedRequestHandler` ("token-in-path"),
  `bot.set_webhook(url, ...)` ("secret_token" when passed and not None; "token-in-path"
  when the URL is built from a token) and `executor.start_webhook` / `executor.set_webhook`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._aiogram_names import (
    OBSERVERS,
    V2_HANDLERS,
    commands,
    file_version,
    is_router,
)
from prodready.analysis.project.adapters._common import (
    FUNCTIONS,
    MESSAGE_UPDATES,
    FunctionNode,
    argument,
    by_line,
    content_marks,
    entry_details,
    filter_exprs,
    filter_texts,
    function_argument,
    keyword,
    ordered_kinds,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
    build_index,
)
from prodready.analysis.project.model import EntryPoint, FileFacts, Handler, Hook
from prodready.analysis.source import ParsedFile

_EXECUTOR = ("aiogram.executor.", "aiogram.utils.executor.")
_WEBHOOK_HANDLERS = frozenset(
    {
        "aiogram.webhook.aiohttp_server.SimpleRequestHandler",
        "aiogram.webhook.aiohttp_server.TokenBasedRequestHandler",
    }
)
_DETAILS = (
    "secret_token",
    "drop_pending_updates",
    "skip_updates",
    "allowed_updates",
    "handle_signals",
    "handle_as_tasks",
    "handle_in_background",
    "close_bot_session",
    "tasks_concurrency_limit",
    "check_ip",
    "max_connections",
    "ip_address",
)
_LIFECYCLE = frozenset({"startup", "shutdown"})
_MIDDLEWARE = frozenset({"middleware", "outer_middleware"})


@dataclass(slots=True)
class _Found:
    index: Index
    version: str
    handlers: list[Handler] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    entries: list[EntryPoint] = field(default_factory=list)
    webhook_calls: list[tuple[ast.Call, str]] = field(default_factory=list)
    webhook_paths: dict[int, str] = field(default_factory=dict)
    token_paths: set[int] = field(default_factory=set)

    def handler(
        self,
        framework: str,
        update: str,
        function: str,
        registration: ast.Call,
        skip: tuple[int, tuple[str, ...]],
        receiver: ast.expr,
        scope: Scope,
    ) -> None:
        update = "errors" if update == "error" else update
        exprs = filter_exprs(registration, *skip)
        is_command, names = commands(self.index, exprs, scope)
        command_keyword = keyword(registration, "commands") if framework == "aiogram2" else None
        if command_keyword is not None:
            is_command = True
            names = (*names, *(c.lstrip("/") for c in self.index.str_items(command_keyword)))
        kinds = content_marks(exprs) if update in MESSAGE_UPDATES else set()
        kinds.update(("command",) if is_command else ())
        kinds.update(("pre_checkout",) if update == "pre_checkout_query" else ())
        kinds.update(("errors",) if update == "errors" else ())
        evidence = self.index.evidence(registration)
        self.handlers.append(
            Handler(
                framework=framework,
                update=update,
                function=function,
                evidence=evidence,
                filters=tuple(filter_texts(registration, *skip)),
                kinds=ordered_kinds(kinds),
                router=self.index.object_name(receiver, scope),
                commands=tuple(dict.fromkeys(names)),
            )
        )
        if update == "errors":
            self.hooks.append(Hook("error-handler", framework, function, evidence))

    def decorated(self, node: FunctionNode, scope: Scope) -> None:
        function = f"{scope.name}.{node.name}"
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
                continue
            name, receiver = decorator.func.attr, decorator.func.value
            if name in OBSERVERS and is_router(self.index, receiver, scope):
                skip = (0, ("flags",))
                self.handler("aiogram3", name, function, decorator, skip, receiver, scope)
            elif name in V2_HANDLERS:
                skip = (0, ("run_task",))
                self.handler(
                    "aiogram2", V2_HANDLERS[name], function, decorator, skip, receiver, scope
                )
            elif name in _LIFECYCLE and is_router(self.index, receiver, scope):
                self.hooks.append(Hook(name, "aiogram3", function, self.index.evidence(decorator)))
            elif name in _MIDDLEWARE and self._observer(receiver, scope):
                on = receiver.attr if isinstance(receiver, ast.Attribute) else ""
                evidence = self.index.evidence(decorator)
                self.hooks.append(Hook("middleware", "aiogram3", function, evidence, on))

    def _observer(self, expr: ast.expr, scope: Scope) -> bool:
        """`router.message` (an observer of a router)."""
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in OBSERVERS
            and is_router(self.index, expr.value, scope)
        )

    def call(self, node: ast.Call, scope: Scope) -> None:
        qualified = self.index.qualify(node.func, scope) or ""
        if qualified.startswith(_EXECUTOR):
            self.executor(node, qualified.rsplit(".", 1)[-1], scope)
        elif qualified in _WEBHOOK_HANDLERS:
            self.webhook_calls.append((node, qualified))
        elif isinstance(node.func, ast.Attribute):
            self.method(node, node.func.attr, node.func.value, scope)

    def method(self, node: ast.Call, name: str, receiver: ast.expr, scope: Scope) -> None:
        index = self.index
        if name == "register":
            if not (isinstance(receiver, ast.Attribute) and self.register(node, receiver, scope)):
                self.webhook_register(node, receiver, scope)
        elif name in _MIDDLEWARE and node.args and self._observer(receiver, scope):
            on = receiver.attr if isinstance(receiver, ast.Attribute) else ""
            function = index.ref(node.args[0], scope, instance=True)
            self.hooks.append(Hook("middleware", "aiogram3", function, index.evidence(node), on))
        elif name.startswith("register_") and name[9:] in V2_HANDLERS:
            callback = function_argument(node, 0, "callback")
            if callback is not None:
                function = index.ref(callback, scope)
                skip = (1, ("callback", "run_task"))
                update = V2_HANDLERS[name[9:]]
                self.handler("aiogram2", update, function, node, skip, receiver, scope)
        elif name == "setup" and isinstance(receiver, ast.Attribute) and node.args:
            if receiver.attr == "middleware":
                function = index.ref(node.args[0], scope, instance=True)
                self.hooks.append(Hook("middleware", "aiogram2", function, index.evidence(node)))
        elif name in ("start_polling", "run_polling"):
            if is_router(index, receiver, scope):
                details = entry_details(node, _DETAILS)
                self.entries.append(
                    EntryPoint("polling", self.version, index.evidence(node), details=details)
                )
        elif name == "set_webhook":
            url = argument(node, 0, "url")
            details = entry_details(node, _DETAILS)
            if index.mentions_token(url):
                details = tuple(sorted((*details, "token-in-path")))
            self.entries.append(
                EntryPoint("webhook", self.version, index.evidence(node), details=details)
            )

    def register(self, node: ast.Call, receiver: ast.Attribute, scope: Scope) -> bool:
        """`router.<observer>.register(callback, *filters)`, `dp.startup.register(f)`,
        `router.<observer>.middleware.register(m)`; False for any other `.register`."""
        index = self.index
        observer, owner = receiver.attr, receiver.value
        if observer in OBSERVERS and is_router(index, owner, scope):
            callback = function_argument(node, 0, "callback")
            if callback is not None:
                function = index.ref(callback, scope)
                skip = (1, ("callback", "flags"))
                self.handler("aiogram3", observer, function, node, skip, owner, scope)
        elif observer in _LIFECYCLE and node.args and is_router(index, owner, scope):
            function = index.ref(node.args[0], scope)
            self.hooks.append(Hook(observer, "aiogram3", function, index.evidence(node)))
        elif observer in _MIDDLEWARE and node.args and self._observer(owner, scope):
            on = owner.attr if isinstance(owner, ast.Attribute) else ""
            function = index.ref(node.args[0], scope, instance=True)
            self.hooks.append(Hook("middleware", "aiogram3", function, index.evidence(node), on))
        else:
            return False
        return True

    def webhook_register(self, node: ast.Call, receiver: ast.expr, scope: Scope) -> None:
        """`SimpleRequestHandler(...).register(app, path=...)`, or through a variable."""
        target = receiver
        dotted = dotted_name(target)
        if dotted is not None:
            target = self.index.values.get(dotted, target)
        if not isinstance(target, ast.Call):
            return
        if (self.index.qualify(target.func, scope) or "") in _WEBHOOK_HANDLERS:
            path = argument(node, 1, "path")
            if path is not None:
                self.webhook_paths[id(target)] = self.index.path_text(path)
                if self.index.mentions_token(path):
                    self.token_paths.add(id(target))

    def executor(self, node: ast.Call, name: str, scope: Scope) -> None:
        index = self.index
        if name not in ("start_polling", "start_webhook", "set_webhook"):
            return
        kind = "polling" if name == "start_polling" else "webhook"
        path_expr = argument(node, 1, "webhook_path") if kind == "webhook" else None
        path = index.path_text(path_expr)
        details = entry_details(node, _DETAILS)
        if index.mentions_token(path_expr):
            details = tuple(sorted((*details, "token-in-path")))
        self.entries.append(EntryPoint(kind, "aiogram2", index.evidence(node), "", details, path))
        for hook, keyword_name in (("startup", "on_startup"), ("shutdown", "on_shutdown")):
            value = keyword(node, keyword_name)
            if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
                function = index.ref(value, scope)
                self.hooks.append(Hook(hook, "aiogram2", function, index.evidence(value)))

    def facts(self) -> FileFacts:
        for call, qualified in self.webhook_calls:
            path = self.webhook_paths.get(id(call), "")
            details = entry_details(call, _DETAILS)
            if qualified.endswith(".TokenBasedRequestHandler") or id(call) in self.token_paths:
                details = tuple(sorted((*details, "token-in-path")))
            evidence = self.index.evidence(call)
            self.entries.append(EntryPoint("webhook", "aiogram3", evidence, "", details, path))
        source = self.index.parsed.source
        return FileFacts(
            path=source.path,
            module=source.module,
            handlers=by_line(self.handlers),
            entry_points=by_line(self.entries),
            hooks=by_line(self.hooks),
        )


def extract(parsed: ParsedFile) -> FileFacts:
    """aiogram handlers, hooks and entry points of one file (empty unless it imports aiogram)."""
    if not parsed.semantic.imports.imports_module("aiogram"):
        return FileFacts(path=parsed.source.path, module=parsed.source.module)
    index = build_index(parsed)
    found = _Found(index, file_version(index))
    for node, scope in index.nodes:
        if isinstance(node, FUNCTIONS):
            found.decorated(node, scope)
        elif isinstance(node, ast.Call) and id(node) not in index.decorators:
            found.call(node, scope)
    return found.facts()
