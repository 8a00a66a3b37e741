"""Write docs/rules/ from the rules' metadata (never written by hand).

python scripts/gen_rule_docs.py          # regenerate
python scripts/gen_rule_docs.py --check  # exit 1 if docs/rules/ is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prodready.report.catalog import render_catalogue, render_explanation
from prodready.rules.registry import discover

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def expected_pages() -> dict[str, str]:
    metas = discover().metas
    index = (
        "# prodready rules\n\nGenerated from the rules' metadata by "
        "`scripts/gen_rule_docs.py`; `prodready explain ID` prints the same page.\n\n"
        + render_catalogue(metas, "markdown")
    )
    pages = {"README.md": index}
    for meta in metas:
        pages[f"{meta.id}.md"] = render_explanation(meta)
    return pages


def stale_pages(pages: dict[str, str]) -> list[str]:
    present = {p.name for p in DOCS.glob("*.md")} if DOCS.is_dir() else set()
    stale = [name for name, text in pages.items() if not _same(DOCS / name, text)]
    return sorted(stale + sorted(present - set(pages)))


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    pages = expected_pages()
    stale = stale_pages(pages)
    if args.check:
        if stale:
            print("stale rule docs: " + ", ".join(stale), file=sys.stderr)
            print("run: python scripts/gen_rule_docs.py", file=sys.stderr)
            return 1
        return 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in stale:
        target = DOCS / name
        if name in pages:
            target.write_text(pages[name], encoding="utf-8")
        else:
            target.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
