"""Suppression comments that hide nothing, hide without a reason, or name no rule.

The judge applies suppressions, so it makes these findings; this module is their metadata.
"""

from __future__ import annotations

from prodready.domain.rule import RuleMeta
from prodready.domain.taxonomy import Confidence, Dimension, Severity
from prodready.rules.api import judged_rule

_FIX = """Give every suppression the rule it silences and the reason it is safe here:

```python
session = aiohttp.ClientSession()  # prodready: ignore[RES001] timeout set per request below
```
"""

_REFERENCES = ("https://docs.astral.sh/ruff/rules/unused-noqa/",)

UNUSED = judged_rule(
    RuleMeta(
        id="QUAL901",
        name="unused-suppression",
        title="Suppression comment that suppresses nothing",
        dimension=Dimension.QUALITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what="A `# prodready: ignore[...]` comment names a rule that reports nothing on its line.",
        why=(
            "Stale suppressions outlive the code they excused. When the line changes again, the "
            "comment silently hides a *new* defect of the same rule that nobody reviewed."
        ),
        fix=_FIX + "\nDelete comments that no longer suppress anything.",
        migration="Remove the comment; re-run `prodready review` to confirm nothing reappears.",
        references=_REFERENCES,
    )
)

NO_REASON = judged_rule(
    RuleMeta(
        id="QUAL902",
        name="suppression-without-reason",
        title="Suppression comment without a reason",
        dimension=Dimension.QUALITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what="A `# prodready: ignore[...]` comment gives no reason after the rule list.",
        why=(
            "A reviewer cannot tell an accepted, understood risk from a finding someone wanted to "
            "go away. Unexplained suppressions accumulate and hide real production defects."
        ),
        fix=_FIX,
        migration="Add a short reason to each suppression; the suppression still applies.",
        references=_REFERENCES,
    )
)

UNKNOWN_RULE = judged_rule(
    RuleMeta(
        id="QUAL903",
        name="suppression-of-unknown-rule",
        title="Suppression comment naming an unknown rule",
        dimension=Dimension.QUALITY,
        severity=Severity.MINOR,
        confidence=Confidence.HIGH,
        what="A `# prodready: ignore[...]` comment names no rule id or name prodready knows.",
        why=(
            "A typo in a suppression suppresses nothing, so the author believes a risk is accepted "
            "while the finding it meant is still reported — or was renamed and is now unguarded."
        ),
        fix=_FIX + "\n`prodready rules` lists every id and name.",
        migration="Correct the id (see `prodready rules`) or delete the comment.",
        references=_REFERENCES,
    )
)
