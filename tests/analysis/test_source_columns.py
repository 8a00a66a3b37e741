from __future__ import annotations

import ast

from prodready.analysis.semantic import SemanticModel
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, SourceText

META = RuleMeta(
    "RES999",
    "test-rule",
    "Test",
    Dimension.RESILIENCE,
    Severity.INFO,
    Confidence.LOW,
    "w",
    "w",
    "w",
    "w",
)


def test_columns_count_code_points_not_utf8_bytes() -> None:
    text = 'msg = "привет"; session = ClientSession()\n'
    tree = ast.parse(text)
    call = tree.body[1].value  # type: ignore[attr-defined]
    assert call.col_offset == len('msg = "привет"; session = '.encode())
    source = SourceText("a.py", "a", False, tuple(text.splitlines()))
    ctx = FileContext(source, SemanticModel.build(tree, "a", False), META)
    location = ctx.finding(call, "m").location
    assert location.column == len('msg = "привет"; session = ')
    assert location.end_column == len('msg = "привет"; session = ClientSession()')


def test_ascii_lines_keep_their_offsets() -> None:
    source = SourceText("a.py", "a", False, ("x = f()",))
    assert source.column(1, 4) == 4
    assert source.column(2, 4) == 4  # unknown line: unchanged
    assert source.column(1, None) is None
