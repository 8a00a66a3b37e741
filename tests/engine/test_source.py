"""Reading one file: PEP 263 decoding, line numbering, parse failures as one-line notes."""

from __future__ import annotations

import ast

import pytest

from prodready.domain.finding import Note, NoteKind
from prodready.engine.source import Decoded, Parsed, decode, parse, split_lines


def test_utf8_without_cookie_decodes() -> None:
    assert decode("x = 'привет'\n".encode(), "a.py") == Decoded("x = 'привет'\n")


def test_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfx = 1\n", "a.py") == Decoded("x = 1\n")


@pytest.mark.parametrize(
    ("codec", "words"), [("cp1251", "Привет"), ("latin-1", "café"), ("koi8-r", "Ёж")]
)
def test_coding_cookie_decodes_legacy_encodings(codec: str, words: str) -> None:
    text = f"# -*- coding: {codec} -*-\ns = '{words}'\n"
    assert decode(text.encode(codec), "a.py") == Decoded(text)


def test_cookie_on_second_line_after_shebang() -> None:
    text = "#!/usr/bin/env python\n# vim: set fileencoding=cp1251 :\ns = 'Ж'\n"
    assert decode(text.encode("cp1251"), "a.py") == Decoded(text)


def _note(result: Decoded | Parsed | Note) -> Note:
    assert isinstance(result, Note), result
    assert "\n" not in result.message
    return result


def test_non_utf8_without_cookie_on_first_line_is_a_note() -> None:
    note = _note(decode("s = 'Привет'\n".encode("cp1251"), "a.py"))
    assert note.kind is NoteKind.UNDECODABLE
    assert note.path == "a.py"
    assert "encoding" in note.message


def test_non_utf8_without_cookie_later_names_the_line() -> None:
    data = b"x = 1\ny = 2\n" + "s = 'Привет'\n".encode("cp1251")
    note = _note(decode(data, "a.py"))
    assert note.kind is NoteKind.UNDECODABLE
    assert "line 3" in note.message


def test_content_not_matching_its_cookie_is_a_note() -> None:
    note = _note(decode(b"# coding: ascii\nx = '\xff'\n", "a.py"))
    assert note.kind is NoteKind.UNDECODABLE
    assert "ascii" in note.message and "line 2" in note.message


def test_unknown_codec_in_cookie_is_a_note() -> None:
    note = _note(decode(b"# -*- coding: no-such-codec -*-\nx = 1\n", "a.py"))
    assert note.kind is NoteKind.UNDECODABLE
    assert "no-such-codec" in note.message


def test_binary_content_is_a_note() -> None:
    note = _note(decode(bytes(range(256)) * 4, "a.py"))
    assert note.kind is NoteKind.UNDECODABLE


def test_syntax_error_is_a_note_with_the_line() -> None:
    note = _note(parse("x = 1\ndef f(:\n", "a.py"))
    assert note.kind is NoteKind.UNPARSABLE
    assert "line 2" in note.message


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "1" + ")" * 5000,
        "x = " + "[" * 300 + "]" * 300,
        "x = " + "+".join(["1"] * 100_000),
        "x = " + "-" * 100_000 + "1",
        "x = a" + ".b" * 100_000,
        "x = f" + "()" * 100_000,
    ],
    ids=["parens", "lists", "long-sum", "unary", "attributes", "calls"],
)
def test_deeply_nested_code_is_a_note(text: str) -> None:
    note = _note(parse(text + "\n", "deep.py"))
    assert note.kind in (NoteKind.TOO_DEEP, NoteKind.UNPARSABLE)


def test_parse_emits_no_warnings(recwarn: pytest.WarningsRecorder) -> None:
    assert isinstance(parse('x = "\\d"\nif x is 1:\n    pass\n', "a.py"), Parsed)
    assert not recwarn.list


def test_empty_file_parses() -> None:
    result = parse("", "a.py")
    assert isinstance(result, Parsed)
    assert result.tree.body == []


@pytest.mark.parametrize(
    "text",
    [
        "x = 1\n\x0c\ny = 2\n",
        "x = 1\n# a\u2028comment\x1cwith\x85odd breaks\ny = 2\n",
        "x = 1\r\ny = 2\r\n",
        "x = 1\ry = 2\r",
        "x = 1\n\ny = 2",
    ],
    ids=["form-feed", "unicode-breaks", "crlf", "cr", "no-final-newline"],
)
def test_split_lines_numbers_lines_as_ast_does(text: str) -> None:
    lines = split_lines(text)
    tree = ast.parse(text)
    for statement in tree.body:
        assert lines[statement.lineno - 1].startswith(ast.unparse(statement))
    assert len(lines) == tree.body[-1].lineno


def test_split_lines_of_empty_text() -> None:
    assert split_lines("") == ()
    assert split_lines("\n") == ("",)
