"""Background work: APScheduler, arq, taskiq, Celery, the PTB job queue, and tasks started
with `create_task` around a function that loops forever.

- "apscheduler": `scheduler.add_job(func, "interval", minutes=5, id=…)`, `add_schedule`
  (4.x) and `@scheduler.scheduled_job(...)`, on an object built or annotated as an
  APScheduler scheduler or named like one (`scheduler`, `self.scheduler`). schedule:
  `"interval(minutes=5)"` for a trigger name with its keywords, the trigger's text for a
  trigger object; details: the job options given (id, replace_existing, max_instances,
  misfire_grace_time, coalesce, jobstore, …). A bare `add_job(...)` is not APScheduler's.
- "ptb-job-queue": `….job_queue.run_repeating(cb, interval=60)` (and run_once / run_daily /
  run_monthly / run_custom); schedule `"repeating(interval=60, first=10)"`.
- "arq": the `functions` and `cron_jobs` of a worker settings class (a class with
  `functions = [...]` in a file that imports arq); schedule `"cron(hour=3)"`. The class is
  an EntryPoint "worker" (framework "arq"); its `on_startup` / `on_shutdown` are Hooks.
- "taskiq": `@broker.task` on a broker built from a taskiq class or named like one; the
  broker is an EntryPoint "worker" (framework "taskiq"); schedule: the `schedule=` text.
- "celery": `@shared_task`, `@app.task` (app built as `Celery(...)`, or named app / celery /
  celery_app / *celery*), and `beat_schedule` entries (function: the task's name);
  `Celery(...)` is an EntryPoint "worker" (framework "celery").
- "task-loop": `asyncio.create_task(f())`, `loop.create_task(f())`, `tg.create_task(f())`,
  `asyncio.ensure_future(f())`, `tg.start_soon(f)` where `f` is defined in this file (a
  function or `self.method`) and its own body has `while True:` (or another constant true
  test). Not when awaited on the spot. details "reference-discarded" when the task is not
  kept (the call is a statement of its own).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from types import MappingProxyType

from prodready.analysis.project.adapters._common import (
    FUNCTIONS,
    FunctionNode,
    argument,
    by_line,
    function_argument,
    text,
)
from prodready.analysis.project.adapters._index import (
    Index,
    Scope,
    build_index,
)
from prodready.analysis.project.adapters._workers import WorkerFound
from prodready.analysis.project.model import BackgroundJob, FileFacts
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body

_SCHEDULERS = frozenset(
    {
        "AsyncIOScheduler",
        "BackgroundScheduler",
        "BlockingScheduler",
        "TornadoScheduler",
        "GeventScheduler",
        "TwistedScheduler",
        "QtScheduler",
        "AsyncScheduler",
        "Scheduler",
    }
)
# add_job's own parameters; every other keyword belongs to the trigger.
_ADD_JOB = frozenset(
    {
        "func",
        "trigger",
        "args",
        "kwargs",
        "id",
        "name",
        "misfire_grace_time",
        "coalesce",
        "max_instances",
        "next_run_time",
        "jobstore",
        "executor",
        "replace_existing",
        "paused",
        "max_jitter",
        "job_executor",
        "conflict_policy",
        "metadata",
    }
)
_NOT_DETAILS = frozenset({"func", "trigger", "args", "kwargs"})
# JobQueue method -> the name of its second positional parameter.
_JOB_QUEUE = MappingProxyType(
    {
        "run_once": "when",
        "run_repeating": "interval",
        "run_daily": "time",
        "run_monthly": "when",
        "run_custom": "job_kwargs",
    }
)
_JOB_QUEUE_SCHEDULE = frozenset({"interval", "first", "last", "when", "time", "days", "day"})
_SPAWN = frozenset({"create_task", "ensure_future", "start_soon"})
_MARKERS = (
    "create_task",
    "ensure_future",
    "start_soon",
    "add_job",
    "scheduled_job",
    "add_schedule",
    "job_queue",
    ".task",
    "shared_task",
    "beat_schedule",
)


def _is_scheduler(index: Index, expr: ast.AST) -> bool:
    for kind in index.type_of(expr):
        head, _, last = kind.rpartition(".")
        if head.startswith("apscheduler") and last in _SCHEDULERS:
            return True
    if isinstance(expr, ast.Name | ast.Attribute):
        return "scheduler" in (expr.id if isinstance(expr, ast.Name) else expr.attr).lower()
    return False


def _arguments(pairs: list[tuple[str, ast.expr]]) -> str:
    return ", ".join(f"{name}={text(value)}" for name, value in pairs)


def apscheduler_schedule(call: ast.Call, trigger: ast.expr | None) -> str:
    """ "interval(minutes=5)" for a trigger name, the trigger's text for a trigger object."""
    extra = [(k.arg, k.value) for k in call.keywords if k.arg and k.arg not in _ADD_JOB]
    if isinstance(trigger, ast.Constant) and isinstance(trigger.value, str):
        return f"{trigger.value}({_arguments(extra)})"
    return text(trigger) if trigger is not None else ""


