"""The state writes of a whole project, tied to schema models and call-graph functions.

Shared by the state-machine rules: which project function writes which model's state column,
how (see `analysis.state_writes`), and which models are protected by a version column.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Table
from prodready.analysis.semantic import FunctionNode
from prodready.analysis.source import ParsedFile, ParsedFiles
from prodready.analysis.state_writes import STATE_FIELDS, StateWrite, state_writes
from prodready.analysis.walk import iter_body, iter_subtree
from prodready.rules.functions import functions_of

_HINT = re.compile(r"\.(status|state|stage|phase|\w+_(status|state|stage|phase))\b|\.update\(")
_STATE_SUFFIXES = ("_status", "_state", "_stage", "_phase")
# Models whose lifecycle moves money, access or stock: a lost transition costs someone.
MONEY_MODELS = re.compile(
    r"order|payment|subscription|invoice|purchase|transaction|payout|withdraw|deposit|refund|"
    r"booking|reservation|^buy|sale|bill|charge|coupon|voucher|promo|dispute|escrow|"
    r"replenish|top_?up|transfer|wallet|credit|checkout|license|access",
    re.I,
)


@dataclass(frozen=True, slots=True)
class SiteWrite:
    """A state write at a place: the call graph's name of its function, its file, and the
    schema model it writes (bare class name)."""

    write: StateWrite
    function: str
    parsed: ParsedFile
    model: str
    body: FunctionNode | None = None

    @property
    def column(self) -> str:
        return f"{self.model}.{self.write.field}"

    @property
    def where(self) -> str:
        return f"{self.parsed.source.path}:{self.write.line}"


def schema_models(project: Project) -> dict[str, Table]:
    """Model tables by bare class name."""
    return {t.model.rsplit(".", 1)[-1]: t for t in project.model.schema.tables if t.model}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def model_by_name(receiver: str, models: dict[str, Table]) -> str:
    """The model a variable is named after: `subscription` / `user_subscription` /
    `subscriptions` (a loop over them) -> `Subscription`; "" when none or several."""
    word = receiver.rsplit(".", 1)[-1].lower()
    found = [
        name
        for name in models
        if word in (_snake(name), _snake(name) + "s") or word.endswith("_" + _snake(name))
    ]
    return found[0] if len(found) == 1 else ""


def resolve_model(written: str, parsed: ParsedFile, models: dict[str, Table]) -> str:
    """The schema model a class name written in `parsed` denotes ("" when none): compared by
    qualified name when the file's imports tell it (`dto.Game` is not `models.Game`)."""
    bare = written.rsplit(".", 1)[-1]
    table = models.get(bare)
    if table is None:
        return ""
    head, _, rest = written.partition(".")
    bound = parsed.semantic.imports.bindings.get(head)
    if bound is None:
        return bare
    qualified = f"{bound}.{rest}" if rest else bound
    module = qualified.rsplit(".", 1)[0]
    same = qualified == table.model or table.model.startswith(module + ".")
    return bare if same else ""


def _versioned(table: Table, files: ParsedFiles) -> bool:
    parsed = files.get(table.evidence.path)
    if parsed is None:
        return False
    classes = parsed.memoized("transitions.classes_by_line", lambda: _classes_by_line(parsed))
    node = classes.get(table.evidence.line)
    if node is None:
        return False
    lines = parsed.source.lines[node.lineno - 1 : node.end_lineno or node.lineno]
    return any("version_id_col" in line for line in lines)


def _classes_by_line(parsed: ParsedFile) -> dict[int, ast.ClassDef]:
    return {n.lineno: n for n in iter_subtree(parsed.tree) if isinstance(n, ast.ClassDef)}


def versioned_models(project: Project, files: ParsedFiles) -> frozenset[str]:
    """Models whose mapper has a `version_id_col` (optimistic locking on every UPDATE)."""
    return frozenset(n for n, t in schema_models(project).items() if _versioned(t, files))


def project_writes(project: Project, files: ParsedFiles) -> list[SiteWrite]:
    """Every state write of the project whose row is a model of the schema, not a new row."""
    models = schema_models(project)
    if not models:
        return []
    extra = frozenset(
        c.name
        for t in models.values()
        for c in t.columns
        if c.enum and c.name.endswith(_STATE_SUFFIXES)
    )
    found: list[SiteWrite] = []
    for parsed in files:
        if not any(_HINT.search(line) for line in parsed.source.lines):
            continue
        for name, function, methods in functions_of(parsed):
            for write in state_writes(function, extra, methods):
                if write.constructed:
                    continue
                model = resolve_model(write.model, parsed, models)
                if not write.model and write.receiver.isidentifier():
                    model = model_by_name(write.receiver, models)
                if model and _is_column(models[model], write.field):
                    found.append(SiteWrite(write, name, parsed, model, function))
    return found


def _is_column(table: Table, field: str) -> bool:
    return table.column(field) is not None or (not table.columns and field in STATE_FIELDS)


_GUARDS = {
    "status-check": "checked",
    "conditional-update": "conditional UPDATE",
    "row-lock": "row lock",
    "": "unguarded",
}
_OTHERS_SHOWN = 3
_MONEY_CALLS = re.compile(
    r"refund|release|escrow|balance|payout|charge|credit|debit|transfer|withdraw|deposit|pay",
    re.I,
)


def writes_by_column(project: Project, files: ParsedFiles) -> dict[str, list[SiteWrite]]:
    """The project's state writes grouped by `Model.column`, models with a version column
    left out (optimistic locking already refuses a stale write); computed once per review
    (RACE010 and RACE011 both read it)."""
    return files.memoized("transitions.writes_by_column", lambda: _group(project, files))


def _group(project: Project, files: ParsedFiles) -> dict[str, list[SiteWrite]]:
    versioned = versioned_models(project, files)
    grouped: dict[str, list[SiteWrite]] = defaultdict(list)
    for site in project_writes(project, files):
        if site.model not in versioned:
            grouped[site.column].append(site)
    return grouped


def moves_money(site: SiteWrite) -> bool:
    """The function also calls something that moves money: a second run moves it twice."""
    return site.body is not None and any(
        isinstance(node, ast.Call) and _MONEY_CALLS.search(ast.unparse(node.func))
        for node in iter_body(site.body)
    )


def other_transitions(site: SiteWrite, sites: list[SiteWrite]) -> str:
    """`; other Order.status writes: pending → paid (checked, app/x.py:40), …` or ""."""
    shown = [
        f"{o.write.transition} ({_GUARDS[o.write.guard]}, {o.where})"
        for o in sites
        if o is not site
    ]
    if not shown:
        return ""
    more = len(shown) - _OTHERS_SHOWN
    tail = f"; {more} more" if more > 0 else ""
    return f"; other {site.column} writes: " + ", ".join(shown[:_OTHERS_SHOWN]) + tail


def reached_from(project: Project, starts: list[str]) -> dict[str, str]:
    """Project function -> the first entry function (in `starts`) that reaches it."""
    found: dict[str, str] = {}
    for start in starts:
        for name in project.calls.reachable(start):
            found.setdefault(name, start)
    return found


def partner_rank(site: SiteWrite, partner: SiteWrite) -> tuple[int, int]:
    """Writes most likely to collide with `site` first: the same code, then writes that
    accept any current value, then the others (in source order)."""
    if partner is site:
        return (0, 0)
    return (1 if not partner.write.checked else 2, partner.write.line)
