"""Everything prodready learns from one file, as plain data (picklable, cacheable)."""

from __future__ import annotations

from dataclasses import dataclass

from prodready.analysis.project.build import EXTRACTORS, merge
from prodready.analysis.project.model import FileFacts
from prodready.analysis.semantic import SemanticModel
from prodready.analysis.source import ParsedFile, SourceText
from prodready.domain.finding import Finding, Note, NoteKind
from prodready.domain.suppression import Suppression
from prodready.engine.discover import SourceRef
from prodready.engine.dispatch import DispatchTable, dispatch
from prodready.engine.source import decode, parse, read_bytes, split_lines
from prodready.engine.suppressions import find_suppressions


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    path: str
    lines: int
    findings: tuple[Finding, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    notes: tuple[Note, ...] = ()
    parsed: ParsedFile | None = None
    facts: FileFacts | None = None
    source: SourceText | None = None


def extract_facts(parsed: ParsedFile) -> tuple[FileFacts, list[Note]]:
    """Every extractor's facts; one that fails is a note, the others still count."""
    parts: list[FileFacts] = []
    notes: list[Note] = []
    path = parsed.source.path
    for extract in EXTRACTORS:
        name = f"{extract.__module__}.{extract.__name__}"
        try:
            parts.append(extract(parsed))
        except (RecursionError, MemoryError):
            notes.append(Note(path, NoteKind.TOO_DEEP, f"{name} skipped: nested too deeply"))
        except Exception as error:  # noqa: BLE001 - an extractor bug must not stop the review
            notes.append(Note(path, NoteKind.RULE_ERROR, f"{name} failed: {error!r}"))
    imports = tuple(sorted(set(parsed.semantic.imports.bindings.values())))
    return merge(parts, path, parsed.source.module, imports), notes


def analyse_file(
    ref: SourceRef, module: str, is_package: bool, table: DispatchTable
) -> FileAnalysis:
    data = read_bytes(ref.absolute, ref.relative)
    if isinstance(data, Note):
        return FileAnalysis(ref.relative, 0, notes=(data,))
    return analyse_bytes(ref, data, module, is_package, table)


def analyse_bytes(
    ref: SourceRef, data: bytes, module: str, is_package: bool, table: DispatchTable
) -> FileAnalysis:
    """Everything about one file whose bytes were read already (pure: same bytes, same rules,
    same result — which is what makes the per-file cache sound)."""
    decoded = decode(data, ref.relative)
    if isinstance(decoded, Note):
        return FileAnalysis(ref.relative, 0, notes=(decoded,))
    text = decoded.text
    lines = split_lines(text)
    parsed = parse(text, ref.relative)
    if isinstance(parsed, Note):
        return FileAnalysis(ref.relative, len(lines), notes=(parsed,))
    source = SourceText(path=ref.relative, module=module, is_package=is_package, lines=lines)
    semantic = SemanticModel.build(parsed.tree, module, is_package)
    findings, notes = dispatch(parsed.tree, source, semantic, table)
    parsed_file = ParsedFile(source=source, tree=parsed.tree, semantic=semantic)
    facts, fact_notes = extract_facts(parsed_file)
    return FileAnalysis(
        path=ref.relative,
        lines=len(lines),
        findings=tuple(findings),
        suppressions=find_suppressions(text, ref.relative),
        notes=(*notes, *fact_notes),
        parsed=parsed_file,
        facts=facts,
        source=source,
    )


def load_parsed(ref: SourceRef, module: str, is_package: bool) -> ParsedFile | None:
    """Read and parse one file again (no rules, no facts), for project rules that need its
    tree after it was analysed elsewhere; None when it no longer reads or parses."""
    data = read_bytes(ref.absolute, ref.relative)
    decoded = decode(data, ref.relative) if not isinstance(data, Note) else data
    if isinstance(decoded, Note):
        return None
    parsed = parse(decoded.text, ref.relative)
    if isinstance(parsed, Note):
        return None
    source = SourceText(ref.relative, module, is_package, split_lines(decoded.text))
    return ParsedFile(source, parsed.tree, SemanticModel.build(parsed.tree, module, is_package))
