"""Per-file facts for DB020: the equality lookups a file makes and the names it uses, found in
one walk in the worker that parses the file (not once more per review in the project rule)."""

from __future__ import annotations

from prodready.analysis.orm_lookups import scan
from prodready.analysis.project.model import FileFacts
from prodready.analysis.source import ParsedFile


def extract(parsed: ParsedFile) -> FileFacts:
    lookups, names = scan(parsed.tree)
    return FileFacts(
        path=parsed.source.path,
        module=parsed.source.module,
        equality_lookups=tuple(lookups),
        referenced_names=tuple(sorted(names)),
    )
