"""What one file yields is plain data that can cross a process boundary (future workers)."""

from __future__ import annotations

import pickle
from pathlib import Path

from prodready.engine.analyse import analyse_file
from prodready.engine.discover import SourceRef
from prodready.engine.dispatch import DispatchTable
from prodready.rules.registry import discover

TABLE = DispatchTable.of(discover().file_rules)


def test_per_file_results_are_picklable_even_for_deep_code(tmp_path: Path) -> None:
    path = tmp_path / "deep.py"
    nested = "[" * 199 + "aiohttp.ClientSession()" + "]" * 199
    path.write_text(f"import aiohttp\nx = {nested}\ny = {'+'.join(['1'] * 900)}\n", "utf-8")
    analysis = analyse_file(SourceRef(str(path), "deep.py"), "deep", False, TABLE)
    assert analysis.parsed is not None and not analysis.notes
    plain = (analysis.findings, analysis.notes, analysis.suppressions, analysis.facts)
    assert pickle.loads(pickle.dumps(plain)) == plain
