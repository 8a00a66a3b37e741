"""A reviewed file's identity and text, and the file once parsed."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast, overload

from prodready.analysis.semantic import SemanticModel

_SNIPPET_MAX = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SourceText:
    """One reviewed file's identity and text."""

    path: str
    module: str
    is_package: bool
    lines: tuple[str, ...]

    def column(self, number: int, byte_offset: int | None) -> int | None:
        """The code-point column of a UTF-8 byte offset on line `number` (ast counts bytes)."""
        if byte_offset is None or not 1 <= number <= len(self.lines):
            return byte_offset
        text = self.lines[number - 1]
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].strip()[:_SNIPPET_MAX]
        return ""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A file that parsed, as project rules see it.

    `memo` keeps what several extractors or rules derive from this one tree (e.g. the
    adapters' scope index), so it is computed once per file, never globally.
    """

    source: SourceText
    tree: ast.Module
    semantic: SemanticModel
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def memoized(self, key: str, factory: Callable[[], T]) -> T:
        """`factory()` computed once per file under `key`."""
        if key not in self.memo:
            self.memo[key] = factory()
        return cast(T, self.memo[key])


class ParsedFiles(Sequence[ParsedFile]):
    """The parsed files of a review, loaded on first use when the walk did not keep them
    (files analysed in worker processes come back without their trees)."""

    def __init__(
        self,
        paths: Sequence[str],
        loaded: Mapping[str, ParsedFile],
        load: Callable[[str], ParsedFile | None],
    ) -> None:
        self._paths = tuple(paths)
        self._cache: dict[str, ParsedFile | None] = dict(loaded)
        self._load = load
        self._memo: dict[str, object] = {}

    def memoized(self, key: str, factory: Callable[[], T]) -> T:
        """`factory()` computed once per review under `key`: what several project rules
        derive from every file (the state writes of the project, say)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return cast(T, self._memo[key])

    def get(self, path: str) -> ParsedFile | None:
        if path not in self._cache:
            self._cache[path] = self._load(path) if path in self._paths else None
        return self._cache[path]

    def __len__(self) -> int:
        return len(self._paths)

    @overload
    def __getitem__(self, index: int) -> ParsedFile: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ParsedFile]: ...

    def __getitem__(self, index: int | slice) -> ParsedFile | Sequence[ParsedFile]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        parsed = self.get(self._paths[index])
        if parsed is None:
            raise LookupError(f"{self._paths[index]} can no longer be parsed")
        return parsed

    def __iter__(self) -> Iterator[ParsedFile]:
        for path in self._paths:
            parsed = self.get(path)
            if parsed is not None:
                yield parsed
