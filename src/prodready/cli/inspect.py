"""`prodready inspect`: what prodready understood about a project, without judging it."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from prodready.analysis.project.serialize import project_to_data
from prodready.config.load import ConfigError
from prodready.config.settings import Settings
from prodready.engine.discover import PathError
from prodready.engine.run import run_review
from prodready.report.inspect_text import render_inspect_text
from prodready.rules.registry import Catalogue


def run_inspect(path: str, fmt: str) -> int:
    try:
        settings = replace(Settings(), select=(), ruff=False)
        raw = run_review([Path(path)], settings, Catalogue(rules=()))
    except (ConfigError, PathError) as error:
        print(f"prodready: error: {error}", file=sys.stderr)
        return 2
    data = project_to_data(raw.project)
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    else:
        header = f"prodready inspect: {raw.files} files, {raw.lines} lines under {raw.root}\n\n"
        sys.stdout.write(header + render_inspect_text(data))
        for note in raw.notes:
            print(f"note: {note}", file=sys.stderr)
    return 0
