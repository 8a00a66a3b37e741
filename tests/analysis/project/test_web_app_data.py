"""Identity and money keys read from a parsed `web_app_data.data`."""

from __future__ import annotations

import ast
import textwrap

from prodready.analysis.project.web_app_data import trusted_reads


def _reads(source: str) -> list[tuple[str, str]]:
    function = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    return [(r.key, r.kind) for r in trusted_reads(function)]


def test_keys_of_the_parsed_payload_are_reads() -> None:
    assert _reads(
        """
        async def h(message):
            data = json.loads(message.web_app_data.data)
            await credit(data["user_id"], data.get("Price"), data["plan"])
            await pay(json.loads(message.web_app_data.data)["amount"])
        """
    ) == [("user_id", "identity"), ("price", "money"), ("amount", "money")]


def test_logged_keys_and_other_payloads_are_not_reads() -> None:
    assert (
        _reads(
            """
        async def h(message, other):
            data = json.loads(message.web_app_data.data)
            logger.info("user %s", data["user_id"])
            text = f"{data['price']}"
            extra = json.loads(other)
            await credit(extra["user_id"], 1)
        """
        )
        == []
    )
