"""The order in which a function reaches a commit and an external write."""

from __future__ import annotations

import ast

from prodready.analysis.project.order import effect_order
from tests.analysis.project.helpers import parse_file

_SOURCE = """
import httpx

from app.repo import save_order
from app.panel import create_user


async def commit_then_call(session, user):
    await save_order(session, user)
    await create_user(user)


async def call_then_commit(session, user):
    await create_user(user)
    await session.commit()


async def two_posts(session, client, panel):
    await panel.post("/a")
    await session.commit()
    await client.post("/b")


async def one_provider_each(session, user, provider):
    if provider == "panel":
        await create_user(user)
    elif provider == "local":
        await save_order(session, user)


async def one_provider_each_returning(session, user, provider):
    if provider == "panel":
        await create_user(user)
        return
    if provider == "local":
        await save_order(session, user)


async def both_after_a_branch(session, user, provider):
    if provider == "panel":
        await create_user(user)
    await save_order(session, user)


async def by_reference(session, run):
    await run(create_user)
    await session.commit()
"""
_COMMIT_VIA = (("app.flow.commit_then_call", "app.repo.save_order"), "*.commit")
_WRITE_VIA = (("app.flow.f", "app.panel.create_user"), "httpx.AsyncClient.post")
_COMMIT = (("app.flow.f",), "*.commit")
_POST = (("app.flow.f", "app.flow.Api.post"), "*.post")


def _order(name: str, commit: tuple, write: tuple) -> tuple[str, str]:  # type: ignore[type-arg]
    parsed = parse_file(_SOURCE, "app.flow")
    node = next(
        n for n in parsed.tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == name
    )
    order = effect_order(node, commit, write, parsed.semantic.qualified_name)
    return order.first, order.how


def test_order_read_from_the_statements_through_callees() -> None:
    assert _order("commit_then_call", _COMMIT_VIA, _WRITE_VIA) == ("commit", "statement")
    assert _order("call_then_commit", _COMMIT, _WRITE_VIA) == ("write", "statement")


def test_calls_of_one_name_on_different_callees_are_a_guess() -> None:
    assert _order("two_posts", _COMMIT, _POST) == ("write", "name")


def test_a_call_not_found_leaves_the_order_unknown() -> None:
    assert _order("by_reference", _COMMIT, _WRITE_VIA) == ("", "unknown")


def test_calls_in_different_branches_are_exclusive() -> None:
    commit = (("app.flow.f", "app.repo.save_order"), "*.commit")
    assert _order("one_provider_each", commit, _WRITE_VIA) == ("", "exclusive")
    assert _order("one_provider_each_returning", commit, _WRITE_VIA) == ("", "exclusive")
    assert _order("both_after_a_branch", commit, _WRITE_VIA) == ("write", "statement")
