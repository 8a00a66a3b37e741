from __future__ import annotations

import ast

from prodready.rules.authorization import (
    body_checks,
    checks_identity,
    has_effect,
    is_state_filter,
    privileged,
    state_groups,
)


def _function(text: str) -> ast.AsyncFunctionDef:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.AsyncFunctionDef)
    return node


def test_privileged_names() -> None:
    for name in ("admin_panel", "broadcast", "cmd_ban", "giveBalance", "set_balance", "рассылка"):
        assert privileged(name), name
    for name in ("contact_admin", "ban_notify", "not_superuser", "banner", "my_stats", "start"):
        assert privileged(name) is None, name


def test_identity_checks_in_filters() -> None:
    for text in ("F.from_user.id.in_(ADMINS)", "IsAdmin()", "is_admin=True", "user_id=ADMINS"):
        assert checks_identity(text), text
    assert checks_identity("filters.User(user_id=ADMIN_IDS)")
    assert not checks_identity("F.data == 'admin_stats'")
    assert not checks_identity("Command('ban')")


def test_state_filters() -> None:
    groups = state_groups([("bot.states.Mailing", ("aiogram.fsm.state.StatesGroup",))])
    assert groups == frozenset({"Mailing"})
    assert is_state_filter("Mailing.text", groups)
    assert is_state_filter("StateFilter(Form.name)")
    assert is_state_filter("state=Form.name")
    assert not is_state_filter("CustomFilters.is_group", groups)
    assert not is_state_filter("F.text == 'Mailing.text'", groups)


def test_checks_in_the_body_and_effects() -> None:
    guarded = _function(
        "async def ban(message):\n"
        "    if message.from_user.id not in ADMINS:\n"
        "        return\n"
        "    await message.chat.ban(1)\n"
    )
    assert body_checks(guarded) and has_effect(guarded)
    menu = _function("async def admin(message):\n    await message.answer('menu')\n")
    assert not body_checks(menu) and not has_effect(menu)
    cosmetic = _function(
        "async def admin_delete(callback):\n"
        "    await callback.message.delete()\n"
        "    await callback.message.bot.delete_message(1, 2)\n"
    )
    assert not has_effect(cosmetic)
    loop = _function(
        "async def broadcast(bot, ids):\n"
        "    for i in ids:\n"
        "        await bot.send_message(i, 'x')\n"
    )
    assert has_effect(loop)
    dialogue = _function("async def start(message, state):\n    await state.set_state(S.text)\n")
    assert has_effect(dialogue)
    ptb = _function("async def entry(update, context):\n    return TEXT\n")
    assert has_effect(ptb)
