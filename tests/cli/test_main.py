"""The composition root's last line of defence: an unexpected error is one line, exit 2."""

from __future__ import annotations

import pytest

from prodready.cli import main as cli


def _crash(*args: object) -> int:
    raise RuntimeError("unexpected\nsecond line")


def test_internal_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "run_rules", _crash)
    assert cli.main(["rules"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("prodready: internal error: RuntimeError") and "unexpected" in line


def test_interrupt_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_rules", interrupt)
    assert cli.main(["rules"]) == 2
    assert capsys.readouterr().err == "prodready: interrupted\n"
