from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "stars-subscription-bot"


def _inspect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prodready", "inspect", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_inspect_json_shows_stack_layers_and_graph_sizes() -> None:
    done = _inspect(str(EXAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    labels = {c["key"]: c["label"] for c in data["stack"]}
    assert labels["aiogram"] == "aiogram 3"
    assert labels["sqlalchemy"] == "SQLAlchemy 2 (async, 2.0 style)"
    assert "app.services.subscriptions" in data["layers"]["application"]
    assert "app.db.repositories.payments" in data["layers"]["infrastructure"]
    assert data["graph"]["functions"] > 0 and data["graph"]["call_edges"] > 0


def test_inspect_text_and_missing_path() -> None:
    done = _inspect(str(EXAMPLE))
    assert done.returncode == 0
    assert "Stack:" in done.stdout and "aiogram 3, declared 3.15" in done.stdout
    missing = _inspect(str(EXAMPLE / "nope"))
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr and "does not exist" in missing.stderr
