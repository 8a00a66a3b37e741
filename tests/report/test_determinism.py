"""The same result renders to the same bytes: twice in a row, and across hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from prodready.cli.formats import RENDERERS
from prodready.report.options import RenderOptions
from tests.report.sample import FULL, SAMPLES

REPO = Path(__file__).resolve().parents[2]

_DIGESTS = """
import hashlib
from prodready.cli.formats import RENDERERS
from prodready.report.options import RenderOptions
from tests.report.sample import SAMPLES
for name in sorted(SAMPLES):
    for fmt in sorted(RENDERERS):
        text = RENDERERS[fmt](SAMPLES[name], RenderOptions())
        print(name, fmt, hashlib.sha256(text.encode()).hexdigest())
"""


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_rendering_twice_gives_the_same_bytes(fmt: str, sample: str) -> None:
    render = RENDERERS[fmt]
    assert render(SAMPLES[sample], RenderOptions()) == render(SAMPLES[sample], RenderOptions())


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_notes_order_does_not_matter(fmt: str) -> None:
    shuffled = replace(FULL, notes=tuple(reversed(FULL.notes)))
    render = RENDERERS[fmt]
    assert render(shuffled, RenderOptions()) == render(FULL, RenderOptions())


def _digests(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    run = subprocess.run(
        [sys.executable, "-c", _DIGESTS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_output_does_not_depend_on_the_hash_seed() -> None:
    first = _digests("1")
    assert first.count("\n") == len(SAMPLES) * len(RENDERERS)
    assert _digests("2") == first
