"""Checklist items decided from the data a service keeps and serves: idempotency keys,
DB-enforced state transitions, health endpoints, migrations (see practices.py)."""

from __future__ import annotations

from collections.abc import Iterable

from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Evidence, PracticeAssessment, PracticeEvidence
from prodready.domain.result import PracticeStatus
from prodready.domain.taxonomy import Practice

SHOWN = 5
PRESENT, MISSING = PracticeStatus.PRESENT, PracticeStatus.MISSING
NOT_NEEDED, NOT_ASSESSED = PracticeStatus.NOT_NEEDED, PracticeStatus.NOT_ASSESSED
HEALTH_PATHS = frozenset(
    {"health", "healthz", "healthcheck", "health-check", "health_check", "ready", "readyz"}
    | {"readiness", "live", "livez", "liveness", "ping", "alive"}
)
_KEY_WORDS = ("charge_id", "payment_id", "transaction_id", "invoice_id", "event_id", "order_id")
_MORE_KEY_WORDS = ("idempotency", "external_id", "operation_id", "provider_id", "txid", "tx_hash")


def assessment(
    practice: Practice,
    status: PracticeStatus,
    reason: str,
    shown: Iterable[tuple[Evidence, str]] = (),
) -> PracticeAssessment:
    """An assessment with at most SHOWN pieces of evidence."""
    evidence = tuple(PracticeEvidence(where, what) for where, what in shown)[:SHOWN]
    return PracticeAssessment(practice, status, reason, evidence)


def short(name: str) -> str:
    """`module.Class.method` -> `Class.method`; `module.function` -> `module.function`."""
    return ".".join(name.rsplit(".", 2)[-2:])


def _payment_flows(project: Project) -> list[tuple[Evidence, str]]:
    model = project.model
    found = [
        (h.evidence, f"{h.update} handler {short(h.function)}")
        for h in model.handlers
        if "successful_payment" in h.kinds or h.update == "pre_checkout_query"
    ]
    found += [
        (r.evidence, f"payment callback {r.method} {r.path}")
        for r in model.routes
        if r.receives == "payment"
    ]
    return sorted(found)


def idempotency(project: Project) -> PracticeAssessment:
    practice = Practice.IDEMPOTENCY_KEYS
    flows = _payment_flows(project)
    if not flows:
        return assessment(
            practice,
            NOT_NEEDED,
            "no payment handler or payment-provider callback: no flow whose repetition costs money",
        )
    schema = project.model.schema
    words = (*_KEY_WORDS, *_MORE_KEY_WORDS)
    keys = [
        (c.evidence, f"{t.name}.{c.name} is unique")
        for t in schema.tables
        for c in t.columns
        if any(w in c.name.lower() for w in words) and t.is_unique(c.name)
    ]
    if keys:
        reason = "a unique payment / event id lets a repeated delivery be refused"
        return assessment(practice, PRESENT, reason, keys)
    if not schema.tables:
        reason = "payments are handled, but no table definition was found to check for a key"
        return assessment(practice, NOT_ASSESSED, reason, flows)
    return assessment(
        practice,
        MISSING,
        "payments are handled but no table has a unique payment or event id: a repeated "
        "update or provider retry credits the user twice",
        flows,
    )


def state_transitions(project: Project) -> PracticeAssessment:
    practice = Practice.DB_STATE_TRANSITIONS
    # not a value mirrored from elsewhere: a nullable column with no default (Celery's result
    # table, an observed `last_check_status`), as DB014 skips it
    columns = [
        (t, c)
        for t in project.model.schema.tables
        for c in t.columns
        if (c.name in {"status", "state"} or c.name.endswith(("_status", "_state")))
        and not (c.nullable and not c.default and not c.server_default)
    ]
    if not columns:
        reason = "no table has a status or state column: no lifecycle to protect"
        return assessment(practice, NOT_NEEDED, reason)
    free = [
        (t, c)
        for t, c in columns
        if not c.enum
        and not any(c.name in check for check in t.check_constraints)
        and "bool" not in c.type.lower()
    ]
    if free:
        choices = any(t.source == "django" and "choices=" in c.type for t, c in free)
        django = " (Django's `choices` are not checked by the database)" if choices else ""
        return assessment(
            practice,
            MISSING,
            f"{len(free)} status / state column(s) accept any value: no Enum or CHECK "
            f"constraint stops an invalid or skipped transition{django}",
            ((c.evidence, f"{t.name}.{c.name}: {c.type or 'untyped'}") for t, c in free),
        )
    return assessment(
        practice,
        PRESENT,
        "status / state columns are constrained (Enum or CHECK); whether updates check the "
        "current state is for the state-machine rules",
        ((c.evidence, f"{t.name}.{c.name}: {c.type}") for t, c in columns),
    )


