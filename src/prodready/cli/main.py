"""`prodready` command line: review, rules, explain. Exit codes: 0 ok, 1 threshold, 2 error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from prodready import __version__
from prodready.cli.explain import run_explain, run_rules
from prodready.cli.inspect import run_inspect
from prodready.cli.review import add_review_arguments, run_review_command

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (its default) and never a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="prodready",
        description="Deep production-readiness review of async Python backends.",
    )
    parser.add_argument("--version", action="version", version=f"prodready {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    review = commands.add_parser("review", help="review a project and give a verdict")
    add_review_arguments(review)
    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    explain = commands.add_parser("explain", help="the full texts of one rule")
    explain.add_argument("rule", help="rule id (RES001) or name (aiohttp-session-without-timeout)")
    inspect = commands.add_parser("inspect", help="show what prodready understood of a project")
    inspect.add_argument("path", nargs="?", default=".")
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _tolerant_streams() -> None:
    """File names that are not valid UTF-8 must print, not raise UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "review":
            return run_review_command(args)
        if args.command == "rules":
            return run_rules(args.format)
        if args.command == "explain":
            return run_explain(args.rule)
        if args.command == "inspect":
            return run_inspect(args.path, args.format)
    except KeyboardInterrupt:
        print("prodready: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the user gets one line, never a traceback
        first = str(error).strip().splitlines()
        detail = f": {first[0]}" if first else ""
        print(
            f"prodready: internal error: {type(error).__name__}{detail} "
            "(a prodready bug; please report it with the command you ran)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    parser.print_help()
    return EXIT_ERROR
