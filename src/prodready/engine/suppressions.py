"""Finding `# prodready: ignore[...]` comments with the tokenizer (never inside strings)."""

from __future__ import annotations

import io
import re
import tokenize

from prodready.domain.suppression import Suppression

_MARK = "prodready:"
_SEPARATOR = re.compile(r"[\s,]+")
_PATTERN = re.compile(
    r"#\s*prodready:\s*(?P<kind>ignore-file|ignore)\b\s*(?:\[(?P<codes>[^\]]*)\])?\s*(?P<reason>.*)$"
)


def find_suppressions(text: str, path: str) -> tuple[Suppression, ...]:
    """Every suppression comment of a file that parsed; cheap when there is none."""
    if _MARK not in text:
        return ()
    found: list[Suppression] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT or _MARK not in token.string:
                continue
            match = _PATTERN.search(token.string)
            if match is None:
                continue
            codes = tuple(code for code in _SEPARATOR.split(match["codes"] or "") if code)
            reason = match["reason"].strip().lstrip("-:—").strip()
            found.append(
                Suppression(
                    path=path,
                    line=token.start[0],
                    codes=codes,
                    reason=reason,
                    file_level=match["kind"] == "ignore-file",
                    text=token.string.strip(),
                )
            )
    except (tokenize.TokenError, SyntaxError):
        return tuple(found)
    return tuple(found)