def health(project: Project) -> PracticeAssessment:
    practice = Practice.HEALTH_ENDPOINTS
    model = project.model
    served = [e for e in model.entry_points if e.kind in {"web-app", "webhook"}]
    if not model.routes and not served:
        return assessment(
            practice,
            NOT_NEEDED,
            "the service serves no HTTP (it polls or consumes a queue): its process "
            "supervisor watches it, there is nothing for a probe to call",
        )
    found = sorted(
        (r for r in model.routes if r.path.rstrip("/").rsplit("/", 1)[-1].lower() in HEALTH_PATHS),
        key=lambda r: (r.path.count("/"), r.path),  # `/health` before `/admin/x/health`
    )
    if found:
        reason = "an HTTP endpoint answers health / readiness probes"
        return assessment(
            practice, PRESENT, reason, ((r.evidence, f"{r.method} {r.path}") for r in found)
        )
    return assessment(
        practice,
        MISSING,
        "the service serves HTTP but has no health / readiness endpoint for a load balancer "
        "or orchestrator to probe",
        ((e.evidence, f"{e.framework} {e.kind}") for e in served),
    )


def stamps_alembic(project: Project) -> bool:
    """True when the code runs `alembic.command.stamp`: a fresh database created from the
    models is then marked as migrated (Alembic's cookbook recipe)."""
    return any(fact.alembic_stamps for fact in project.facts)


_TOOLS = {
    "django": "Django migration(s)",
    "yoyo": "yoyo-migrations file(s)",
    "aerich": "aerich (Tortoise) migration file(s)",
    "piccolo": "piccolo migration(s)",
    "sql-runner": "runner(s) of versioned `.sql` files",
    "dbmate": "dbmate migration folder(s)",
    "goose": "goose migration folder(s)",
    "flyway": "flyway migration folder(s)",
}


def migration_runners(project: Project) -> dict[str, list[Evidence]]:
    """Migration systems other than Alembic, by tool, with where each is seen."""
    found: dict[str, list[Evidence]] = {}
    runners = [r for fact in project.facts for r in fact.migration_runners]
    for runner in (*runners, *project.tooling.sql_migrations):
        found.setdefault(runner.tool, []).append(runner.evidence)
    return found


def migration_systems(project: Project) -> str:
    """ "3 Alembic migration(s), 12 Django migration(s)", "" when there is none."""
    runners = migration_runners(project)
    alembic = len(project.model.schema.migrations)
    parts = [f"{alembic} Alembic migration(s)"] if alembic else []
    parts += [f"{len(found)} {_TOOLS[tool]}" for tool, found in sorted(runners.items())]
    return ", ".join(parts)


def migrations(project: Project) -> PracticeAssessment:
    practice = Practice.MIGRATIONS
    schema = project.model.schema
    creations = sorted(e for fact in project.facts for e in fact.schema_creations)
    shown = ((e, "metadata.create_all") for e in creations)
    systems = migration_systems(project)
    if systems and creations and not stamps_alembic(project):
        reason = f"{systems} exist, but `create_all()` also creates tables outside them"
        return assessment(practice, MISSING, reason, shown)
    if systems:
        evidence = [(Evidence(m.path), f"revision {m.revision}") for m in schema.migrations[:1]]
        evidence += [
            (found[0], f"{tool} migrations")
            for tool, found in sorted(migration_runners(project).items())
        ]
        return assessment(practice, PRESENT, f"{systems} evolve the schema", evidence)
    if creations:
        reason = (
            "the schema is created by `create_all()` with no migrations: a changed model "
            "never reaches an existing database"
        )
        return assessment(practice, MISSING, reason, shown)
    if not schema.tables:
        return assessment(practice, NOT_NEEDED, "no database schema is defined in the code")
    reason = (
        "tables are defined, but neither migrations nor `create_all()` are in the reviewed code"
    )
    return assessment(practice, NOT_ASSESSED, reason)
