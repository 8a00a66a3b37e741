"""Running the installed command in a subprocess, as users and CI do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A guard against a hang, not a performance assertion.
HANG_GUARD_SECONDS = 300

BAD_SESSION = "import aiohttp\n\n\nasync def fetch():\n    return aiohttp.ClientSession()\n"


def prodready(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "prodready", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a command that failed with exit 2."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("prodready: ")
    return lines[0]
