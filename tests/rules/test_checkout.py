from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.rules.checkout import blind_pre_checkout_answer


def _blind(source: str) -> int | None:
    function = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    found = blind_pre_checkout_answer(function)
    return found.lineno if found else None


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("async def f(q):\n    await q.answer(ok=True)", 2),
        ("async def f(q):\n    await q.answer(True)", 2),
        ("async def f(q, bot):\n    await bot.answer_pre_checkout_query(q.id, ok=True)", 2),
        ("async def f(q):\n    log.info('%s', q.from_user.id)\n    await q.answer(ok=True)", 3),
        (
            "async def f(update, ctx):\n"
            "    q = update.pre_checkout_query\n    await q.answer(ok=True)",
            3,
        ),
        ("async def f(q):\n    await q.answer(ok=True)\n    save(q.invoice_payload)", 2),
    ],
)
def test_blind(source: str, line: int) -> None:
    assert _blind(source) == line


@pytest.mark.parametrize(
    "source",
    [
        "async def f(q):\n"
        "    if q.invoice_payload != 'x':\n        return\n    await q.answer(ok=True)",
        "async def f(q):\n    await check(q)\n    await q.answer(ok=True)",
        "async def f(q):\n    await q.answer(ok=False, error_message='no')",
        "async def f(q):\n    await q.answer(ok=valid(q))",
        "async def f(q):\n    pass",
    ],
)
def test_not_blind(source: str) -> None:
    assert _blind(source) is None
