"""The one walk: rules get the node types they subscribe to; a rule that raises is a note."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import SourceText
from prodready.domain.finding import Finding, NoteKind
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.engine.dispatch import DispatchTable, dispatch
from prodready.engine.source import split_lines
from prodready.rules.api import FileContext, FileRule


def _meta(rule_id: str) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=f"fake-{rule_id.lower()}",
        title="fake",
        dimension=Dimension.QUALITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what="w",
        why="w",
        fix="f",
        migration="m",
    )


def _every_call(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    yield ctx.finding(node, "a call")


def _raises_on_second_call(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    if node.lineno == 2:
        raise KeyError("boom")
    yield ctx.finding(node, "first")


def _recurses(node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
    raise RecursionError("maximum recursion depth exceeded")
    yield ctx.finding(node, "never")


def _returns_none(node: ast.Call, ctx: FileContext) -> None:
    return None


def _run(text: str, *rules: FileRule) -> tuple[list[Finding], list[tuple[str, NoteKind, str]]]:
    tree = ast.parse(text)
    source = SourceText(path="m.py", module="m", is_package=False, lines=split_lines(text))
    semantic = SemanticModel.build(tree, "m", False)
    findings, notes = dispatch(tree, source, semantic, DispatchTable.of(rules))
    return findings, [(n.path, n.kind, n.message) for n in notes]


CODE = "f()\ng()\nh()\n"


def test_each_rule_gets_every_node_of_its_types() -> None:
    findings, notes = _run(CODE, FileRule(_meta("QUAL001"), (ast.Call,), _every_call))
    assert [f.location.line for f in findings] == [1, 2, 3]
    assert [f.snippet for f in findings] == ["f()", "g()", "h()"]
    assert notes == []


def test_a_rule_that_raises_is_a_note_and_the_other_rules_still_run() -> None:
    broken = FileRule(_meta("QUAL002"), (ast.Call,), _raises_on_second_call)
    healthy = FileRule(_meta("QUAL001"), (ast.Call,), _every_call)
    findings, notes = _run(CODE, broken, healthy)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("QUAL002", 1),
        ("QUAL001", 1),
        ("QUAL001", 2),
        ("QUAL001", 3),
    ]
    [(path, kind, message)] = notes
    assert (path, kind) == ("m.py", NoteKind.RULE_ERROR)
    assert "QUAL002" in message and "line 2" in message and "boom" in message


def test_a_rule_that_recurses_too_deep_is_a_note() -> None:
    recursing = FileRule(_meta("QUAL003"), (ast.Call,), _recurses)
    healthy = FileRule(_meta("QUAL001"), (ast.Call,), _every_call)
    findings, notes = _run(CODE, recursing, healthy)
    assert len(findings) == 3
    [(_, kind, message)] = notes
    assert kind is NoteKind.TOO_DEEP and "QUAL003" in message and "line 1" in message


def test_a_rule_that_returns_nothing_iterable_is_a_note() -> None:
    findings, notes = _run(CODE, FileRule(_meta("QUAL004"), (ast.Call,), _returns_none))
    assert findings == []
    assert [kind for _, kind, _ in notes] == [NoteKind.RULE_ERROR]


def test_a_rule_sees_only_the_node_types_it_subscribed_to() -> None:
    seen: list[str] = []

    def record(node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        seen.append(type(node).__name__)
        return iter(())

    _run("import a\nx = a.b(1)\n", FileRule(_meta("QUAL005"), (ast.Import, ast.Constant), record))
    assert seen == ["Import", "Constant"]


def test_the_walk_survives_nesting_near_the_parser_limit() -> None:
    text = "x = " + "[" * 199 + "f()" + "]" * 199 + "\n"
    findings, notes = _run(text, FileRule(_meta("QUAL001"), (ast.Call,), _every_call))
    assert len(findings) == 1 and notes == []
