"""A small project built from source texts, as the engine would build it (with the schema)."""

from __future__ import annotations

from prodready.analysis.project.bodies import Code
from prodready.analysis.project.build import build_project, file_facts
from prodready.analysis.project.schema_merge import build_schema
from prodready.analysis.source import ParsedFiles
from tests.analysis.project.helpers import parse_file


def code_of(sources: dict[str, str]) -> Code:
    """`Code` for modules given as {"pkg.module": source}."""
    parsed = [parse_file(text, module) for module, text in sources.items()]
    files = ParsedFiles(
        [p.source.path for p in parsed], {p.source.path: p for p in parsed}, lambda _: None
    )
    project = build_project([file_facts(p) for p in parsed], schema_builder=build_schema)
    return Code(project, files)
