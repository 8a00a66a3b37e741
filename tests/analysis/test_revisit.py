"""Project rules walk a file again with its semantic model kept current, then left clean."""

from __future__ import annotations

import ast

from prodready.analysis.project.build import build_project, file_facts
from prodready.analysis.revisit import (
    call_site_arguments,
    call_to,
    current_function_name,
    function_at,
    walk_semantic,
)
from prodready.analysis.source import ParsedFile, ParsedFiles
from tests.analysis.project.helpers import parse_file

CODE = """
class Notifier:
    async def send_all(self, bot, chat_ids):
        for chat_id in chat_ids:
            await bot.send_message(chat_id, "hi")


async def helper(bot, chat_ids, text):
    return chat_ids


async def caller(bot, notifier: Notifier):
    await helper(bot, [1, 2], "x")
    await helper(bot, chat_ids=admins(), text="y")
    await notifier.send_all(bot, users)
"""


def _files(*parsed: ParsedFile) -> ParsedFiles:
    return ParsedFiles(
        [p.source.path for p in parsed], {p.source.path: p for p in parsed}, lambda _: None
    )


def test_walk_keeps_the_current_node_and_leaves_the_model_clean() -> None:
    parsed = parse_file(CODE, "app.notify")
    names = []
    for node in walk_semantic(parsed):
        assert parsed.semantic.current is node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            names.append(current_function_name(parsed))
    assert names == ["app.notify.Notifier.send_all", "app.notify.caller"]
    assert parsed.semantic.current is None and not parsed.semantic.ancestors


def test_an_abandoned_walk_also_leaves_the_model_clean() -> None:
    parsed = parse_file(CODE, "app.notify")
    walk = walk_semantic(parsed)
    next(walk)
    next(walk)
    walk.close()
    assert parsed.semantic.current is None and not parsed.semantic.ancestors


def test_function_at_finds_the_def_on_its_line() -> None:
    parsed = parse_file(CODE, "app.notify")
    found = function_at(parsed, 8)
    assert found is not None and found.name == "helper"
    assert function_at(parsed, 9) is None


def test_call_site_arguments_by_position_and_keyword() -> None:
    parsed = parse_file(CODE, "app.notify")
    project = build_project([file_facts(parsed)])
    files = _files(parsed)
    passed = call_site_arguments(project, files, "app.notify.helper", 1, "chat_ids")
    assert [ast.unparse(a) for a in passed if a is not None] == ["[1, 2]", "admins()"]
    method = call_site_arguments(project, files, "app.notify.Notifier.send_all", 2, "chat_ids")
    assert [ast.unparse(a) for a in method if a is not None] == ["users"]


def test_call_to_finds_the_call_by_its_last_name() -> None:
    parsed = parse_file(CODE, "app.notify")
    caller = function_at(parsed, 12)
    assert caller is not None and caller.name == "caller"
    site = call_to(caller, "app.notify.Notifier.send_all")
    assert site is not None and ast.unparse(site.func) == "notifier.send_all"
    assert call_to(caller, "app.notify.missing") is None


def test_what_the_project_rules_derive_is_computed_once_per_review() -> None:
    files = _files()
    calls: list[int] = []

    def derive() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert files.memoized("key", derive) == [1]
    assert files.memoized("key", derive) == [1]
    assert files.memoized("other", derive) == [2]
    assert len(calls) == 2
