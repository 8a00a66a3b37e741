"""Every rich format of the sample results, compared byte for byte with its golden file."""

from __future__ import annotations

import pytest

from prodready.cli.formats import RENDERERS
from prodready.report.options import RenderOptions
from tests.report.goldens import assert_golden
from tests.report.sample import SAMPLES

SUFFIXES = {"markdown": "md", "json": "json", "sarif": "sarif", "html": "html"}


@pytest.mark.parametrize("fmt", sorted(SUFFIXES))
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_matches_golden(fmt: str, sample: str) -> None:
    text = RENDERERS[fmt](SAMPLES[sample], RenderOptions())
    assert_golden(f"{sample}.{SUFFIXES[fmt]}", text)
