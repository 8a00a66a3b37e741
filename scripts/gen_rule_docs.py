"""Write docs/rules/ from the rules' metadata (never written by hand).

python scripts/gen_rule_docs.py          # regenerate
python scripts/gen_rule_docs.py --check  # exit 1 and list the stale pages; writes nothing
python scripts/gen_rule_docs.py --docs DIR  # another folder than docs/rules/ (tests)
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


def stale_pages(pages: dict[str, str], docs: Path = DOCS) -> list[str]:
    """Pages of `docs` that differ from `pages`, are missing, or no longer generated."""
    present = {p.name for p in docs.glob("*.md")} if docs.is_dir() else set()
    stale = [name for name, text in pages.items() if not _same(docs / name, text)]
    return sorted(stale + sorted(present - set(pages)))


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--docs", type=Path, default=DOCS)
    args = parser.parse_args()
    docs: Path = args.docs
    pages = expected_pages()
    stale = stale_pages(pages, docs)
    if args.check:
        if stale:
            print(f"stale rule docs in {docs}: " + ", ".join(stale), file=sys.stderr)
            print("run: python scripts/gen_rule_docs.py", file=sys.stderr)
            return 1
        return 0
    docs.mkdir(parents=True, exist_ok=True)
    for name in stale:
        target = docs / name
        if name in pages:
            target.write_text(pages[name], encoding="utf-8")
        else:
            target.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
