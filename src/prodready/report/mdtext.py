"""Markdown pieces that are safe for text taken from the reviewed code.

Messages are written by rules and keep their `code spans`; everything else that could start
Markdown or HTML (emphasis, links, tags, entities) is backslash-escaped. Snippets are shown
as code spans whose fence is longer than any backtick run inside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# `_` inside a word and `&` not starting an entity cannot start Markdown: left as they are.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|&(?=[#0-9A-Za-z])|^#)")
_BACKTICKS = re.compile(r"`+")
_ANCHOR_DROP = re.compile(r"[^\w\- ]")


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def split_code_spans(text: str) -> Iterator[tuple[bool, str]]:
    """(is_code, piece) pairs: CommonMark code spans (content only) and the text around them.

    A backtick run without a closing run of the same length is literal text.
    """
    position = 0
    plain_from = 0
    while True:
        opening = _BACKTICKS.search(text, position)
        if opening is None:
            break
        width = len(opening.group())
        closing = _BACKTICKS.search(text, opening.end())
        while closing is not None and len(closing.group()) != width:
            closing = _BACKTICKS.search(text, closing.end())
        if closing is None:
            position = opening.end()
            continue
        if opening.start() > plain_from:
            yield False, text[plain_from : opening.start()]
        yield True, text[opening.end() : closing.start()]
        position = plain_from = closing.end()
    if plain_from < len(text):
        yield False, text[plain_from:]


def escape_text(text: str) -> str:
    """Plain text with every Markdown / HTML special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", _one_line(text))


def code_span(text: str) -> str:
    """`text` as one code span, whatever backticks it holds; empty text gives ''."""
    text = _one_line(text)
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or text.startswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(text: str) -> str:
    """A rule message or judged sentence: its code spans kept, the rest escaped."""
    return "".join(
        code_span(piece) if is_code else escape_text(piece)
        for is_code, piece in split_code_spans(_one_line(text))
    )


def cell(markdown: str) -> str:
    """Inline Markdown made safe for a GFM table cell (pipes escaped, even in code spans)."""
    return re.sub(r"(?<!\\)\|", r"\\|", markdown)


def anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _ANCHOR_DROP.sub("", heading.strip().lower()).replace(" ", "-")
