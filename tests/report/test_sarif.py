"""SARIF 2.1.0: valid against the OASIS schema, relative locations, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from prodready.domain.finding import Location
from prodready.domain.fingerprint import FINGERPRINT_KEY
from prodready.domain.result import ReviewScope
from prodready.report.options import RenderOptions
from prodready.report.sarif import render_sarif, root_uri
from tests.report.sample import EMPTY, FULL, SAMPLES, TIMEOUT_RULE
from tests.report.schemas import sarif_schema


def _sarif(result: Any = FULL) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_sarif(result, RenderOptions()))
    return document


def _run(result: Any = FULL) -> dict[str, Any]:
    run: dict[str, Any] = _sarif(result)["runs"][0]
    return run


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_valid_against_the_sarif_2_1_0_schema(sample: str) -> None:
    jsonschema.Draft4Validator(sarif_schema()).validate(_sarif(SAMPLES[sample]))


def test_one_run_of_prodready_with_the_rules_that_have_results() -> None:
    document = _sarif()
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "prodready"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["RACE001", "RES001", "SEC001"]
    assert _run(EMPTY)["tool"]["driver"]["rules"] == []
    assert _run(EMPTY)["results"] == []


def test_rules_carry_the_four_texts_and_github_properties() -> None:
    rules = {r["id"]: r for r in _run()["tool"]["driver"]["rules"]}
    res = rules["RES001"]
    assert res["name"] == TIMEOUT_RULE.name
    assert res["shortDescription"]["text"] == TIMEOUT_RULE.title
    assert res["fullDescription"]["text"] == TIMEOUT_RULE.what
    for label in ("What is wrong", "Why it is dangerous", "Concrete fix", "Migration"):
        assert label in res["help"]["text"]
        assert f"## {label}" in res["help"]["markdown"]
    assert "```python" in res["help"]["markdown"]
    assert res["defaultConfiguration"] == {"level": "warning"}
    assert res["properties"]["tags"] == ["resilience", "major"]
    assert res["properties"]["precision"] == "high"
    assert res["properties"]["problem.severity"] == "warning"
    assert "security-severity" not in res["properties"]
    assert rules["SEC001"]["properties"]["precision"] == "low"
    assert rules["SEC001"]["properties"]["security-severity"] == "8.0"
    assert rules["RACE001"]["properties"]["precision"] == "medium"


def test_levels_follow_the_judged_severity() -> None:
    levels = {r["ruleId"]: r["level"] for r in _run()["results"]}
    assert levels == {"RACE001": "error", "SEC001": "error", "RES001": "warning"}


def test_rule_index_points_at_the_rule() -> None:
    run = _run()
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == sum(len(i.findings) for i in FULL.issues)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_locations_are_relative_to_srcroot_with_one_based_columns() -> None:
    run = _run()
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/stars-bot/"}}
    first = next(r for r in run["results"] if r["ruleId"] == "RACE001")
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "app/bot/handlers/payments.py",
        "uriBaseId": "%SRCROOT%",
    }
    region = physical["region"]
    assert (region["startLine"], region["startColumn"]) == (42, 5)
    assert (region["endLine"], region["endColumn"]) == (42, 31)
    assert region["snippet"]["text"].startswith("user.balance += ")


def test_uris_are_percent_encoded() -> None:
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in _run()["results"]
    }
    assert "app/api/web%20hook.py" in uris
    assert "app/clients/ex%7Cchange.py" in uris


def test_a_region_without_an_end_has_only_its_start() -> None:
    sec = next(r for r in _run()["results"] if r["ruleId"] == "SEC001")
    region = sec["locations"][0]["physicalLocation"]["region"]
    assert "endLine" not in region
    assert "endColumn" not in region


def test_a_whole_file_finding_has_no_region() -> None:
    issue = FULL.issues[1]
    finding = replace(issue.findings[0], location=Location("app/main.py", 0))
    result = replace(FULL, issues=(replace(issue, findings=(finding,)),))
    document = _sarif(result)
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    physical = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "region" not in physical


def test_root_uri() -> None:
    assert root_uri("/srv/my bot") == "file:///srv/my%20bot/"
    assert root_uri("/") == "file:///"
    assert root_uri(".") is None
    relative = replace(FULL, scope=ReviewScope(root="services/api", files=1, lines=1))
    assert "originalUriBaseIds" not in _run(relative)


def test_partial_fingerprints_survive_a_moved_line() -> None:
    issue = FULL.issues[0]
    moved = tuple(
        replace(f, location=replace(f.location, line=f.location.line + 100)) for f in issue.findings
    )
    shifted = replace(FULL, issues=(replace(issue, findings=moved), *FULL.issues[1:]))
    before = [r["partialFingerprints"][FINGERPRINT_KEY] for r in _run()["results"]]
    after = [r["partialFingerprints"][FINGERPRINT_KEY] for r in _run(shifted)["results"]]
    assert before == after
    assert len(set(before)) == len(before)


def test_notes_become_tool_execution_notifications() -> None:
    invocation = _run()["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notifications = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notifications] == ["tool", "skipped", "unparsable"]
    assert [n["level"] for n in notifications] == ["warning", "note", "warning"]
    assert "locations" not in notifications[0]
    where = notifications[2]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert where == {"uri": "migrations/bad.py", "uriBaseId": "%SRCROOT%"}
    assert _run(EMPTY)["invocations"][0]["toolExecutionNotifications"] == []
