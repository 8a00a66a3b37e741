"""Which files a review reads: the paths given, minus excludes and .gitignore'd paths."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from prodready.analysis.config_files import is_config_path
from prodready.config.patterns import gitignore_spec
from prodready.config.settings import TEST_PATTERNS, Settings, pattern_path
from prodready.domain.finding import Note, NoteKind


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A file to review: where it is, and its path relative to the review root."""

    absolute: str
    relative: str


@dataclass(slots=True)
class Discovery:
    root: Path
    files: list[SourceRef] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    configs: list[SourceRef] = field(default_factory=list)
    """Configuration files (`.env`, `config.yaml`, ...) under the folders walked, same ignores."""


class PathError(Exception):
    """A path given on the command line that cannot be reviewed."""


def review_root(paths: list[Path]) -> Path:
    """The folder findings are reported relative to: the common parent of the paths."""
    resolved = [p.resolve() for p in paths]
    folders = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(f) for f in folders]))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _gitignore_spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore_file = directory / ".gitignore"
    if not ignore_file.is_file():
        return None
    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return gitignore_spec(lines)


def _work_tree(root: Path) -> Path:
    """Where .gitignore files start to apply: the git work tree around `root`, else `root`."""
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return directory
    return root


_Spec = tuple[Path, pathspec.GitIgnoreSpec]


@dataclass(slots=True)
class _Walker:
    root: Path
    excludes: pathspec.GitIgnoreSpec
    respect_gitignore: bool
    result: Discovery
    anchor: Path | None = None
    seen: set[str] = field(default_factory=set)

    def ignored(
        self, path: Path, rel: str, is_dir: bool, specs: list[_Spec], base: Path | None = None
    ) -> bool:
        """Excluded by the settings (patterns relative to `base` when given, else to the
        config file or the review root), or ignored by the deepest .gitignore with a say."""
        if base is not None:
            probe = _relative(path, base)
        else:
            probe = pattern_path(path, self.root, self.anchor) if self.anchor else rel
        if probe != "." and self.excludes.match_file(probe + "/" if is_dir else probe):
            return True
        for folder, spec in reversed(specs):
            local = _relative(path, folder)
            verdict = spec.check_file(local + "/" if is_dir else local).include
            if verdict is not None:
                return verdict
        return False

    def add_file(self, path: Path) -> None:
        rel = _relative(path, self.root)
        try:
            real = os.path.realpath(path, strict=True)
            if not os.path.isfile(real):
                return
        except OSError as error:
            self.result.notes.append(
                Note(rel, NoteKind.UNREADABLE, f"skipped: cannot resolve ({error.strerror})")
            )
            return
        if real in self.seen:
            return
        self.seen.add(real)
        self.result.files.append(SourceRef(absolute=str(path), relative=rel))

    def walk(self, top: Path) -> None:
        """Walk a folder named on the command line. Patterns of the settings and of the
        .gitignore files above it apply; if they exclude the folder itself, it was named
        anyway, so it is reviewed with only the patterns that apply inside it."""
        specs: list[_Spec] = []
        if self.respect_gitignore:
            start = _work_tree(self.root)
            chain = [d for d in top.parents if d.is_relative_to(start)]
            for directory in reversed(chain):
                spec = _gitignore_spec(directory)
                if spec is not None:
                    specs.append((directory, spec))
        base = None
        if self.ignored(top, _relative(top, self.root), True, specs):
            specs, base = [], top
        own = _gitignore_spec(top) if self.respect_gitignore else None
        self._walk_dir(top, [*specs, (top, own)] if own else specs, base)

    def _walk_dir(self, top: Path, specs: list[_Spec], base: Path | None) -> None:
        """Depth-first, in name order. Symlinked folders are not entered (no loops, no file
        reviewed twice); symlinked files are reviewed once, by their first path."""
        stack: list[tuple[Path, list[_Spec]]] = [(top, specs)]
        while stack:
            directory, active = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as error:
                rel = _relative(directory, self.root)
                self.result.notes.append(
                    Note(rel, NoteKind.UNREADABLE, f"skipped folder: {error.strerror}")
                )
                continue
            subdirs: list[Path] = []
            for entry in entries:
                path = Path(entry.path)
                rel = _relative(path, self.root)
                if entry.is_symlink() and not os.path.exists(entry.path):
                    if entry.name.endswith(".py"):
                        self.result.notes.append(
                            Note(rel, NoteKind.UNREADABLE, "skipped: broken symlink or loop")
                        )
                    continue
                is_dir = entry.is_dir(follow_symlinks=False)
                if self.ignored(path, rel, is_dir, active, base):
                    continue
                if is_dir:
                    if (path / "pyvenv.cfg").exists():
                        continue
                    subdirs.append(path)
                elif entry.name.endswith(".py"):
                    self.add_file(path)
                elif is_config_path(rel) and not entry.is_symlink():
                    self.result.configs.append(SourceRef(absolute=str(path), relative=rel))
            for subdir in reversed(subdirs):
                spec = _gitignore_spec(subdir) if self.respect_gitignore else None
                stack.append((subdir, [*active, (subdir, spec)] if spec else active))


def discover(paths: list[Path], settings: Settings) -> Discovery:
    """The Python files under `paths`; raises PathError for a path that does not exist."""
    for path in paths:
        if not os.path.exists(path):
            problem = "a symlink loop or broken link" if os.path.islink(path) else "does not exist"
            raise PathError(f"{path}: {problem}")
    root = review_root(paths)
    tests = () if settings.include_tests else TEST_PATTERNS
    excludes = gitignore_spec([*settings.exclude, *settings.extend_exclude, *tests])
    result = Discovery(root=root)
    anchor = settings.anchor
    walker = _Walker(root, excludes, settings.respect_gitignore, result, anchor)
    for path in paths:
        if path.is_dir():
            walker.walk(path.resolve())
        else:
            walker.add_file(path.resolve())
    result.files.sort(key=lambda ref: ref.relative)
    return result
