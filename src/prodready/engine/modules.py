"""Dotted module names of files, from the package folders (`__init__.py`) around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class ModuleNamer:
    """Names modules; remembers which folders are packages for the run it belongs to."""

    _is_package: dict[Path, bool] = field(default_factory=dict)

    def _package(self, folder: Path) -> bool:
        known = self._is_package.get(folder)
        if known is None:
            known = (folder / "__init__.py").is_file()
            self._is_package[folder] = known
        return known

    def name(self, absolute: str) -> tuple[str, bool]:
        """(`pkg.sub.mod`, is_package) for a file; a loose script is named by its stem."""
        path = Path(absolute)
        is_package = path.name == "__init__.py"
        parts: list[str] = [] if is_package else [path.stem]
        folder = path.parent
        while self._package(folder) and folder.parent != folder:
            parts.append(folder.name)
            folder = folder.parent
        return ".".join(reversed(parts)) or path.stem, is_package
