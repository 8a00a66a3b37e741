"""The code that runs for one update or request: bot handlers, HTTP routes, middlewares and
error handlers, and the project functions they reach in the call graph."""

from __future__ import annotations

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import LogCall

_PER_REQUEST_HOOKS = frozenset({"middleware", "error-handler", "exception-handler"})


def request_places(project: Project) -> set[tuple[str, int]]:
    """(path, `def` line) of every function that runs for an update or request."""
    model = project.model
    starts = [*(h.function for h in model.handlers), *(r.function for r in model.routes)]
    starts += [h.function for h in model.hooks if h.kind in _PER_REQUEST_HOOKS]
    places: set[tuple[str, int]] = set()
    for start in dict.fromkeys(starts):
        for name in project.calls.reachable(start):
            info = project.calls.functions[name]
            places.add((info.evidence.path, info.evidence.line))
    return places


def request_log_calls(project: Project) -> list[LogCall]:
    """The warning-or-worse log calls made in code that runs for an update or request."""
    places = request_places(project)
    return [
        call
        for fact in project.facts
        for call in fact.log_calls
        if (call.evidence.path, call.function_line) in places
    ]
