"""What an `except` clause does with its error: broad or narrow, dropped (silently, with a
fallback, by only answering the caller) or handled, and whether the `try` is best-effort."""

from __future__ import annotations

import ast

import pytest

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.walk import walk_with_ancestors
from prodready.rules.handling import (
    answers_caller,
    best_effort,
    catches,
    catches_broadly,
    caught_names,
    dropped,
    reraises,
    traceback_log,
)

_HEADER = (
    "import asyncio\n"
    "import logging\n"
    "from fastapi import HTTPException\n"
    "from fastapi.responses import JSONResponse\n"
    "from aiohttp import web\n"
    "log = logging.getLogger(__name__)\n"
)


def _handler(
    body: str, caught: str = "Exception", tried: str = "await work()"
) -> tuple[SemanticModel, ast.ExceptHandler, ast.Try, ast.AsyncFunctionDef]:
    indented = "\n".join(f"        {line}" for line in body.splitlines())
    code = (
        f"{_HEADER}async def handler(message):\n    try:\n        {tried}\n"
        f"    except {caught}:\n{indented}\n"
    ).replace("except :", "except:")
    tree = ast.parse(code)
    model = SemanticModel.build(tree, "app.handlers", False)
    for node in walk_with_ancestors(tree, model.ancestors):
        if isinstance(node, ast.ExceptHandler):
            model.current = node
            statement, function = model.ancestors[-1], model.ancestors[-2]
            assert isinstance(statement, ast.Try)
            assert isinstance(function, ast.AsyncFunctionDef)
            return model, node, statement, function
    raise AssertionError("no handler")


@pytest.mark.parametrize(
    ("caught", "broad"),
    [
        ("", True),
        ("Exception", True),
        ("BaseException", True),
        ("(ValueError, Exception)", True),
        ("Exception as error", True),
        ("ValueError", False),
        ("asyncio.CancelledError", False),
        ("(KeyError, IndexError)", False),
    ],
)
def test_catches_broadly(caught: str, broad: bool) -> None:
    model, handler, _, _ = _handler("pass", caught)
    assert catches_broadly(handler, model) is broad


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("pass", "silent"),
        ("...", "silent"),
        ("return", "silent"),
        ("return None", "silent"),
        ("return False", "fallback"),
        ("return 0", "fallback"),
        ("await message.answer('Something went wrong')", "answer"),
        ("await message.reply_text('Try again')\nreturn", "answer"),
        ("return JSONResponse({'ok': False}, status_code=500)", "answer"),
        ("return web.json_response({'ok': False}, status=500)", "answer"),
        ("raise HTTPException(status_code=500)", "answer"),
        ("raise web.HTTPInternalServerError()", "answer"),
        ("log.exception('failed')", None),
        ("log.exception('failed')\nreturn False", None),
        ("await message.answer('x')\nlog.error('failed', exc_info=True)", None),
        ("raise", None),
        ("raise RuntimeError('wrapped')", None),
        ("return []", None),
        ("await session.rollback()", None),
        ("failed = True", None),
    ],
)
def test_dropped(body: str, expected: str | None) -> None:
    model, handler, _, _ = _handler(body)
    assert dropped(handler, model) == expected


def test_answers_caller_needs_a_known_shape() -> None:
    model, handler, _, _ = _handler("await message.delete()")
    assert not answers_caller(handler.body[0], model)


@pytest.mark.parametrize(
    ("tried", "expected"),
    [
        ("await message.delete()", True),
        ("await bot.send_chat_action(1, 'typing')", True),
        ("await callback.message.edit_text('x')\nawait message.delete()", True),
        ("await session.close()", True),
        ("await orders.mark_paid(1)", False),
        ("await message.delete()\nawait orders.mark_paid(1)", False),
        ("x = await message.delete()", True),
        ("if await bot.send_chat_action(1, 'typing'):\n    count += 1", True),
        ("await callback.message.edit_text(render(menu))", False),
        ("await message.edit_text(_('thanks'), reply_markup=kb.as_markup())", True),
        ("await message.edit_text(await render('menu'))", False),
        ("count += 1", False),
    ],
)
def test_best_effort_blocks(tried: str, expected: bool) -> None:
    _, _, statement, function = _handler("pass", tried=tried.replace("\n", "\n        "))
    assert best_effort(statement, function) is expected


def test_best_effort_functions() -> None:
    _, _, statement, function = _handler("pass", tried="await orders.flush()")
    for name, expected in (("close", True), ("on_shutdown", True), ("__aexit__", True)):
        function.name = name
        assert best_effort(statement, function) is expected
    for name in ("close_menu", "stop_subscription", "handler"):
        function.name = name
        assert not best_effort(statement, function)


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        ("log.exception('failed')\nraise", True),
        ("log.error('failed', exc_info=True)\nraise", True),
        ("log.error('failed: %s', 1)\nraise", False),
        ("log.debug('failed', exc_info=True)\nraise", False),
    ],
)
def test_traceback_log(body: str, logged: bool) -> None:
    model, handler, _, _ = _handler(body)
    assert (traceback_log(handler, model) is not None) is logged


@pytest.mark.parametrize(
    ("body", "caught", "raised"),
    [
        ("raise", "Exception", True),
        ("raise error", "Exception as error", True),
        ("log.info('x')\nraise", "Exception", True),
        ("raise RuntimeError('x') from error", "Exception as error", False),
        ("raise other", "Exception as error", False),
        ("if retry:\n    raise", "Exception", False),
        ("return None", "Exception", False),
    ],
)
def test_reraises(body: str, caught: str, raised: bool) -> None:
    _, handler, _, _ = _handler(body, caught)
    assert (reraises(handler) is not None) is raised


@pytest.mark.parametrize(
    ("caught", "names", "expected"),
    [
        ("Exception", {"ValueError"}, True),
        ("ValueError", {"ValueError"}, True),
        ("aiohttp.ClientError", {"ClientError"}, True),
        ("(KeyError, ValueError)", {"ValueError"}, True),
        ("KeyError", {"ValueError"}, False),
    ],
)
def test_catches(caught: str, names: set[str], expected: bool) -> None:
    model, handler, _, _ = _handler("pass", caught)
    assert catches(handler, frozenset(names), model) is expected


def test_caught_names() -> None:
    _, bare, _, _ = _handler("pass", "")
    _, pair, _, _ = _handler("pass", "(aiohttp.ClientError, asyncio.TimeoutError)")
    assert caught_names(bare) == {"BaseException"}
    assert caught_names(pair) == {"ClientError", "TimeoutError"}
