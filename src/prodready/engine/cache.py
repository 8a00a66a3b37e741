"""An opt-in per-file cache: unchanged files are not analysed again.

The key covers everything a file's analysis depends on: its bytes, its path and module
name, prodready's version and the selected file rules. Entries are written only under the
folder the user named (`--cache-dir` / `cache-dir`), never elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from prodready import __version__
from prodready.engine.analyse import FileAnalysis

CACHE_FORMAT = "9"  # 2: lifecycle and structure fields; 3: background task facts; 4: returns_row;
# 5: log calls and log context; 6: module-level instances, migration runners, Django tables;
# 7: returned / returned_items (rows handed on through calls); 8: Django routes and web apps;
# 9: equality lookups and referenced names


@dataclass(frozen=True, slots=True)
class FileCache:
    folder: Path
    salt: str

    @classmethod
    def at(cls, folder: Path, rule_ids: Iterable[str]) -> FileCache:
        parts = [CACHE_FORMAT, __version__, *sorted(rule_ids)]
        return cls(folder, hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16])

    def key(self, data: bytes, relative: str, module: str, is_package: bool) -> str:
        digest = hashlib.sha256()
        for part in (self.salt, relative, module, str(is_package)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> FileAnalysis | None:
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return value if isinstance(value, FileAnalysis) else None

    def store(self, key: str, analysis: FileAnalysis) -> bool:
        """Write atomically (temp file + rename); False when the folder is not writable."""
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as handle:
                pickle.dump(replace(analysis, parsed=None), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, target)
        except (OSError, pickle.PicklingError, RecursionError):
            return False
        return True
