"""Everything prodready learns from one file, as plain data (picklable, cacheable)."""

from __future__ import annotations

from dataclasses import dataclass

from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText
from prodready.domain.finding import Finding, Note
from prodready.domain.suppression import Suppression
from prodready.engine.discover import SourceRef
from prodready.engine.dispatch import DispatchTable, dispatch
from prodready.engine.source import decode, parse, read_bytes
from prodready.engine.suppressions import find_suppressions


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    path: str
    lines: int
    findings: tuple[Finding, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    notes: tuple[Note, ...] = ()
    parsed: ParsedFile | None = None


def analyse_file(
    ref: SourceRef, module: str, is_package: bool, table: DispatchTable
) -> FileAnalysis:
    data = read_bytes(ref.absolute, ref.relative)
    if isinstance(data, Note):
        return FileAnalysis(ref.relative, 0, notes=(data,))
    decoded = decode(data, ref.relative)
    if isinstance(decoded, Note):
        return FileAnalysis(ref.relative, 0, notes=(decoded,))
    text = decoded.text
    lines = tuple(text.splitlines())
    parsed = parse(text, ref.relative)
    if isinstance(parsed, Note):
        return FileAnalysis(ref.relative, len(lines), notes=(parsed,))
    source = SourceText(path=ref.relative, module=module, is_package=is_package, lines=lines)
    semantic = SemanticModel.build(parsed.tree, module, is_package)
    findings, notes = dispatch(parsed.tree, source, semantic, table)
    return FileAnalysis(
        path=ref.relative,
        lines=len(lines),
        findings=tuple(findings),
        suppressions=find_suppressions(text, ref.relative),
        notes=tuple(notes),
        parsed=ParsedFile(source=source, tree=parsed.tree, semantic=semantic),
    )
