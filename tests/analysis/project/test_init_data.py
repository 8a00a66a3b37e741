from __future__ import annotations

from pathlib import Path

from prodready.analysis.project.init_data import (
    candidate_functions,
    reads_init_data,
    unvalidated_reads,
    validates_init_data,
)
from tests.analysis.project.payment_helpers import code_of


def test_reads_and_validation() -> None:
    code = code_of(
        {
            "api": """
            import hashlib
            import hmac
            from aiogram.utils.web_app import parse_webapp_init_data
            from fastapi import Depends, Header

            def by_hand(raw, token):
                secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
                return hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest()

            async def header(x: str = Header(alias="X-Telegram-Init-Data")):
                ...

            async def parsed(raw):
                return parse_webapp_init_data(raw)

            async def depends(init_data=Depends(by_hand)):
                ...

            async def scheme(authorization):
                if authorization.startswith("tma "):
                    ...
            """
        }
    )
    bodies = {
        name: code.body(f"api.{name}")
        for name in ("by_hand", "header", "parsed", "depends", "scheme")
    }
    labels = {
        name: read.label if body and (read := reads_init_data(body)) else None
        for name, body in bodies.items()
    }
    assert labels == {
        "by_hand": None,
        "header": '"X-Telegram-Init-Data"',
        "parsed": "`parse_webapp_init_data()`, which checks nothing",
        "depends": None,
        "scheme": "the `tma` authorization scheme",
    }
    by_hand, parsed = bodies["by_hand"], bodies["parsed"]
    assert by_hand is not None and validates_init_data(by_hand)
    assert parsed is not None and not validates_init_data(parsed)


def test_a_read_is_safe_when_every_entry_validates() -> None:
    code = code_of(
        {
            "auth": """
            from aiogram.utils.web_app import safe_parse_webapp_init_data

            def user_of(init_data):
                return safe_parse_webapp_init_data("t", init_data).user
            """,
            "routes": """
            from auth import user_of

            async def good(body):
                return user_of(body.init_data)

            async def bad(body):
                return body.init_data.split("&")
            """,
        }
    )
    found = unvalidated_reads(code, ["auth.user_of", "routes.good", "routes.bad"])
    assert [read.body.name for read in found] == ["routes.bad"]


def test_candidates_come_from_files_that_mention_init_data(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def f(init_data):\n    ...\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def g(x):\n    ...\n", encoding="utf-8")
    code = code_of({"a": "def f(init_data):\n    ...\n", "b": "def g(x):\n    ...\n"})
    assert candidate_functions(code.project, str(tmp_path)) == ["a.f"]
