from __future__ import annotations

import ast

from prodready.rules.callback_parsing import (
    anchored_filter,
    callback_parses,
    filter_prefixes,
    json_indexes,
)


def _function(text: str) -> ast.AsyncFunctionDef:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _errors(body: str, prefixes: tuple[str, ...] = ()) -> list[str]:
    function = _function("async def h(callback, session):\n" + body)
    return [p.error for p in callback_parses(function, list(prefixes))]


def test_filters() -> None:
    assert filter_prefixes(("F.data.startswith('buy:')", "pattern='^pay_(\\\\d+)$'")) == [
        "buy:",
        "pay_",
    ]
    assert anchored_filter(("pattern='^pay_(\\\\d+)$'",))
    assert not anchored_filter(("F.data.startswith('pay_')",))


def test_hand_parsing_that_breaks() -> None:
    assert _errors("    x = callback.data.split(':')[2]\n", ("item:",)) == ["IndexError"]
    assert _errors("    a, b = callback.data.split(':')\n") == ["ValueError"]
    assert _errors("    n = int(callback.data.split('_')[-1])\n") == ["ValueError"]
    assert _errors("    parts = payload.data.split(':')\n    x = parts[1]\n") == []
    assert _errors("    parts = callback.data.split(':')\n    x = parts[3]\n") == ["IndexError"]


def test_guards_that_make_it_safe() -> None:
    assert _errors("    x = callback.data.split(':')[1]\n", ("item:",)) == []
    assert _errors("    if ':' in callback.data:\n        x = callback.data.split(':')[1]\n") == []
    assert (
        _errors(
            "    parts = callback.data.split(':')\n    if len(parts) < 3:\n        return\n"
            "    _, a, b = parts\n"
        )
        == []
    )
    assert (
        _errors(
            "    try:\n        n = int(callback.data.split(':')[1])\n"
            "    except (IndexError, ValueError):\n        return\n"
        )
        == []
    )
    assert (
        _errors(
            "    v = callback.data.split(':')[1]\n    if v.isdigit():\n        int(v)\n", ("a:",)
        )
        == []
    )


def test_owned_rows_and_webhook_bodies() -> None:
    function = _function(
        "async def h(callback, session):\n"
        "    order_id = int(callback.data.split('_')[1])\n"
        "    order = await session.get(Order, order_id)\n"
    )
    (parse,) = [p for p in callback_parses(function, ["o_"]) if p.error == "ValueError"]
    assert parse.owned == "Order"
    checked = _function(
        "async def h(callback, session):\n"
        "    order_id = int(callback.data.split('_')[1])\n"
        "    order = await session.get(Order, order_id)\n"
        "    if order.user_id != callback.from_user.id:\n        return\n"
    )
    assert all(not p.owned for p in callback_parses(checked, ["o_"]))
    route = _function("async def r(request):\n    data = await request.json()\n    x = data['a']\n")
    assert [p.error for p in json_indexes(route)] == ["KeyError"]
    validated = _function(
        "async def r(request):\n    data = await request.json()\n"
        "    event = Event.model_validate(data)\n    x = data['a']\n"
    )
    assert list(json_indexes(validated)) == []
