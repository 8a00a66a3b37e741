"""The Markdown report follows the specification's structure and is safe on GitHub."""

from __future__ import annotations

import re
from dataclasses import replace

from prodready.domain.taxonomy import Dimension
from prodready.report.markdown import render_markdown
from prodready.report.mdtext import anchor, cell, code_span, escape_text, inline
from prodready.report.options import RenderOptions
from tests.report.sample import EMPTY, FULL


def _md(result: object = FULL) -> str:
    return render_markdown(result, RenderOptions())  # type: ignore[arg-type]


def _h2(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.MULTILINE)


def test_sections_in_the_specification_order() -> None:
    dimensions = [f"{d.number}. {d.title}" for d in Dimension]
    expected = ["What was reviewed", "Executive summary", *dimensions, "Final verdict"]
    assert _h2(_md()) == expected
    assert _h2(_md(EMPTY)) == expected


def test_the_verdict_comes_first_in_the_summary() -> None:
    text = _md()
    summary = text.split("## Executive summary\n\n", 1)[1]
    assert summary.startswith("**Verdict: Not production-ready**\n\n- 1 blocker issue(s)")
    assert summary.index("**Verdict") < summary.index("| Dimension |")


def test_empty_dimensions_say_so() -> None:
    text = _md(EMPTY)
    assert text.count("No findings.") == 9
    assert "No other findings." in text
    assert "No fix must come before launch." in text


def test_every_issue_has_its_four_parts_libraries_and_locations() -> None:
    text = _md()
    assert "### RES001 aiohttp client without an explicit timeout (major, high confidence)" in text
    issue = text.split("### RES001", 1)[1].split("\n## ", 1)[0]
    order = [
        "**What is wrong**",
        "**Why it is dangerous**",
        "**Concrete fix**",
        "```python",
        "**Migration / refactor guidance**",
        "**Recommended libraries:** [aiohttp](https://pypi.org/project/aiohttp/)",
        "**Locations**",
        "| `app/clients/ex\\|change.py:30` |",
    ]
    positions = [issue.index(part) for part in order]
    assert positions == sorted(positions)


def test_locations_are_capped_with_the_rest_counted() -> None:
    text = _md()
    assert text.count("| `app/clients/ex\\|change.py:") == 3
    assert text.count("| `app/services/rates.py:") == 17
    assert "… and 3 more location(s) in `app/services/rates.py` (3)." in text


def test_pipes_in_table_cells_are_escaped() -> None:
    text = _md()
    assert "| renewal path \\<b\\>also\\</b\\> skips the check \\| twice |" in text
    rows = [line for line in text.splitlines() if line.startswith("| `app/bot/")]
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 4


def test_code_from_the_reviewed_project_stays_code() -> None:
    text = _md()
    assert "`user.balance += payment.total_amount  # <script>alert('x')</script>`" in text
    assert "``await grant(user, `days`)``" in text


def test_checklist_sits_in_dimension_ten() -> None:
    text = _md()
    ten = text.split("## 10. Missing Production-Grade Practices", 1)[1]
    assert ten.index("### Production-grade practices checklist") < ten.index("## Final verdict")
    assert "- [ ] **Idempotency keys for critical flows**: missing — 2 finding(s)" in ten
    assert "- [x] **Graceful shutdown handling**: present" in ten
    assert "  - app/main.py:80" in ten


def test_final_verdict_lists_the_fixes_in_order() -> None:
    final = _md().split("## Final verdict\n\n", 1)[1]
    assert final.startswith("**Not production-ready**")
    assert re.findall(r"^(\d+)\. ", final, flags=re.MULTILINE) == ["1", "2", "3"]


def test_scope_and_notes() -> None:
    text = _md()
    assert "- **Root:** `/srv/stars-bot`" in text
    assert "- **Lines:** 1,305" in text
    assert "- **Detected stack:** aiogram (3.15, pyproject.toml)" in text
    assert "- `migrations/bad.py`: skipped: invalid syntax at line 3 (unparsable)" in text
    stackless = replace(FULL, scope=replace(FULL.scope, stack=()))
    assert "- **Detected stack:** none detected" in _md(stackless)


def test_markdown_helpers() -> None:
    assert code_span("a ` b") == "``a ` b``"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span("") == ""
    assert escape_text("snake_case *x* <b> [l](u) & &amp;") == (
        "snake_case \\*x\\* \\<b\\> \\[l\\](u) & \\&amp;"
    )
    assert escape_text("# not a heading") == "\\# not a heading"
    assert inline("`a|b` <i>") == "`a|b` \\<i\\>"
    assert inline("unclosed ` tick") == "unclosed \\` tick"
    assert cell(inline("`a|b` c|d")) == "`a\\|b` c\\|d"
    assert anchor("6. Race Conditions & State Machine Safety") == (
        "6-race-conditions--state-machine-safety"
    )
