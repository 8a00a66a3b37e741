"""Finding and reading the files that declare a project's dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prodready.analysis.project.dependencies import (
    parse_lock,
    parse_pipfile,
    parse_pyproject,
    parse_requirements,
    parse_setup_cfg,
)
from prodready.analysis.project.model import Dependency
from prodready.domain.finding import Note, NoteKind

MAX_DECLARATION_BYTES = 2 * 1024 * 1024
_MAX_INCLUDES = 20


@dataclass(slots=True)
class Declarations:
    dependencies: list[Dependency] = field(default_factory=list)
    locked: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def project_folder(root: Path) -> Path:
    """The folder that declares the project: the nearest one at or above `root` with a
    pyproject.toml, setup.cfg, Pipfile or requirements file, not above a repository root."""
    for folder in (root, *root.parents):
        markers = ("pyproject.toml", "setup.cfg", "Pipfile", "requirements.txt")
        if any((folder / marker).is_file() for marker in markers):
            return folder
        if any(folder.glob("requirements*.txt")) or (folder / ".git").exists():
            return folder
    return root


def _read(path: Path, shown: str, notes: list[Note]) -> str | None:
    try:
        if path.stat().st_size > MAX_DECLARATION_BYTES:
            notes.append(Note(shown, NoteKind.SKIPPED, "skipped: dependency file too large"))
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        notes.append(Note(shown, NoteKind.UNREADABLE, f"skipped: {error.strerror}"))
        return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _requirements(folder: Path, root: Path, result: Declarations) -> None:
    queue = sorted({*folder.glob("requirements*.txt"), *folder.glob("requirements/*.txt")})
    seen: set[Path] = set()
    while queue and len(seen) < _MAX_INCLUDES:
        path = queue.pop(0).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        shown = _shown(path, root)
        text = _read(path, shown, result.notes)
        if text is None:
            continue
        found, includes = parse_requirements(text, shown)
        result.dependencies.extend(found)
        queue.extend(path.parent / include for include in includes)


def read_declarations(root: Path) -> Declarations:
    """Dependencies declared at the project folder of `root`, and locked versions."""
    folder = project_folder(root)
    result = Declarations()
    parsers = (
        ("pyproject.toml", parse_pyproject),
        ("Pipfile", parse_pipfile),
        ("setup.cfg", parse_setup_cfg),
    )
    for name, parser in parsers:
        path = folder / name
        if path.is_file():
            shown = _shown(path, root)
            text = _read(path, shown, result.notes)
            if text is not None:
                result.dependencies.extend(parser(text, shown))
    _requirements(folder, root, result)
    for lock in ("uv.lock", "poetry.lock"):
        path = folder / lock
        if path.is_file():
            text = _read(path, _shown(path, root), result.notes)
            if text is not None:
                result.locked.update(parse_lock(text))
    return result
