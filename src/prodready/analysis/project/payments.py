"""Telegram payments in a project: which handlers deliver paid goods, whether the project
takes payments or Stars at all, and whether a payment's handler deduplicates it.

Telegram may deliver the same `successful_payment` more than once (webhook retries, updates
fetched again after a crash: DOMAIN.md §1). A handler is safe when the charge id is written
to a unique column, inserted with ON CONFLICT / guarded by an IntegrityError handler or a
Redis `SET NX`, or looked up under a lock or on a unique column; or when the order named by
the invoice payload is looked up and its status checked.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.build import Project
from prodready.analysis.project.model import Evidence, Handler, Schema, Table
from prodready.analysis.project.value_flow import CHARGE, PAYLOAD, Use, follow
from prodready.analysis.project.writes import first_write
from prodready.analysis.source import ParsedFile
from prodready.analysis.walk import iter_body

_MESSAGE_UPDATES = frozenset({"message", "edited_message", "business_message", "update"})
INVOICE_CALLS = frozenset(
    {"send_invoice", "create_invoice_link", "answer_invoice", "reply_invoice"}
)
_DEDUP_KINDS = frozenset({"upsert", "nx", "duplicate-guard", "key"})
_STORE_WORDS = ("charge", "payment", "transaction", "external", "_id", "payload")


_PAYMENT_FIELDS = frozenset(
    {"invoice_payload", "total_amount", "telegram_payment_charge_id", "provider_payment_charge_id"}
)


def _processes_successful_payment(code: Code, function: str) -> bool:
    """The body reads `.successful_payment` and its fields, or hands it to a call (not only
    `if message.successful_payment: return`)."""
    body = code.body(function)
    if body is None:
        return False
    nodes = list(iter_body(body.node))
    if not any(isinstance(n, ast.Attribute) and n.attr == "successful_payment" for n in nodes):
        return False
    if any(isinstance(n, ast.Attribute) and n.attr in _PAYMENT_FIELDS for n in nodes):
        return True
    return any(
        isinstance(n, ast.Call)
        and any(
            isinstance(a, ast.Attribute) and a.attr == "successful_payment"
            for a in (*n.args, *(k.value for k in n.keywords))
        )
        for n in nodes
    )


# Filters that only let other content through (a command, text, media): such a handler never
# sees a payment message.
_OTHER_CONTENT = re.compile(
    r"Command|F\.(text|photo|document|voice|video|sticker|contact|location|data|caption)\b|"
    r"filters\.(TEXT|COMMAND|PHOTO|Document|VOICE|VIDEO|Sticker|CONTACT|LOCATION)|"
    r"content_types=(?!.*ANY)"
)


def is_payment_handler(code: Code, handler: Handler) -> bool:
    """A message handler that receives `successful_payment`: by its filter (the adapters leave
    negated filters such as `F.successful_payment.is_(None)` out of `kinds`), or a catch-all
    whose body processes it (aiogram 2 handlers without `content_types` get text only)."""
    if handler.update not in _MESSAGE_UPDATES:
        return False
    if "successful_payment" in handler.kinds:
        return True
    if any(_OTHER_CONTENT.search(text) for text in handler.filters):
        return False
    if handler.framework == "aiogram2" and not any("content_types" in f for f in handler.filters):
        return False
    return _processes_successful_payment(code, handler.function)


def payment_handlers(code: Code) -> list[Handler]:
    return [h for h in code.project.model.handlers if is_payment_handler(code, h)]


def invoice_sites(project: Project) -> list[Evidence]:
    """Where the project sends invoices or creates invoice links (functions calling them)."""
    found = [
        info.evidence
        for info in project.calls.functions.values()
        if any(call.rsplit(".", 1)[-1] in INVOICE_CALLS for call in info.calls)
    ]
    return sorted(found)


def _unique(schema: Schema, use: Use) -> bool | None:
    """Whether the column a use names is unique: True / False, None when the schema does not
    show the column (no models, or a table or column it does not know)."""
    tables: list[Table] = []
    if use.model:
        table = schema.table_of_model(use.model) or schema.table(use.model)
        tables = [table] if table is not None else []
    if not tables and use.column:
        tables = [t for t, _ in schema.columns_named(use.column)]
    verdicts: list[bool] = []
    for table in tables:
        columns = [use.column] if use.column else _id_columns(table)
        for column in columns:
            if table.column(column) is None:
                continue
            verdicts.append(
                table.is_unique(column) or any(column in c for c in table.unique_constraints)
            )
    return any(verdicts) if verdicts else None


def _id_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if "charge" in c.name or "payment_id" in c.name]


@dataclass(frozen=True, slots=True)
class Dedup:
    """kind: "safe"; "check" (looked up with no lock and no unique constraint); "stored"
    (written, `unique` False when the schema shows no unique constraint, None when unknown);
    "unknown" (handed to code the call graph cannot follow); "none" (neither stored nor
    looked up). where: the use shown."""

    kind: str
    where: Use | None = None
    unique: bool | None = None


def charge_dedup(code: Code, function: str) -> Dedup:
    """How the handler `function` makes a second delivery of a payment a no-op."""
    schema = code.project.model.schema
    uses = follow(code, function, CHARGE)
    for use in uses:
        unique = _unique(schema, use)
        if use.kind in _DEDUP_KINDS or (use.kind in ("write", "lookup") and unique):
            return Dedup("safe", use, True)
        if use.kind == "lookup" and use.locked:
            return Dedup("safe", use, unique)
    for use in follow(code, function, PAYLOAD):
        if use.kind in _DEDUP_KINDS - {"duplicate-guard", "key"}:
            return Dedup("safe", use)
        if use.kind in ("lookup", "key") and use.status:
            return Dedup("safe", use)  # the order named by the payload, status checked
        if use.kind == "write" and use.column and _unique(schema, use):
            return Dedup("safe", use, True)
    escapes = [u for u in uses if u.kind == "escape"]
    lookups = [u for u in uses if u.kind == "lookup"]
    if lookups:
        return Dedup("check", lookups[0], _unique(schema, lookups[0]))
    stored = [u for u in uses if u.kind == "write" and _stored(schema, u)]
    if stored:
        return Dedup("stored", stored[0], _unique(schema, stored[0]))
    return Dedup("unknown", escapes[0]) if escapes else Dedup("none")


def _stored(schema: Schema, use: Use) -> bool:
    """A write that reads as storing the id in a table (not a keyboard or a message)."""
    if use.model and (schema.table_of_model(use.model) or schema.table(use.model)):
        return True
    return any(word in use.column.lower() for word in _STORE_WORDS)


def _mentions_stars(parsed: ParsedFile) -> bool:
    return any(
        (isinstance(n, ast.Constant) and n.value == "XTR")
        or (isinstance(n, ast.Attribute) and n.attr == "XTR")
        for n in ast.walk(parsed.tree)
    )


def stars_evidence(code: Code) -> bool:
    """True when the code that sells writes the Stars currency "XTR": the files that send
    invoices or handle payments, and the project modules they import (settings, constants)."""
    project = code.project
    paths = {e.path for e in invoice_sites(project)}
    paths |= {h.evidence.path for h in project.model.handlers if h.update == "pre_checkout_query"}
    paths |= {h.evidence.path for h in payment_handlers(code)}
    modules = {f.module for f in project.facts if f.path in paths}
    imported = {m for module in modules for m in project.imports.get(module, ())}
    paths |= {f.path for f in project.facts if f.module in imported}
    return any(
        parsed is not None and _mentions_stars(parsed)
        for parsed in (code.files.get(path) for path in sorted(paths))
    )


def handles_refunds(code: Code) -> bool:
    """A `refunded_payment` handler, or a message handler whose body reads `.refunded_payment`."""
    for handler in code.project.model.handlers:
        if "refunded_payment" in handler.kinds:
            return True
        if handler.update in _MESSAGE_UPDATES:
            body = code.body(handler.function)
            if body is not None and any(
                isinstance(n, ast.Attribute) and n.attr == "refunded_payment"
                for n in iter_body(body.node)
            ):
                return True
    return False


REFUND_CALLS = frozenset({"refund_star_payment", "RefundStarPayment", "refundStarPayment"})


def refund_calls(project: Project) -> list[str]:
    """Project functions that refund Stars: `bot.refund_star_payment(...)`, aiogram's method
    object `bot(RefundStarPayment(...))`."""
    return sorted(
        name
        for name, info in project.calls.functions.items()
        if any(call.rsplit(".", 1)[-1] in REFUND_CALLS for call in info.calls)
    )


def granted_charge_columns(code: Code) -> dict[tuple[str, str], Handler]:
    """(table, column) -> the successful_payment handler that stores the charge id in that
    non-unique column and grants (the defect RACE001 reports at the handler)."""
    schema = code.project.model.schema
    found: dict[tuple[str, str], Handler] = {}
    for handler in payment_handlers(code):
        dedup = charge_dedup(code, handler.function)
        use = dedup.where
        if dedup.kind != "stored" or dedup.unique is not False or use is None:
            continue
        table = schema.table_of_model(use.model) or schema.table(use.model) if use.model else None
        tables = [table] if table is not None else [t for t, _ in schema.columns_named(use.column)]
        if first_write(code, handler.function) is None:
            continue
        for each in tables:
            found.setdefault((each.name, use.column), handler)
    return found
