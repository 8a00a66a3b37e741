"""A tiny, safe Markdown-to-HTML converter for the subset rule texts use.

Blocks: paragraphs, fenced code blocks, `- ` / `* ` and `1. ` lists. Inline: `code`,
**bold**, *emphasis*, [links](https://...) and <https://...> autolinks (http and https
only), backslash escapes. Everything else is text, and all text is HTML-escaped.
`inline_code_only` is for text from the reviewed code: only its code spans are kept.
"""

from __future__ import annotations

import re
from html import escape

from prodready.report.mdtext import split_code_spans

_INLINE = re.compile(
    r"\[(?P<label>[^\]\n]+)\]\((?P<href>https?://[^)\s]+)\)"
    r"|<(?P<auto>https?://[^>\s]+)>"
    r"|\*\*(?P<bold>[^*\n]+?)\*\*"
    r"|(?<![*\w])\*(?P<em>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![*\w])"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
)
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile("[\ue000\ue001]")
_PLACEHOLDER_REF = re.compile("\ue000(\\d+)\ue001")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _text(text: str) -> str:
    return escape(text, quote=True)


def _plain(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(_text(text[position : match.start()]))
        position = match.end()
        if match.group("label") is not None:
            href = _text(match.group("href"))
            out.append(f'<a href="{href}">{_plain(match.group("label"))}</a>')
        elif match.group("auto") is not None:
            href = _text(match.group("auto"))
            out.append(f'<a href="{href}">{href}</a>')
        elif match.group("bold") is not None:
            out.append(f"<strong>{_plain(match.group('bold'))}</strong>")
        elif match.group("em") is not None:
            out.append(f"<em>{_plain(match.group('em'))}</em>")
        else:
            out.append(_text(match.group("escaped")))
    out.append(_text(text[position:]))
    return "".join(out)


def inline(text: str) -> str:
    """Trusted inline Markdown (a rule's text) as HTML.

    Code spans are set aside behind private-use placeholders first, so emphasis and links
    may wrap them (`**`x`**`) while nothing inside them is interpreted.
    """
    codes: list[str] = []
    pieces: list[str] = []
    for is_code, piece in split_code_spans(_PLACEHOLDER.sub("", text)):
        if is_code:
            pieces.append(f"{_OPEN}{len(codes)}{_CLOSE}")
            codes.append(f"<code>{_text(piece)}</code>")
        else:
            pieces.append(piece)
    html = _plain("".join(pieces))
    return _PLACEHOLDER_REF.sub(lambda m: codes[int(m.group(1))], html)


def inline_code_only(text: str) -> str:
    """Untrusted text (messages, evidence) as HTML: code spans kept, nothing else interpreted."""
    return "".join(
        f"<code>{_text(piece)}</code>" if is_code else _text(piece)
        for is_code, piece in split_code_spans(text)
    )


def _list_block(lines: list[str], start: int, pattern: re.Pattern[str]) -> tuple[str, int]:
    items: list[str] = []
    index = start
    while index < len(lines):
        match = pattern.match(lines[index])
        if match:
            items.append(match.group(1))
        elif lines[index].strip() and lines[index][:1].isspace() and items:
            items[-1] += " " + lines[index].strip()
        else:
            break
        index += 1
    tag = "ul" if pattern is _BULLET else "ol"
    body = "".join(f"<li>{inline(item)}</li>" for item in items)
    return f"<{tag}>{body}</{tag}>", index


def _fenced(lines: list[str], start: int, fence: str, language: str) -> tuple[str, int]:
    index = start + 1
    code: list[str] = []
    while index < len(lines) and not lines[index].strip().startswith(fence):
        code.append(lines[index])
        index += 1
    css = f' class="language-{_text(language)}"' if language else ""
    return f"<pre><code{css}>{_text(chr(10).join(code))}</code></pre>", index + 1


def to_html(markdown: str) -> str:
    """Block-level Markdown (the subset above) as HTML, one block per line."""
    lines = markdown.strip("\n").splitlines()
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{inline(' '.join(line.strip() for line in paragraph))}</p>")
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            flush()
            block, index = _fenced(lines, index, fence.group(1), fence.group(2))
        elif _BULLET.match(line) or _NUMBERED.match(line):
            flush()
            pattern = _BULLET if _BULLET.match(line) else _NUMBERED
            block, index = _list_block(lines, index, pattern)
        else:
            if line.strip():
                paragraph.append(line)
            else:
                flush()
            index += 1
            continue
        blocks.append(block)
    flush()
    return "\n".join(blocks)
