"""Build a ParsedFile from a fixture file or a source string, as the engine would."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText

PROJECTS = Path(__file__).resolve().parents[2] / "fixtures" / "projects"


def parse_file(path_or_text: Path | str, module: str, path: str | None = None) -> ParsedFile:
    """A ParsedFile for `module` from a file or from source text; its evidence path is
    `path`, else the module's folders ("bot/handlers/user.py")."""
    if isinstance(path_or_text, Path):
        text = path_or_text.read_text(encoding="utf-8")
    else:
        text = textwrap.dedent(path_or_text)
    if path is None:
        path = module.replace(".", "/") + ".py"
    is_package = path.endswith("__init__.py")
    tree = ast.parse(text)
    source = SourceText(path, module, is_package, tuple(text.splitlines()))
    return ParsedFile(source, tree, SemanticModel.build(tree, module, is_package))


def project_file(project: str, relative: str) -> ParsedFile:
    """A file of a fixture project under tests/fixtures/projects/<project>/; its module is
    its path with dots, its evidence path is `relative`."""
    module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return parse_file(PROJECTS / project / relative, module, relative)
