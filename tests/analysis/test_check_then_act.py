"""Membership checks and the write they guard, across an await."""

from __future__ import annotations

import ast
import textwrap

import pytest

from prodready.analysis.check_then_act import (
    consume_after_await,
    guards_by_leaving,
    membership_check,
    write_after_await,
)


@pytest.mark.parametrize(
    ("test", "found"),
    [
        ("key not in cache", ("cache", "key")),
        ("not self.data.get(uid)", ("self.data", "uid")),
        ("PENDING.get(uid) is None", ("PENDING", "uid")),
        ("key in cache", None),
        ("not ready", None),
    ],
)
def test_membership_check(test: str, found: tuple[str, str] | None) -> None:
    checked = membership_check(ast.parse(test, mode="eval").body)
    assert (tuple(map(ast.unparse, checked)) if checked else None) == found


def _write(code: str) -> tuple[int, str] | None:
    body = ast.parse(textwrap.dedent(code)).body
    key = ast.dump(ast.parse("k", mode="eval").body)
    found = write_after_await(body, "d", key)
    return (getattr(found[0], "lineno", 0), found[1]) if found else None


def test_a_write_after_an_acting_await() -> None:
    assert _write("x = await pay.create(k)\nd[k] = x\n") == (2, "pay.create")
    assert _write("d[k] = await panel.create_key(k)\n") == (1, "panel.create_key")
    assert _write("await vpn.grant(k)\nd.add(k)\n") == (2, "vpn.grant")


def test_no_write_after_an_await_that_only_reads_or_claims_first() -> None:
    assert _write("d[k] = await api.fetch_profile(k)\n") is None
    assert _write("d.add(k)\nawait vpn.grant(k)\n") is None
    assert _write("d[k] = compute(k)\n") is None


def _consume(code: str) -> tuple[int, str] | None:
    body = ast.parse(textwrap.dedent(code)).body
    key = ast.dump(ast.parse("k", mode="eval").body)
    found = consume_after_await(body, "d", key)
    return (getattr(found[0], "lineno", 0), found[1]) if found else None


def test_an_entry_used_up_after_an_acting_await() -> None:
    assert _consume("await pay.confirm(k)\ndel d[k]\n") == (2, "pay.confirm")
    assert _consume("await pay.capture(k)\nd.pop(k, None)\n") == (2, "pay.capture")
    assert _consume("d.pop(k)\nawait pay.confirm(k)\n") is None
    assert _consume("await repo.get_order(k)\ndel d[k]\n") is None
    assert _consume("await pay.confirm(k)\ndel other[k]\n") is None
    assert _consume("await callback.answer()\nawait app.stop()\ndel d[k]\n") is None
    assert _consume("await callback.answer()\nawait api.create_squad(k)\ndel d[k]\n") == (
        3,
        "api.create_squad",
    )


def test_a_guard_leaves_the_block() -> None:
    guard, branch = ast.parse("if k not in d:\n    return\nif k not in d:\n    x = 1\n").body
    assert isinstance(guard, ast.If) and isinstance(branch, ast.If)
    assert guards_by_leaving(guard) and not guards_by_leaving(branch)
