"""Destructive operations of Alembic revisions: heads, renames, drops, what they add."""

from __future__ import annotations

from prodready.analysis.project import schema_alembic
from prodready.analysis.project.model import (
    Column,
    Evidence,
    Migration,
    MigrationOp,
    Schema,
    Table,
)
from prodready.analysis.project.schema_destructive import (
    destructive,
    expands,
    heads,
    known,
    still_declared,
)
from tests.analysis.project.schema_helpers import parsed


def _migration(body: str, revision: str = "0002", down: str = '"0001"') -> Migration:
    text = (
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{revision}"\ndown_revision = {down}\n\n\ndef upgrade() -> None:\n' + body
    )
    facts = schema_alembic.extract(parsed(text, f"migrations/versions/{revision}_x.py"))
    return facts.migrations[0]


def test_heads_are_revisions_no_other_names_as_parent() -> None:
    first = Migration("a", (), "a.py")
    second = Migration("b", ("a",), "b.py")
    branch = Migration("c", ("a",), "c.py")
    merge = Migration("d", ("b", "c"), "d.py")
    assert heads([first, second, branch]) == (second, branch)
    assert heads([first, second, branch, merge]) == (merge,)
    assert heads([]) == ()


def test_destructive_ops_skip_what_the_revision_created() -> None:
    migration = _migration(
        '    op.add_column("item", sa.Column("new_id", sa.Uuid()))\n'
        '    op.drop_column("item", "id")\n'
        '    op.alter_column("item", "new_id", new_column_name="id")\n'
        '    op.alter_column("item", "title", new_column_name="name")\n'
        '    op.alter_column("item", "note", nullable=True)\n'
        '    op.rename_table("old", "new")\n'
        '    op.create_table("tmp", sa.Column("id", sa.Integer()))\n'
        '    op.drop_table("tmp")\n'
        '    with op.batch_alter_table("legacy") as batch_op:\n'
        '        batch_op.drop_column("flag")\n'
        '    op.drop_table("legacy")\n'
    )
    found = [(d.kind, d.what, d.detail) for d in destructive(migration)]
    assert found == [
        ("drop column", "item.id", ""),
        ("rename column", "item.title", "name"),
        ("rename table", "old", "new"),
        ("drop column", "legacy.flag", ""),
        ("drop table", "legacy", ""),
    ]
    assert expands(migration, destructive(migration)) == ("item.new_id",)


def test_expands_is_empty_for_a_contract_step() -> None:
    op = MigrationOp("drop_column", "payments", Evidence("m.py", 3), name="amount")
    migration = Migration("0003", ("0002",), "m.py", (op,))
    found = list(destructive(migration))
    assert [d.what for d in found] == ["payments.amount"]
    assert expands(migration, found) == ()


def test_known_tables_are_created_by_a_migration() -> None:
    first = _migration(
        '    op.create_table("pages", sa.Column("id", sa.Integer()))\n', "0001", "None"
    )
    schema = Schema(migrations=(first,))
    assert known(schema, "pages")
    assert not known(schema, "spatial_ref_sys")


def test_a_drop_the_model_still_declares_is_drift() -> None:
    ev = Evidence("models.py", 1)
    users = Table(
        "users", "model", ev, columns=(Column("id", "BigInteger", ev), Column("phone", "", ev))
    )
    schema = Schema(tables=(users,))
    drops = _migration(
        '    op.drop_column("users", "phone")\n'
        '    op.drop_column("users", "email")\n'
        '    op.drop_table("users")\n'
        '    op.drop_table("sessions")\n'
    )
    assert [still_declared(schema, d) for d in destructive(drops)] == [True, False, True, False]