@dataclass(slots=True)
class _Found:
    index: Index
    jobs: list[BackgroundJob] = field(default_factory=list)

    def job(
        self,
        kind: str,
        function: str,
        at: ast.AST,
        schedule: str = "",
        details: tuple[str, ...] = (),
    ) -> None:
        self.jobs.append(BackgroundJob(kind, function, self.index.evidence(at), schedule, details))

    def apscheduler(self, call: ast.Call, function: str, trigger: ast.expr | None) -> None:
        options = sorted({k.arg for k in call.keywords if k.arg in _ADD_JOB} - _NOT_DETAILS)
        schedule = apscheduler_schedule(call, trigger)
        self.job("apscheduler", function, call, schedule, tuple(o for o in options if o))

    def call(self, node: ast.Call, scope: Scope) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            if (self.index.qualify(func, scope) or "") == "asyncio.ensure_future":
                self.spawn(node, scope)
            return
        name, receiver = func.attr, func.value
        if name in ("add_job", "add_schedule") and _is_scheduler(self.index, receiver):
            target = function_argument(node, 0, "func" if name == "add_job" else "func_or_task_id")
            if target is not None:
                function = self.index.str_value(target) or self.index.ref(target, scope)
                self.apscheduler(node, function, argument(node, 1, "trigger"))
        elif name in _JOB_QUEUE and self._job_queue(receiver):
            callback = function_argument(node, 0, "callback")
            if callback is not None:
                self.job_queue(node, name, self.index.ref(callback, scope))
        elif name in _SPAWN:
            self.spawn(node, scope)

    def _job_queue(self, expr: ast.AST) -> bool:
        kinds = self.index.type_of(expr)
        if any(k.endswith("JobQueue") or k == ".job_queue" for k in kinds):
            return True
        return isinstance(expr, ast.Attribute | ast.Name) and (
            getattr(expr, "attr", getattr(expr, "id", "")) == "job_queue"
        )

    def job_queue(self, node: ast.Call, name: str, function: str) -> None:
        pairs: list[tuple[str, ast.expr]] = []
        if len(node.args) > 1:
            pairs.append((_JOB_QUEUE[name], node.args[1]))
        pairs += [(k.arg, k.value) for k in node.keywords if k.arg in _JOB_QUEUE_SCHEDULE]
        details = tuple(sorted(k.arg for k in node.keywords if k.arg in ("name", "job_kwargs")))
        schedule = f"{name.removeprefix('run_')}({_arguments(pairs)})"
        self.job("ptb-job-queue", function, node, schedule, details)

    def spawn(self, node: ast.Call, scope: Scope) -> None:
        """A task over a function of this file that loops forever."""
        if not node.args or id(node) in self.index.awaited:
            return
        started = node.args[0]
        target = started.func if isinstance(started, ast.Call) else started
        if not isinstance(started, ast.Call) and getattr(node.func, "attr", "") != "start_soon":
            return
        function = self.index.ref(target, scope)
        definition = self.index.defs.get(function)
        if definition is None or not loops_forever(definition):
            return
        details = ("reference-discarded",) if id(node) in self.index.statements else ()
        self.job("task-loop", function, node, details=details)

    def decorated(self, node: FunctionNode, scope: Scope) -> None:
        function = f"{scope.name}.{node.name}"
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if not isinstance(target, ast.Attribute):
                continue
            if target.attr == "scheduled_job" and call and _is_scheduler(self.index, target.value):
                self.apscheduler(call, function, argument(call, 0, "trigger"))


def loops_forever(function: FunctionNode) -> bool:
    """Its own body (not nested defs) has `while True:` / `while 1:`."""
    return any(
        isinstance(node, ast.While)
        and isinstance(node.test, ast.Constant)
        and bool(node.test.value)
        for node in iter_body(function)
    )


def extract(parsed: ParsedFile) -> FileFacts:
    """Background jobs of one file, with worker entry points and worker hooks."""
    source = parsed.source
    imports = parsed.semantic.imports
    packages = ("apscheduler", "arq", "taskiq", "celery", "telegram")
    if not any(imports.imports_module(p) for p in packages):
        written = "\n".join(source.lines)
        if not any(marker in written for marker in _MARKERS):
            return FileFacts(path=source.path, module=source.module)
    index = build_index(parsed)
    found = _Found(index)
    workers = WorkerFound(index)
    for node, scope in index.nodes:
        if isinstance(node, FUNCTIONS):
            found.decorated(node, scope)
            workers.decorated(node, scope)
        elif isinstance(node, ast.Call) and id(node) not in index.decorators:
            found.call(node, scope)
            workers.call(node, scope)
        elif isinstance(node, ast.ClassDef):
            workers.settings_class(node, scope)
        elif isinstance(node, ast.Assign):
            workers.assignment(node, scope)
    return FileFacts(
        path=source.path,
        module=source.module,
        jobs=by_line([*found.jobs, *workers.jobs]),
        entry_points=by_line(workers.entries),
        hooks=by_line(workers.hooks),
    )
