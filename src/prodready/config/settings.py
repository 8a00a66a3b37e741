"""The validated settings of one review."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from prodready.domain.taxonomy import Confidence, Severity

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git/",
    ".hg/",
    ".svn/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    "__pycache__/",
    ".mypy_cache/",
    ".ruff_cache/",
    ".pytest_cache/",
    ".eggs/",
    "*.egg-info/",
    "build/",
    "dist/",
    "node_modules/",
    "site-packages/",
    ".prodready_cache/",
)


# Test code is excluded unless `include-tests = true`: its fixtures, fakes and deliberate
# shortcuts are not what runs in production.
TEST_PATTERNS: tuple[str, ...] = (
    "tests/",
    "test/",
    "test_*.py",
    "*_test.py",
    "conftest.py",
)


# The layers `[tool.prodready.layers]` may name, outermost first.
LAYERS: tuple[str, ...] = ("transport", "application", "domain", "infrastructure")


class FailOn(Enum):
    """When `prodready review` exits 1."""

    NOT_READY = "not-ready"
    WITH_FIXES = "with-fixes"
    BLOCKER = "blocker"
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    NEVER = "never"

    @property
    def severity(self) -> Severity | None:
        """The severity threshold this setting names, if it names one."""
        try:
            return Severity(self.value)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class VerdictThresholds:
    """How findings turn into a verdict (see judge.verdict and the README)."""

    majors_for_fixes: int = 3
    blockers_need_confidence: Confidence = Confidence.MEDIUM


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity_overrides: tuple[tuple[str, Severity], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    include_tests: bool = False
    """Tests are not production code: by default TEST_PATTERNS are excluded too."""
    fail_on: FailOn = FailOn.NOT_READY
    min_severity: Severity = Severity.INFO
    ruff: bool = True
    jobs: int = 0
    cache_dir: str = ""
    """Where unchanged files' analyses are kept between runs; empty: no cache (nothing is
    written anywhere the user did not name)."""
    """Worker processes for per-file analysis; 0 means one per available core."""
    thresholds: VerdictThresholds = field(default_factory=VerdictThresholds)
    layers: tuple[tuple[str, str], ...] = ()
    """(module prefix, layer) from `[tool.prodready.layers]`: they replace the layers
    guessed from package names for those modules."""
    source: str = ""

    @property
    def anchor(self) -> Path | None:
        """The folder `exclude` and `per-file-ignores` patterns are written relative to: the
        config file's (as ruff does), so reviewing a sub-folder applies the same patterns."""
        return Path(self.source).resolve().parent if self.source else None


def pattern_path(path: Path, root: Path, anchor: Path | None) -> str:
    """`path` (absolute, under `root`) as config patterns see it: relative to `anchor` when it
    lies below it, else relative to the review root; posix separators."""
    for base in (anchor, root):
        if base is not None and path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()
