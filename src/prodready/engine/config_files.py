"""Reading the configuration files discovery found (`.env`, `config.yaml`, ...): bounded in
count and size, never from vendored or tool folders."""

from __future__ import annotations

from prodready.analysis.config_files import MAX_BYTES, MAX_FILES, ConfigFile
from prodready.domain.finding import Note, NoteKind
from prodready.engine.discover import SourceRef


def read_config_files(refs: list[SourceRef], notes: list[Note]) -> tuple[ConfigFile, ...]:
    """The text of the first MAX_FILES configuration files; larger ones are skipped."""
    found: list[ConfigFile] = []
    for ref in refs[:MAX_FILES]:
        try:
            with open(ref.absolute, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            notes.append(Note(ref.relative, NoteKind.UNREADABLE, f"skipped: {error.strerror}"))
            continue
        if len(data) > MAX_BYTES:
            notes.append(Note(ref.relative, NoteKind.SKIPPED, "skipped: config file too large"))
            continue
        found.append(ConfigFile(ref.relative, data.decode("utf-8", errors="replace")))
    return tuple(found)
