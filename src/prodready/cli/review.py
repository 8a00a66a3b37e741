"""`prodready review`: settings -> engine -> judge -> renderers -> exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from prodready.analysis.project.serialize import project_to_data
from prodready.cli.formats import RENDERERS, format_for_path
from prodready.config.load import (
    ConfigError,
    check_selectors,
    find_project_config,
    load_config_file,
)
from prodready.config.settings import FailOn, Settings
from prodready.domain.result import ReviewResult, StackItem
from prodready.domain.taxonomy import Severity
from prodready.engine.changed import ChangedFilesError, changed_since
from prodready.engine.discover import PathError
from prodready.engine.run import run_review
from prodready.engine.select import names_a_rule
from prodready.judge.baseline import BaselineError, baseline_text, read_baseline
from prodready.judge.judge import judge
from prodready.judge.verdict import fails
from prodready.report.options import RenderOptions
from prodready.rules.registry import Catalogue
from prodready.rules.registry import discover as discover_rules

EXIT_ERROR = 2


class UsageError(Exception):
    """A command-line problem; its message is printed as one line, exit 2."""


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def add_review_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders (default .)")
    parser.add_argument("--format", choices=sorted(RENDERERS), help="format on standard output")
    parser.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="PATH",
        help=(
            "write a report; format from the extension (.md .json .sarif .html .txt; "
            ".svg: the layer graph); repeatable"
        ),
    )
    parser.add_argument("--config", metavar="FILE", help="settings file instead of pyproject.toml")
    parser.add_argument("--select", type=_csv, help="rule ids, prefixes or names to run")
    parser.add_argument("--extend-select", type=_csv, help="add to the selection")
    parser.add_argument("--ignore", type=_csv, help="rule ids, prefixes or names to skip")
    parser.add_argument("--min-severity", choices=[s.value for s in Severity])
    parser.add_argument("--fail-on", choices=[f.value for f in FailOn])
    parser.add_argument(
        "--baseline", metavar="FILE", help="do not report findings recorded in this baseline"
    )
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0"
    )
    parser.add_argument(
        "--since", metavar="REF", help="report only on files changed since this git revision"
    )
    parser.add_argument(
        "--include-tests", action="store_true", help="review test files too (skipped by default)"
    )
    parser.add_argument(
        "--cache-dir", metavar="DIR", help="keep per-file results here; unchanged files are reused"
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="worker processes (default: one per core; 1: none)"
    )
    parser.add_argument("--quiet", action="store_true", help="only the summary and the verdict")
    parser.add_argument("--no-color", action="store_true", help="never colour the output")


def _settings(args: argparse.Namespace, paths: list[Path], catalogue: Catalogue) -> Settings:
    if args.config:
        settings = load_config_file(Path(args.config))
    else:
        found = find_project_config(paths[0])
        settings = load_config_file(found) if found else Settings()
    known = partial(names_a_rule, catalogue)
    check_selectors(settings, known)
    for option in ("select", "extend_select", "ignore"):
        for key in getattr(args, option) or ():
            if not known(key):
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"{flag}: no rule matches '{key}' (`prodready rules` lists them)")
    changes: dict[str, object] = {}
    if args.select is not None:
        # As in ruff: --select replaces the configured selection, extend-select included.
        changes["select"] = tuple(args.select)
        changes["extend_select"] = tuple(args.extend_select or ())
    elif args.extend_select is not None:
        changes["extend_select"] = (*settings.extend_select, *args.extend_select)
    if args.ignore is not None:
        changes["ignore"] = (*settings.ignore, *args.ignore)
    if args.min_severity:
        changes["min_severity"] = Severity(args.min_severity)
    if args.fail_on:
        changes["fail_on"] = FailOn(args.fail_on)
    if args.cache_dir:
        changes["cache_dir"] = args.cache_dir
    if args.include_tests:
        changes["include_tests"] = True
    if args.jobs is not None:
        if args.jobs < 1:
            raise UsageError("--jobs must be 1 or more")
        changes["jobs"] = args.jobs
    return replace(settings, **changes)  # type: ignore[arg-type]


@dataclass(slots=True)
class _Progress:
    """A progress bar on stderr, shown only on a terminal once a review passes a second."""

    started: float
    enabled: bool
    shown: bool = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        self.shown = True
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")


def _outputs(args: argparse.Namespace) -> list[tuple[Path, str]]:
    outputs: list[tuple[Path, str]] = []
    for raw in args.output:
        path = Path(raw)
        fmt = format_for_path(path)
        if fmt is None:
            known = ", ".join(sorted(RENDERERS))
            raise UsageError(f"cannot tell the format of '{raw}' from its extension ({known})")
        outputs.append((path, fmt))
    return outputs


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _write(result: ReviewResult, outputs: list[tuple[Path, str]]) -> None:
    for path, fmt in outputs:
        _write_text(path, RENDERERS[fmt](result, RenderOptions(color=False)))


def _review(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    outputs = _outputs(args)
    catalogue = discover_rules()
    settings = _settings(args, paths, catalogue)
    baseline = read_baseline(Path(args.baseline)) if args.baseline else frozenset()
    progress = _Progress(time.monotonic(), sys.stderr.isatty())
    raw = run_review(paths, settings, catalogue, progress)
    progress.finish()
    only = changed_since(Path(raw.root), args.since) if args.since else None
    result = judge(
        root=raw.root,
        files=raw.files,
        reviewed=raw.reviewed,
        lines=raw.lines,
        findings=raw.findings,
        suppressions=raw.suppressions,
        notes=raw.notes,
        selected=raw.selected,
        catalogue=catalogue.metas,
        settings=settings,
        stack=tuple(
            StackItem(c.label, c.version, str(c.evidence[0]) if c.evidence else "")
            for c in raw.project.model.stack
        ),
        project=project_to_data(raw.project),
        baseline=frozenset() if args.write_baseline else baseline,
        only_paths=only,
        practices=raw.practices,
    )
    if args.write_baseline:
        findings = [f for issue in result.issues for f in issue.findings]
        _write_text(Path(args.write_baseline), baseline_text(findings))
        print(f"prodready: recorded {len(findings)} finding(s) in {args.write_baseline}")
        return 0
    _write(result, outputs)
    fmt = args.format or "text"
    color = (
        fmt == "text"
        and not args.no_color
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
    )
    sys.stdout.write(RENDERERS[fmt](result, RenderOptions(color=color, quiet=args.quiet)))
    return 1 if fails(result.verdict, result.issues, settings.fail_on) else 0


def run_review_command(args: argparse.Namespace) -> int:
    try:
        return _review(args)
    except (ConfigError, PathError, UsageError, BaselineError, ChangedFilesError) as error:
        print(f"prodready: error: {error}", file=sys.stderr)
        return EXIT_ERROR
