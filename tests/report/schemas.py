"""Where the JSON Schemas the report tests validate against live."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

# The repository's parent holds `shared/` (on developer machines and in CI).
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)


def report_schema() -> dict[str, Any]:
    """The JSON report's schema, read as the installed package ships it."""
    text = resources.files("prodready.report").joinpath("schema/report.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema
