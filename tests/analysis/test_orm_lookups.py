import ast

from prodready.analysis.orm_lookups import equality_lookups, referenced_names
from prodready.analysis.project.schema_names import key_kind
from prodready.rules.rows import growing_table


def lookups(code: str) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    return [(line, keys) for line, keys, _ in equality_lookups(ast.parse(code))]


def test_where_filter_and_filter_by_are_collected_with_their_companions() -> None:
    found = lookups(
        "a = select(User).where(User.email == e)\n"
        "b = session.query(Payment).filter(Payment.a == 1, and_(Payment.b == x))\n"
        "c = select(User).filter_by(token=t, lang='en')\n"
    )
    assert found == [
        (1, (("User", "email"),)),
        (2, (("Payment", "a"), ("Payment", "b"))),
        (3, (("User", "token"), ("User", "lang"))),
    ]


def test_ranges_ors_gets_and_unknown_heads_are_not_lookups() -> None:
    found = lookups(
        "a = select(User).where(User.age > 3)\n"
        "b = select(User).where(or_(User.a == 1, User.b == 2))\n"
        "c = await session.get(User, 1)\n"
        "d = items.filter_by(name=n)\n"
        "e = select(User).where(user.id == 3)\n"
    )
    assert found == []


def test_growing_tables() -> None:
    assert growing_table("users") and growing_table("PaymentLog")
    assert not growing_table("payment_methods") and not growing_table("catalog")
    assert not growing_table("logins") and not growing_table("user_roles")


def test_bulk_updates_and_deletes_are_not_lookups() -> None:
    found = lookups(
        "a = update(Review).where(Review.image_id == old).values(image_id=new)\n"
        "b = delete(Log).where(Log.chat_id == c)\n"
        "c = session.query(User).filter(User.email == e).update({'x': 1})\n"
    )
    assert found == [(3, (("User", "email"),))]


def test_key_kinds() -> None:
    from prodready.analysis.project.model import Column, Evidence

    here = Evidence("m.py", 1)
    assert key_kind(Column("a", "BigInteger", here)) == "big"
    assert key_kind(Column("a", "UUID(as_uuid=True)", here)) == "uuid"
    assert key_kind(Column("a", "String(64)", here)) == "str"
    assert key_kind(Column("a", "", here, python_type="int | None")) == "int"
    assert key_kind(Column("a", "", here)) == ""


def test_lookups_name_their_undecorated_function() -> None:
    code = (
        "async def by_name(s, n):\n"
        "    return await s.scalar(select(User).where(User.name == n))\n"
        "@router.message()\n"
        "async def handler(m):\n"
        "    await s.scalar(select(User).where(User.code == m.text))\n"
    )
    found = equality_lookups(ast.parse(code))
    assert [(line, function) for line, _, function in found] == [(2, "by_name"), (5, "")]


def test_referenced_names_skip_tests_and_main_blocks() -> None:
    code = (
        "def test_it():\n    repo.by_phone(1)\n"
        "if __name__ == '__main__':\n    by_code(2)\n"
        "async def handler():\n    await repo.by_name(3)\n"
    )
    names = referenced_names(ast.parse(code))
    assert "by_name" in names and "repo" in names
    assert "by_phone" not in names and "by_code" not in names
