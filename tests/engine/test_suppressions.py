"""Reading `# prodready: ignore[...]` comments: with the tokenizer, never inside strings."""

from __future__ import annotations

import pytest

from prodready.domain.suppression import Suppression
from prodready.engine.suppressions import find_suppressions


def _one(text: str) -> Suppression:
    [found] = find_suppressions(text, "a.py")
    return found


def test_line_suppression_with_a_reason() -> None:
    found = _one("x = f()  # prodready: ignore[RES001] timeout set per request\n")
    assert found == Suppression(
        path="a.py",
        line=1,
        codes=("RES001",),
        reason="timeout set per request",
        file_level=False,
        text="# prodready: ignore[RES001] timeout set per request",
    )


def test_file_suppression() -> None:
    found = _one("\n\n# prodready: ignore-file[SEC001] generated code\nx = 1\n")
    assert (found.line, found.codes, found.file_level) == (3, ("SEC001",), True)


@pytest.mark.parametrize(
    ("comment", "codes"),
    [
        (
            "# prodready: ignore[RES001, aiohttp-session-without-timeout] ok",
            ("RES001", "aiohttp-session-without-timeout"),
        ),
        ("# prodready: ignore[RES001 RES002] ok", ("RES001", "RES002")),
        ("# prodready: ignore[ RES001 ,RES002 ] ok", ("RES001", "RES002")),
        ("# prodready:ignore[RES001] ok", ("RES001",)),
        ("# prodready: ignore ok", ()),
        ("# prodready: ignore[] ok", ()),
    ],
)
def test_codes(comment: str, codes: tuple[str, ...]) -> None:
    assert _one(f"x = 1  {comment}\n").codes == codes


@pytest.mark.parametrize(
    ("comment", "reason"),
    [
        ("# prodready: ignore[RES001]", ""),
        ("# prodready: ignore[RES001]   ", ""),
        ("# prodready: ignore[RES001] - safe here", "safe here"),
        ("# prodready: ignore[RES001]: safe here", "safe here"),
        ("# prodready: ignore[RES001] — safe here", "safe here"),
    ],
)
def test_reason(comment: str, reason: str) -> None:
    assert _one(f"x = 1  {comment}\n").reason == reason


def test_after_another_tool_comment() -> None:
    found = _one("x = 1  # noqa: E501  # prodready: ignore[RES001] fine\n")
    assert found.codes == ("RES001",) and found.reason == "fine"


def test_marker_inside_strings_is_not_a_suppression() -> None:
    text = (
        's = "# prodready: ignore[RES001] not a comment"\n'
        'doc = """\n# prodready: ignore-file[RES001] still a string\n"""\n'
        "f = f'{x} # prodready: ignore[RES001]'\n"
    )
    assert find_suppressions(text, "a.py") == ()


def test_no_marker_no_work() -> None:
    assert find_suppressions("x = 1  # an ordinary comment\n", "a.py") == ()


def test_other_prodready_comments_are_not_suppressions() -> None:
    assert find_suppressions("x = 1  # prodready: ignored because of reasons\n", "a.py") == ()


def test_tokenizer_errors_keep_what_was_found() -> None:
    text = "x = 1  # prodready: ignore[RES001] ok\ny = (\n"
    assert [s.line for s in find_suppressions(text, "a.py")] == [1]
