"""Task queues: arq worker settings, taskiq brokers and tasks, Celery apps, tasks and beat."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from prodready.analysis.names import dotted_name
from prodready.analysis.project.adapters._common import (
    FunctionNode,
    argument,
    keyword,
    text,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
)
from prodready.analysis.project.model import BackgroundJob, EntryPoint, Hook

_CELERY_APPS = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
_CELERY_NAMES = frozenset({"app", "celery", "celery_app"})
_SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task"})
_ARQ_CRON = frozenset({"arq.cron", "arq.cron.cron"})
_ARQ_FUNC = frozenset({"arq.func", "arq.worker.func"})


def _taskiq_broker(kind: str) -> bool:
    return kind.startswith("taskiq") and kind.rsplit(".", 1)[-1].endswith("Broker")


@dataclass(slots=True)
class WorkerFound:
    index: Index
    jobs: list[BackgroundJob] = field(default_factory=list)
    entries: list[EntryPoint] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)

    def _job(self, kind: str, function: str, at: ast.AST, schedule: str = "") -> None:
        self.jobs.append(BackgroundJob(kind, function, self.index.evidence(at), schedule))

    def _queue_of(self, expr: ast.AST) -> str:
        """ "celery" / "taskiq" for the object a `.task` decorator is on, else ""."""
        kinds = self.index.type_of(expr)
        if kinds & _CELERY_APPS:
            return "celery"
        if any(_taskiq_broker(kind) for kind in kinds):
            return "taskiq"
        if not isinstance(expr, ast.Name | ast.Attribute):
            return ""
        last = (expr.id if isinstance(expr, ast.Name) else expr.attr).lower()
        if "broker" in last:
            return "taskiq"
        if last in _CELERY_NAMES or "celery" in last:
            return "celery"
        return ""

    def decorated(self, node: FunctionNode, scope: Scope) -> None:
        """`@shared_task`, `@app.task`, `@app.task(bind=True)`, `@broker.task(schedule=…)`."""
        function = f"{scope.name}.{node.name}"
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call is not None else decorator
            if (self.index.qualify(target, scope) or "") in _SHARED_TASK:
                self._job("celery", function, decorator)
            elif isinstance(target, ast.Attribute) and target.attr == "task":
                queue = self._queue_of(target.value)
                if queue:
                    schedule = keyword(call, "schedule") if call is not None else None
                    written = text(schedule) if schedule is not None else ""
                    self._job(queue, function, decorator, written)

    def call(self, node: ast.Call, scope: Scope) -> None:
        index = self.index
        qualified = index.qualify(node.func, scope) or ""
        if qualified in _CELERY_APPS:
            self._worker("celery", node, scope)
        elif _taskiq_broker(qualified):
            self._worker("taskiq", node, scope)
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            schedule = keyword(node, "beat_schedule")  # app.conf.update(beat_schedule={…})
            if isinstance(schedule, ast.Dict):
                self._beat(schedule)

    def _worker(self, framework: str, node: ast.Call, scope: Scope) -> None:
        name = self.index.targets.get(id(node), "")
        function = self.index.dotted_object(name, scope) if name else ""
        self.entries.append(EntryPoint("worker", framework, self.index.evidence(node), function))

    def assignment(self, node: ast.Assign, scope: Scope) -> None:
        """`app.conf.beat_schedule = {...}` / `beat_schedule = {...}` (celeryconfig)."""
        for target in node.targets:
            dotted = dotted_name(target) or ""
            if dotted.rsplit(".", 1)[-1] == "beat_schedule" and isinstance(node.value, ast.Dict):
                self._beat(node.value)

    def _beat(self, schedule: ast.Dict) -> None:
        for entry in schedule.values:
            if not isinstance(entry, ast.Dict):
                continue
            fields = {
                key.value: value
                for key, value in zip(entry.keys, entry.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
            task = self.index.str_value(fields.get("task"))
            when = fields.get("schedule")
            if task:
                self._job("celery", task, entry, text(when) if when is not None else "")

    def settings_class(self, node: ast.ClassDef, scope: Scope) -> None:
        """An arq worker settings class: `functions = [...]`, `cron_jobs = [cron(...)]`."""
        index = self.index
        if not index.imports("arq"):
            return
        attributes: dict[str, ast.expr] = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target: ast.expr = statement.targets[0]
                value: ast.expr | None = statement.value
            elif isinstance(statement, ast.AnnAssign):
                target, value = statement.target, statement.value
            else:
                continue
            if isinstance(target, ast.Name) and value is not None:
                attributes[target.id] = value
        functions = attributes.get("functions")
        if not isinstance(functions, ast.List | ast.Tuple):
            return
        name = f"{scope.name}.{node.name}"
        self.entries.append(EntryPoint("worker", "arq", index.evidence(node), name))
        for item in functions.elts:
            function: ast.expr | None = item
            if isinstance(item, ast.Call) and index.qualify(item.func, scope) in _ARQ_FUNC:
                function = argument(item, 0, "coroutine")
            if function is not None:
                self._job("arq", index.ref(function, scope), item)
        crons = attributes.get("cron_jobs")
        for item in crons.elts if isinstance(crons, ast.List | ast.Tuple) else ():
            if isinstance(item, ast.Call) and index.qualify(item.func, scope) in _ARQ_CRON:
                coroutine = argument(item, 0, "coroutine")
                if coroutine is not None:
                    pairs = ", ".join(f"{k.arg}={text(k.value)}" for k in item.keywords if k.arg)
                    self._job("arq", index.ref(coroutine, scope), item, f"cron({pairs})")
        for hook in ("startup", "shutdown"):
            value = attributes.get(f"on_{hook}")
            if value is not None:
                self.hooks.append(Hook(hook, "arq", index.ref(value, scope), index.evidence(value)))
