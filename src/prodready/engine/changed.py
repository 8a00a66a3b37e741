"""Which files changed since a git ref, for reviews that report only on changed code."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 60


class ChangedFilesError(Exception):
    """git is missing, the folder is not a repository, or the ref is unknown."""


def _git(root: Path, *args: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise ChangedFilesError("--since needs git, which is not installed")
    try:
        done = subprocess.run(
            [git, "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChangedFilesError(f"git failed: {error}") from None
    if done.returncode != 0:
        first = done.stderr.strip().splitlines()
        raise ChangedFilesError(f"git {args[0]}: {first[0] if first else 'failed'}")
    return done.stdout


def changed_since(root: Path, ref: str) -> frozenset[str]:
    """Paths (relative to `root`, posix) changed since `ref`, plus untracked files."""
    if not ref or ref.startswith("-"):
        raise ChangedFilesError(f"'{ref}' is not a git revision")
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    changed = _git(root, "diff", "--name-only", "--no-renames", ref, "--").splitlines()
    untracked = _git(root, "ls-files", "--others", "--exclude-standard").splitlines()
    resolved_root = root.resolve()
    paths: set[str] = set()
    for name in changed:
        absolute = (top / name).resolve()
        if absolute.is_relative_to(resolved_root):
            paths.add(absolute.relative_to(resolved_root).as_posix())
    for name in untracked:  # ls-files prints paths relative to the folder it runs in
        absolute = (root / name).resolve()
        if absolute.is_relative_to(resolved_root):
            paths.add(absolute.relative_to(resolved_root).as_posix())
    return frozenset(paths)
