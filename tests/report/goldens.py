"""Golden-file comparison; `PRODREADY_UPDATE_GOLDEN=1 pytest tests/report` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_VARIABLE = "PRODREADY_UPDATE_GOLDEN"


def assert_golden(name: str, text: str) -> None:
    """`text` equals golden/<name> byte for byte (or becomes it when updating)."""
    path = GOLDEN / name
    data = text.encode("utf-8")
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.is_file(), f"missing golden file {path}; run with {UPDATE_VARIABLE}=1"
    assert path.read_bytes() == data, (
        f"{name} differs from its golden file; if the change is intended, "
        f"rerun with {UPDATE_VARIABLE}=1 and review the diff"
    )
