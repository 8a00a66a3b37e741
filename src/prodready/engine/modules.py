"""Dotted module names of files: from the package folders (`__init__.py`) around them, or
from the source root the project's own absolute imports show.

Python names a module by its path below the `sys.path` entry it is found from, and a plain
folder (no `__init__.py`) may be either that entry or a namespace package. Which one, only
the imports tell: `app/utils/x.py` is `app.utils.x` when the code writes
`from app.utils import x`, and `utils.x` when it writes `from utils import x`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*))",
    re.MULTILINE,
)


def imported_names(source: bytes) -> set[str]:
    """Absolute modules (and `module.member`s) that `source`'s import statements name;
    `from a import b` gives both `a` and `a.b` (b may be a submodule). Relative imports are
    left out: they say nothing about where the source root is."""
    found: set[str] = set()
    for match in _IMPORT.finditer(source):
        base, members, plain = match.groups()
        if base is not None:
            if base.startswith(b"."):
                continue
            module = base.decode("ascii", "replace")
            found.add(module)
            for member in _aliases(members):
                found.add(f"{module}.{member}")
        else:
            found.update(_aliases(plain))
    return found


def _read(path: Path) -> bytes:
    """The file's bytes; none for a file that cannot be read (discover notes why)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _aliases(text: bytes) -> Iterable[str]:
    for item in text.strip(b"()\\ \t\r\n").split(b","):
        words = item.split()
        if words:
            yield words[0].decode("ascii", "replace")


@dataclass(slots=True)
class ModuleNamer:
    """Names modules; remembers which folders are packages for the run it belongs to.

    By default a file inside regular packages is named by its `__init__.py` chain
    (`bot.handlers.start`), and a file in plain folders by its path below the review root,
    without a leading `src` (`app.api.admin`). A namer made by `scan` reads the project's
    absolute imports first: when, for the files below one plain folder, they resolve more
    often with another source root (the review root, or a folder between it and them), those
    files are named from that root instead (`app.utils.x`, not `utils.x`, for an `app/`
    without `__init__.py` that the code imports as `app.utils`).
    """

    root: Path | None = None
    _is_package: dict[Path, bool] = field(default_factory=dict)
    _chosen: dict[Path, Path] = field(default_factory=dict)
    """File -> the source root its name is read from, where the imports chose one."""

    @classmethod
    def scan(cls, root: Path, files: Iterable[str]) -> ModuleNamer:
        """A namer whose source roots are chosen by the imports written in `files`."""
        namer = cls(root)
        paths = [Path(f) for f in files]
        imported: set[str] = set()
        groups: dict[Path, list[Path]] = {}
        for path in paths:
            imported |= imported_names(_read(path))
            top = namer._plain_folder(path)
            if top != root and root in top.parents:
                groups.setdefault(top, []).append(path)
        for top, members in groups.items():
            namer._choose(root, top, members, imported)
        return namer

    def _choose(self, root: Path, top: Path, members: list[Path], imported: set[str]) -> None:
        """Score each folder from `top` up to `root` by how many of the imports name one of
        `members` (or a package `top` is a namespace package in) when that folder is the
        source root; move the members whose usual root scores less to the best one."""
        scores: dict[Path, int] = {}
        above = [f for f in top.parents if root in f.parents and self._package(f)]
        for source_root in (top, *top.parents):
            named = [self._below(path, source_root) for path in members]
            named += [self._below(f / "__init__.py", source_root) for f in above]
            scores[source_root] = len({n for n in named if n is not None} & imported)
            if source_root == root:
                break
        best = max(scores.values())
        chosen = next(r for r, score in scores.items() if score == best)
        for path in members:
            # the usual naming stays when it resolves the imports as well as any other
            if scores.get(self._default_root(path), 0) < best:
                self._chosen[path] = chosen

    def _default_root(self, path: Path) -> Path:
        """The source root of the usual naming: above the package chain for a file in a
        package, else the review root (its `src` folder for a file below it)."""
        top = self._plain_folder(path)
        if top != path.parent or self.root is None or self.root not in path.parents:
            return top
        src = self.root / "src"
        return src if src in path.parents else self.root

    def _package(self, folder: Path) -> bool:
        known = self._is_package.get(folder)
        if known is None:
            known = (folder / "__init__.py").is_file()
            self._is_package[folder] = known
        return known

    def _plain_folder(self, path: Path) -> Path:
        """The first folder above `path` that is not a regular package."""
        folder = path.parent
        while self._package(folder) and folder.parent != folder:
            folder = folder.parent
        return folder

    @staticmethod
    def _below(path: Path, source_root: Path) -> str | None:
        """`path`'s module name when `source_root` is on sys.path; None if it has none."""
        try:
            parts = list(path.with_suffix("").relative_to(source_root).parts)
        except ValueError:
            return None
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(p.isidentifier() for p in parts):
            return ".".join(parts)
        return None

    def name(self, absolute: str) -> tuple[str, bool]:
        """(`pkg.sub.mod`, is_package) for a file; a loose script is named by its stem."""
        path = Path(absolute)
        is_package = path.name == "__init__.py"
        named = self._below(path, self._chosen.get(path) or self._default_root(path))
        if named:
            return named, is_package
        parts: list[str] = [] if is_package else [path.stem]
        folder = path.parent
        while self._package(folder) and folder.parent != folder:
            parts.append(folder.name)
            folder = folder.parent
        return ".".join(reversed(parts)) or path.stem, is_package
