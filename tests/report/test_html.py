"""The HTML page: self-contained, structured like the Markdown, everything escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from prodready.domain.taxonomy import Dimension
from prodready.report.html import render_html
from prodready.report.markup import inline_code_only, to_html
from prodready.report.options import RenderOptions
from tests.report.sample import EMPTY, FULL


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()


def _parsed(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_a_snippet_with_a_script_tag_is_escaped() -> None:
    page = render_html(FULL, RenderOptions())
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "renewal path &lt;b&gt;also&lt;/b&gt; skips the check | twice" in page


def test_self_contained_and_well_nested() -> None:
    for result in (FULL, EMPTY):
        page = render_html(result, RenderOptions())
        assert page.startswith("<!DOCTYPE html>\n")
        parsed = _parsed(page)
        assert parsed.open == []
        tags = {tag for tag, _ in parsed.tags}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
        assert "style" in tags
        hrefs = [a.get("href") or "" for tag, a in parsed.tags if tag == "a"]
        assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
        assert not any(a.get("src") for _, a in parsed.tags)
        assert "url(" not in page


def test_structure_follows_the_markdown_report() -> None:
    page = render_html(FULL, RenderOptions())
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    dimensions = [f"{d.number}. {d.title.replace('&', '&amp;')}" for d in Dimension]
    assert headings == ["What was reviewed", "Executive summary", *dimensions, "Final verdict"]
    assert page.index('class="banner verdict-not-ready"') < page.index("<h2>What was reviewed")
    for label in ("What is wrong", "Why it is dangerous", "Concrete fix", "Migration"):
        assert page.count(f"<h4>{label}") == 3
    assert '<pre><code class="language-python">import aiohttp' in page
    assert page.count("<tr><td><code>app/services/rates.py:") == 17
    assert "… and 3 more location(s) in <code>app/services/rates.py</code> (3)." in page
    assert '<td class="status-missing">missing</td>' in page
    final = page.split('<section id="final-verdict">', 1)[1]
    assert final.count("<li>[") == 3


def test_empty_result() -> None:
    page = render_html(EMPTY, RenderOptions())
    assert page.count("<p>No findings.</p>") == 9
    assert 'class="banner verdict-ready"' in page
    assert '<p class="status-not-applicable">Not applicable — no service runs here' in page


def test_markup_subset() -> None:
    text = (
        "Use **`tenacity`** and *care*; see [docs](https://t.io/?a=1&b=2) or <https://x.io>.\n"
        "Same paragraph <b>not html</b>.\n"
        "\n"
        "- one `1`\n"
        "  continued\n"
        "- two\n"
        "\n"
        "1. first\n"
        "2. second\n"
        "\n"
        "```python\n"
        "if a < b and c > d:\n"
        "    print('<script>')\n"
        "```"
    )
    assert to_html(text) == (
        "<p>Use <strong><code>tenacity</code></strong> and <em>care</em>; see "
        '<a href="https://t.io/?a=1&amp;b=2">docs</a> or <a href="https://x.io">https://x.io</a>. '
        "Same paragraph &lt;b&gt;not html&lt;/b&gt;.</p>\n"
        "<ul><li>one <code>1</code> continued</li><li>two</li></ul>\n"
        "<ol><li>first</li><li>second</li></ol>\n"
        '<pre><code class="language-python">if a &lt; b and c &gt; d:\n'
        "    print(&#x27;&lt;script&gt;&#x27;)</code></pre>"
    )


def test_markup_never_links_other_schemes_and_untrusted_text_is_inert() -> None:
    assert "<a" not in to_html("[x](javascript:alert(1)) <data:text/html,hi>")
    assert "href" not in to_html('[x](https://a.io/" onclick="y)')
    assert inline_code_only("**b** [l](https://x.io) `<i>`") == (
        "**b** [l](https://x.io) <code>&lt;i&gt;</code>"
    )
