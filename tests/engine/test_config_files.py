"""Configuration files found beside the code: same ignores as Python files, bounded reads."""

from __future__ import annotations

from pathlib import Path

from prodready.analysis.config_files import MAX_BYTES, MAX_FILES
from prodready.config.settings import Settings
from prodready.domain.finding import Note, NoteKind
from prodready.engine.config_files import read_config_files
from prodready.engine.discover import SourceRef, discover


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def test_config_files_are_discovered_with_the_gitignore_applied(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": ".env\n",
            ".env": "BOT_TOKEN=x\n",
            ".env.example": "BOT_TOKEN=\n",
            "deploy/config.yaml": "a: b\n",
            "node_modules/pkg/config.json": "{}",
            "app/main.py": "",
        },
    )
    found = discover([tmp_path], Settings())
    assert [ref.relative for ref in found.configs] == [".env.example", "deploy/config.yaml"]
    assert [ref.relative for ref in found.files] == ["app/main.py"]
    unignored = discover([tmp_path], Settings(respect_gitignore=False))
    assert ".env" in [ref.relative for ref in unignored.configs]


def test_reads_are_bounded_in_size_and_count(tmp_path: Path) -> None:
    big = tmp_path / "config.yaml"
    big.write_text("a: " + "x" * (MAX_BYTES + 1), encoding="utf-8")
    small = tmp_path / ".env"
    small.write_text("A=1\n", encoding="utf-8")
    refs = [SourceRef(str(big), "config.yaml"), SourceRef(str(small), ".env")]
    notes: list[Note] = []
    read = read_config_files(refs, notes)
    assert [c.path for c in read] == [".env"]
    assert [n.kind for n in notes] == [NoteKind.SKIPPED]
    many = [SourceRef(str(small), f"{i}.env") for i in range(MAX_FILES + 5)]
    assert len(read_config_files(many, [])) == MAX_FILES
    missing = read_config_files([SourceRef(str(tmp_path / "gone.env"), "gone.env")], notes)
    assert missing == () and notes[-1].kind is NoteKind.UNREADABLE
