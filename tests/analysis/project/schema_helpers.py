"""ParsedFile from source text or a fixture file, for the schema extractor tests."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "projects"


def parsed(text: str, path: str = "app/models.py") -> ParsedFile:
    """`text` (dedented) parsed as the file `path`; its module is the path with dots."""
    text = textwrap.dedent(text)
    is_package = path.endswith("__init__.py")
    module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    tree = ast.parse(text)
    source = SourceText(path, module, is_package, tuple(text.splitlines()))
    return ParsedFile(source, tree, SemanticModel.build(tree, module, is_package))


def fixture(project: str, relative: str) -> ParsedFile:
    """A file of tests/fixtures/projects/<project>/, its evidence path `relative`."""
    text = (FIXTURES / project / relative).read_text(encoding="utf-8")
    return parsed(text, relative)
