"""Loop independence, route payloads and in-process caches (the performance and quality
rules' shared facts)."""

from __future__ import annotations

import ast
import textwrap

from prodready.analysis.caches import fixed_expression, growing_caches, memoized, names_in
from prodready.analysis.iterations import carried_names, independent_iterations
from prodready.analysis.names import ImportTable
from prodready.analysis.payloads import body_params, untyped_payload


def _function(text: str) -> ast.AsyncFunctionDef:
    node = ast.parse(textwrap.dedent(text)).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def _loop_and_call(text: str) -> tuple[ast.For, ast.Call]:
    function = _function(text)
    loop = next(n for n in ast.walk(function) if isinstance(n, ast.For))
    call = next(n for n in ast.walk(loop) if isinstance(n, ast.Await)).value
    assert isinstance(call, ast.Call)
    return loop, call


def test_independent_and_dependent_loops() -> None:
    independent = """
    async def f(client, urls):
        done = 0
        for url in urls:
            response = await client.get(url)
            done += 1
    """
    assert independent_iterations(*_loop_and_call(independent))
    head = "async def f(self, c, bot, a, b, x, xs):\n"
    dependent = {
        "carried": head + "    cursor = ''\n    for x in xs:\n"
        "        r = await c.get(cursor)\n        cursor = r.next\n",
        "stops": head + "    for x in xs:\n        if await c.get(x):\n            break\n",
        "paced": head + "    for x in xs:\n        await c.get(x)\n"
        "        await asyncio.sleep(1)\n",
        "retries": head + "    for attempt in range(3):\n        await c.get(x)\n",
        "alternatives": head + "    for url in (a, b):\n        await c.get(url)\n",
        "telegram": head + "    for x in xs:\n        await c.get(x)\n"
        "        await bot.send_message(x, 'hi')\n",
        "self state": head + "    for x in xs:\n        await self.get(x)\n"
        "        self.parts.append(x)\n",
    }
    for name, text in dependent.items():
        loop, call = _loop_and_call(text)
        assert not independent_iterations(loop, call, {"send_message"}), name
    loop, _ = _loop_and_call(dependent["carried"])
    assert carried_names(loop) == {"cursor"}


def test_route_payloads() -> None:
    route = _function(
        """
        async def update(order_id: int, payload: dict = Body(), user: Any = Depends(me),
                         page: int = 1, request: Request = None):
            return payload["amount"]
        """
    )
    assert [a.arg for a in body_params(route, "/orders/{order_id}")] == ["payload"]
    assert untyped_payload(route, "fastapi", "/orders/{order_id}") == "parameter `payload: dict`"
    webhook = _function(
        """
        async def hook(request):
            data = await request.json()
            return data.get("status")
        """
    )
    assert untyped_payload(webhook, "aiohttp", "/hook") == (
        "`data = await request.json()` read field by field"
    )
    handed_on = _function("async def scn(game_id: int, scn: dict):\n    await load(scn)\n")
    assert untyped_payload(handed_on, "fastapi", "/games/{game_id}") is None


def test_growing_caches_and_memoized_functions() -> None:
    tree = ast.parse(
        textwrap.dedent(
            """
            _user_cache = {}
            _lang_cache = {}
            _seen = set()
            _async_cache = {}


            def remember(user_id, value):
                _user_cache[user_id] = value
                _lang_cache[value] = 1
                _seen.add(user_id)
                if len(_seen) > 100:
                    _seen.clear()


            async def keep(user_id):
                _async_cache[user_id] = 1
            """
        )
    )
    table = ImportTable()
    found = [
        (c.name, c.kind, ast.unparse(c.key)) for c in growing_caches(tree, table.qualified_name)
    ]
    assert found == [("_user_cache", "dict", "user_id"), ("_async_cache", "dict", "user_id")]
    cached = _function("@alru_cache(ttl=60)\nasync def rates():\n    pass\n")
    assert memoized(cached, frozenset())
    plain = _function("async def rates(client):\n    return await client.get(URL)\n")
    assert memoized(
        plain, names_in(ast.parse("class R:\n    def f(self):\n        self._expires_at = 1\n"))
    )
    assert not memoized(plain, frozenset({"client", "URL"}))
    per_user = _function(
        "async def f(client, user_id):\n    url = f'{BASE}/{user_id}'\n    return url\n"
    )
    assert fixed_expression(ast.parse("f'{BASE}/rates'", mode="eval").body, per_user)
    assert not fixed_expression(ast.parse("f'{BASE}/{user_id}'", mode="eval").body, per_user)
