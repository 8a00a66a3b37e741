"""QUAL005: code that can never run, as vulture finds it at 100% confidence."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.analysis.dead_code import may_hold_unreachable_code, unreachable_code
from prodready.domain.finding import Finding, Location
from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import FileContext, file_rule

META = RuleMeta(
    id="QUAL005",
    name="dead-code",
    title="Unreachable code",
    dimension=Dimension.QUALITY,
    severity=Severity.MINOR,
    confidence=Confidence.HIGH,
    what=(
        "Statements that can never run, as vulture reports them at 100% confidence: code "
        "after a `return`, `raise`, `break` or `continue` in the same block, after a "
        "`while True:` loop with no `break`, the body of `if False:` / `while 0:`, and an "
        "`else` that can never be taken. A `return` or `raise` before a bare `yield` (the "
        "idiom that makes an empty generator) is not reported, nor are unused names."
    ),
    why=(
        "Unreachable code is a decision that silently stopped being made: a line after "
        "`return` inside a permission check (`data['role'] = role` never stored), a cleanup "
        "after `raise`, a whole branch disabled with `if False:`. Readers and reviewers "
        "believe it runs, fixes are applied to it and never take effect, and it keeps "
        "imports and helpers alive that nothing uses."
    ),
    fix="""Delete the dead lines, or move them before the statement that ends the block
if they were meant to run. Run vulture in CI so new dead code fails the build:

```python
import nox


@nox.session
def dead_code(session: nox.Session) -> None:
    session.install("vulture")
    session.run("vulture", "app", "--min-confidence", "100")
```""",
    migration=(
        "Fix each reported block by hand (delete it, or move it above the `return` / "
        "`raise` when it was meant to run — check git blame for what the author intended), "
        "then add `vulture --min-confidence 100` to pre-commit or CI. Lower the confidence "
        "later, with a whitelist file (`vulture --make-whitelist`), to also find unused "
        "functions and classes."
    ),
    libraries=("vulture",),
    references=(
        "https://github.com/jendrikseipp/vulture",
        "https://pypi.org/project/vulture/",
    ),
)


@file_rule(META, on=(ast.Module,))
def check(module: ast.Module, ctx: FileContext) -> Iterator[Finding]:
    source = ctx.source
    code = "\n".join(source.lines)
    if not may_hold_unreachable_code(module, code):
        return  # vulture parses and walks the file again: only where it may find something
    for block in unreachable_code(code, source.path):
        text = source.lines[block.first_line - 1] if block.first_line <= len(source.lines) else ""
        span = (
            f"line {block.first_line}"
            if block.last_line == block.first_line
            else f"lines {block.first_line}-{block.last_line}"
        )
        yield Finding(
            rule_id=META.id,
            location=Location(
                source.path, block.first_line, len(text) - len(text.lstrip()), block.last_line
            ),
            message=f"{span} can never run (vulture: {block.message})",
            snippet=source.line(block.first_line),
        )
