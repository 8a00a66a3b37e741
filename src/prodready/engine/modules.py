"""Dotted module names of files, from the package folders (`__init__.py`) around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class ModuleNamer:
    """Names modules; remembers which folders are packages for the run it belongs to.

    A file inside regular packages is named by its `__init__.py` chain (`bot.handlers.start`).
    A file in plain folders (namespace packages, scripts run from the project folder) is
    named by its path below the review root, without a leading `src` (`app.api.admin`).
    """

    root: Path | None = None
    _is_package: dict[Path, bool] = field(default_factory=dict)

    def _package(self, folder: Path) -> bool:
        known = self._is_package.get(folder)
        if known is None:
            known = (folder / "__init__.py").is_file()
            self._is_package[folder] = known
        return known

    def _by_path(self, path: Path) -> list[str] | None:
        if self.root is None:
            return None
        try:
            parts = list(path.with_suffix("").relative_to(self.root).parts)
        except ValueError:
            return None
        if parts and parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        return parts if parts and all(p.isidentifier() for p in parts) else None

    def name(self, absolute: str) -> tuple[str, bool]:
        """(`pkg.sub.mod`, is_package) for a file; a loose script is named by its stem."""
        path = Path(absolute)
        is_package = path.name == "__init__.py"
        parts: list[str] = [] if is_package else [path.stem]
        folder = path.parent
        in_package = False
        while self._package(folder) and folder.parent != folder:
            in_package = True
            parts.append(folder.name)
            folder = folder.parent
        if not in_package:
            by_path = self._by_path(path)
            if by_path:
                return ".".join(by_path), is_package
        return ".".join(reversed(parts)) or path.stem, is_package
