"""The JSON report: valid against its shipped schema, complete, same fingerprints as SARIF."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from prodready.domain.fingerprint import FINGERPRINT_KEY
from prodready.domain.taxonomy import Dimension
from prodready.report.json_report import SCHEMA_VERSION, render_json
from prodready.report.options import RenderOptions
from prodready.report.sarif import render_sarif
from tests.report.sample import EMPTY, FULL, SAMPLES
from tests.report.schemas import report_schema


def _report(result: Any = FULL) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_json(result, RenderOptions()))
    return document


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_valid_against_its_schema(sample: str) -> None:
    validator = jsonschema.Draft202012Validator(
        report_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(_report(SAMPLES[sample]))


def test_the_schema_rejects_a_drifted_report() -> None:
    report = _report()
    report["issues"][0]["findings"][0]["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(report_schema()).validate(report)


def test_header_scope_and_verdict() -> None:
    report = _report()
    assert next(iter(report)) == "schema_version"
    assert report["schema_version"] == SCHEMA_VERSION == "1.0"
    assert report["tool"]["name"] == "prodready"
    assert report["scope"]["root"] == "/srv/stars-bot"
    assert report["scope"]["stack"][0] == {
        "name": "aiogram",
        "version": "3.15",
        "evidence": "pyproject.toml",
    }
    assert report["verdict"]["level"] == "not-ready"
    assert report["verdict"]["label"] == "Not production-ready"
    assert len(report["verdict"]["top_fixes"]) == 3
    assert _report(EMPTY)["verdict"]["level"] == "ready"


def test_issues_keep_their_order_texts_and_findings() -> None:
    issues = _report()["issues"]
    assert [i["rule_id"] for i in issues] == ["RACE001", "SEC001", "RES001"]
    race = issues[0]
    assert race["dimension"] == "state"
    assert (race["severity"], race["confidence"], race["priority"]) == ("blocker", "medium", 170.0)
    assert set(race["texts"]) == {"what", "why", "fix", "migration"}
    assert race["practices"] == ["idempotency-keys"]
    finding = race["findings"][0]
    assert finding["path"] == "app/bot/handlers/payments.py"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        42,
        5,
        42,
        31,
    )
    assert "<script>" in finding["snippet"]
    assert len(issues[2]["findings"]) == 23


def test_counts_per_dimension_and_severity() -> None:
    counts = _report()["counts"]
    assert (counts["issues"], counts["findings"]) == (3, 26)
    assert (counts["suppressed"], counts["baselined"]) == (3, 1)
    assert counts["by_severity"]["major"] == {"issues": 1, "findings": 23}
    by_dimension = counts["by_dimension"]
    assert [d["dimension"] for d in by_dimension] == [d.slug for d in Dimension]
    assert by_dimension[5]["by_severity"]["blocker"] == {"issues": 1, "findings": 2}


def test_checklist_and_notes() -> None:
    report = _report()
    statuses = [(c["practice"], c["status"]) for c in report["checklist"]]
    assert statuses == [
        ("idempotency-keys", "missing"),
        ("graceful-shutdown", "present"),
        ("outbox", "not-needed"),
        ("circuit-breakers", "not-assessed"),
    ]
    assert [n["kind"] for n in report["notes"]] == ["tool", "skipped", "unparsable"]


def test_fingerprints_equal_sarif_partial_fingerprints() -> None:
    sarif = json.loads(render_sarif(FULL, RenderOptions()))
    from_sarif = [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif["runs"][0]["results"]]
    from_json = [f["fingerprint"] for i in _report()["issues"] for f in i["findings"]]
    assert from_json == from_sarif
