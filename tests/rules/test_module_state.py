"""ASY003's message: a registry the same handler also empties does not grow without bound."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from prodready.config.settings import Settings
from prodready.engine.run import run_review
from prodready.rules.matchers import removed_name
from prodready.rules.registry import discover

CODE = """
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()
sockets: list[WebSocket] = []
seen: set[int] = set()


@app.websocket("/live")
async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    sockets.append(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        sockets.remove(websocket)


@app.get("/mark/{item}")
async def mark(item: int) -> None:
    seen.add(item)
"""


def test_growth_is_said_only_of_state_nothing_in_the_handler_removes(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(CODE, encoding="utf-8")
    raw = run_review([tmp_path], Settings(select=("ASY003",), ruff=False), discover())
    messages = {f.location.line: f.message for f in raw.findings if f.rule_id == "ASY003"}
    assert "grows without bound" not in messages[12]
    assert "not shared between workers" in messages[12]
    assert "grows without bound" in messages[22]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("del d[k]", "d"),
        ("xs.remove(x)", "xs"),
        ("s.discard(x)", "s"),
        ("q.popleft()", "q"),
        ("xs.append(x)", None),
        ("d[k] = v", None),
        ("other(xs)", None),
    ],
)
def test_removed_name(code: str, name: str | None) -> None:
    statement = ast.parse(code).body[0]
    node = statement.value if isinstance(statement, ast.Expr) else statement
    assert removed_name(node) == name
