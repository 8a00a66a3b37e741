from __future__ import annotations

import sys

import pytest

from prodready.domain.finding import Note
from prodready.engine.source import parse


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12+ parses type parameters")
@pytest.mark.parametrize(
    "text",
    [
        "class Page[T]:\n    x: T\n",
        "type UserId = int\n",
        "def first[T](xs: list[T]) -> T: ...\n",
        'x = f"{d["key"]}"\n',
        'x = f"{t(lang, "a").format(\n    n=1)}"\n',
    ],
)
def test_newer_syntax_gets_a_hint(text: str) -> None:
    note = parse(text, "a.py")
    assert isinstance(note, Note)
    assert "3.12+" in note.message


def test_plain_syntax_errors_get_no_hint() -> None:
    note = parse("def (:\n", "a.py")
    assert isinstance(note, Note)
    assert "3.12" not in note.message
