"""Reading one file: bytes -> text per PEP 263 -> tree, or a one-line note saying why not."""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass

from prodready.domain.finding import Note, NoteKind

MAX_FILE_BYTES = 8 * 1024 * 1024
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    tree: ast.Module


def read_bytes(absolute: str, relative: str) -> bytes | Note:
    try:
        with open(absolute, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return Note(relative, NoteKind.UNREADABLE, f"skipped: cannot read ({error.strerror})")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return Note(relative, NoteKind.SKIPPED, f"skipped: larger than {limit} MiB")
    return data


def decode(data: bytes, relative: str) -> Decoded | Note:
    """Decode per PEP 263 (coding cookie, BOM, UTF-8 default)."""
    if b"\x00" in data:
        return Note(relative, NoteKind.UNDECODABLE, "skipped: binary content (NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except SyntaxError as error:
        return Note(
            relative, NoteKind.UNDECODABLE, f"skipped: cannot decode: {error.msg} (PEP 263)"
        )
    except LookupError as error:
        return Note(relative, NoteKind.UNDECODABLE, f"skipped: cannot decode: {error}")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"skipped: cannot decode: not valid {error.encoding} at line {line}"
        return Note(relative, NoteKind.UNDECODABLE, message)
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text)


def split_lines(text: str) -> tuple[str, ...]:
    """The lines of `text` as `ast` numbers them: only \\n, \\r\\n and \\r end a line.

    `str.splitlines` also splits on form feeds, \\x1c-\\x1e, \\x85 and \\u2028, which would
    shift every later line number and evidence line.
    """
    return tuple(_LINE_END.split(text.removesuffix("\n").removesuffix("\r"))) if text else ()


# Syntax this Python cannot parse but newer ones can (PEP 695 type parameters and `type`
# statements came in 3.12): the note then says how to review the file.
_PEP695 = re.compile(r"^\s*(type\s+\w+(\[.*\])?\s*=|(async\s+)?def\s+\w+\[|class\s+\w+\[)")


_FSTRING = re.compile(r"""\b[rRbB]?[fF][rR]?["']""")


def _newer_syntax_hint(line: str, message: str) -> str:
    """Why a file valid on Python 3.12+ failed here: PEP 695 type parameters, or PEP 701
    f-strings (quotes reused or lines broken inside the braces)."""
    if sys.version_info >= (3, 12):
        return ""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if _PEP695.search(line):
        feature = "type-parameter syntax"
    elif _FSTRING.search(line) and message.startswith(("f-string", "unterminated string")):
        feature = "f-string syntax"
    else:
        return ""
    return f" (Python 3.12+ {feature}; prodready runs on {running}: use 3.12+)"


def parse(text: str, relative: str) -> Parsed | Note:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=relative)
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        hint = _newer_syntax_hint(error.text or "", error.msg or "")
        message = f"skipped: syntax error{where}: {error.msg}{hint}"
        return Note(relative, NoteKind.UNPARSABLE, message)
    except (RecursionError, MemoryError):
        return Note(relative, NoteKind.TOO_DEEP, "skipped: nested too deeply to parse")
    except ValueError as error:
        return Note(relative, NoteKind.UNPARSABLE, f"skipped: {error}")
    return Parsed(tree)
