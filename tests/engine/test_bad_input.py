"""A review over bad files: each gets a one-line note, the rest of the review completes."""

from __future__ import annotations

from pathlib import Path

from prodready.config.settings import Settings
from prodready.domain.finding import NoteKind
from prodready.engine.run import RawReview, run_review
from prodready.rules.registry import discover

CATALOGUE = discover()
BAD_SESSION = "import aiohttp\n\n\nasync def fetch():\n    return aiohttp.ClientSession()\n"


def _review(root: Path, *paths: Path) -> RawReview:
    settings = Settings(select=("RES001",), ruff=False)
    return run_review(list(paths) or [root], settings, CATALOGUE)


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _notes(raw: RawReview) -> dict[str, NoteKind]:
    for note in raw.notes:
        assert "\n" not in note.message and note.message, note
    return {note.path: note.kind for note in raw.notes}


def _reported(raw: RawReview) -> set[tuple[str, int]]:
    return {(f.location.path, f.location.line) for f in raw.findings}


def test_every_bad_file_is_a_note_and_the_good_file_is_still_reviewed(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "good.py": BAD_SESSION,
            "syntax.py": "def f(:\n    pass\n",
            "no_cookie.py": "s = 'Привет'\n".encode("cp1251"),
            "bad_codec.py": b"# -*- coding: no-such-codec -*-\nx = 1\n",
            "binary.py": bytes(range(256)) * 8,
            "parens.py": "(" * 5000 + "1" + ")" * 5000 + "\n",
            "lists.py": "x = " + "[" * 300 + "]" * 300 + "\n",
            "long_sum.py": "x = " + "+".join(["1"] * 100_000) + "\n",
            "empty.py": "",
        },
    )
    raw = _review(tmp_path)
    assert _notes(raw) == {
        "syntax.py": NoteKind.UNPARSABLE,
        "no_cookie.py": NoteKind.UNDECODABLE,
        "bad_codec.py": NoteKind.UNDECODABLE,
        "binary.py": NoteKind.UNDECODABLE,
        "parens.py": NoteKind.UNPARSABLE,
        "lists.py": NoteKind.UNPARSABLE,
        "long_sum.py": NoteKind.TOO_DEEP,
    }
    assert _reported(raw) == {("good.py", 5)}
    assert raw.files == 9


def test_file_with_a_coding_cookie_is_decoded_and_reviewed(tmp_path: Path) -> None:
    text = "# -*- coding: cp1251 -*-\n# Клиент без таймаута\n" + BAD_SESSION
    _write(tmp_path, {"legacy.py": text.encode("cp1251")})
    raw = _review(tmp_path)
    assert not raw.notes
    [finding] = raw.findings
    assert finding.location.line == 7
    assert finding.snippet == "return aiohttp.ClientSession()"


def test_odd_line_breaks_do_not_shift_the_evidence(tmp_path: Path) -> None:
    text = "import aiohttp\n\x0c\n# a\u2028b\x1cc\n" + BAD_SESSION.removeprefix("import aiohttp\n")
    _write(tmp_path, {"odd.py": text})
    raw = _review(tmp_path)
    [finding] = raw.findings
    assert finding.location.line == 7
    assert finding.snippet == "return aiohttp.ClientSession()"
    assert raw.lines == 7


def test_empty_file_is_reviewed_silently(tmp_path: Path) -> None:
    _write(tmp_path, {"empty.py": "", "__init__.py": "\n"})
    raw = _review(tmp_path)
    assert raw.files == 2
    assert not raw.notes and not raw.findings


def test_a_fifty_thousand_line_file_is_reviewed(tmp_path: Path) -> None:
    body = "".join(f"value_{n} = {n}\n" for n in range(50_000))
    _write(tmp_path, {"big.py": body + BAD_SESSION})
    raw = _review(tmp_path)
    assert not raw.notes
    assert raw.lines == 50_005
    assert _reported(raw) == {("big.py", 50_005)}


def test_deep_but_valid_nesting_is_reviewed(tmp_path: Path) -> None:
    nested = "x = " + "[" * 150 + "aiohttp.ClientSession()" + "]" * 150 + "\n"
    _write(tmp_path, {"deep.py": "import aiohttp\n" + nested})
    raw = _review(tmp_path)
    assert not raw.notes
    assert _reported(raw) == {("deep.py", 2)}


def test_crlf_file_is_reviewed(tmp_path: Path) -> None:
    _write(tmp_path, {"crlf.py": BAD_SESSION.replace("\n", "\r\n").encode()})
    raw = _review(tmp_path)
    assert _reported(raw) == {("crlf.py", 5)}
    assert raw.findings[0].snippet == "return aiohttp.ClientSession()"
