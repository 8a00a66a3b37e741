"""The command line end to end: version, catalogue, explain, review options and exit codes."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from prodready import __version__
from tests.cli.run import BAD_SESSION, one_error_line, prodready, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path, {"svc/client.py": BAD_SESSION, "svc/__init__.py": ""})


def test_version(tmp_path: Path) -> None:
    done = prodready("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"prodready {__version__}")


def test_the_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("prodready")
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"prodready {__version__}")


def test_no_command_prints_help_and_exits_2(tmp_path: Path) -> None:
    done = prodready(cwd=tmp_path)
    assert done.returncode == 2
    assert "review" in done.stdout


def test_unknown_option_exits_2_without_traceback(tmp_path: Path) -> None:
    done = prodready("review", "--no-such-option", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_rules_lists_the_catalogue(tmp_path: Path) -> None:
    done = prodready("rules", cwd=tmp_path)
    assert done.returncode == 0
    assert "RES001" in done.stdout and "aiohttp-session-without-timeout" in done.stdout


@pytest.mark.parametrize("key", ["RES001", "res001", "aiohttp-session-without-timeout"])
def test_explain_by_id_or_name(tmp_path: Path, key: str) -> None:
    done = prodready("explain", key, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "RES001" in done.stdout and "ClientTimeout" in done.stdout


def test_explain_unknown_rule_exits_2(tmp_path: Path) -> None:
    assert "NOPE" in one_error_line(prodready("explain", "NOPE", cwd=tmp_path))


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        (None, 0),
        ("not-ready", 0),
        ("with-fixes", 0),
        ("blocker", 0),
        ("critical", 0),
        ("major", 1),
        ("minor", 1),
        ("never", 0),
    ],
)
def test_review_exit_codes_follow_fail_on(project: Path, fail_on: str | None, code: int) -> None:
    args = ["review", ".", "--select", "RES001", *(["--fail-on", fail_on] if fail_on else [])]
    done = prodready(*args, cwd=project)
    assert done.returncode == code, done.stderr
    assert done.stderr == ""
    assert "svc/client.py:5:12" in done.stdout


def test_fail_on_from_the_config(project: Path) -> None:
    write(project, {"pyproject.toml": '[tool.prodready]\nfail-on = "major"\n'})
    assert prodready("review", "--select", "RES001", cwd=project).returncode == 1
    done = prodready("review", "--select", "RES001", "--fail-on", "never", cwd=project)
    assert done.returncode == 0


def test_config_above_the_current_folder_applies(project: Path) -> None:
    write(project, {"pyproject.toml": '[tool.prodready]\nfail-on = "major"\n'})
    assert prodready("review", ".", "--select", "RES001", cwd=project / "svc").returncode == 1


def test_per_file_ignores_and_excludes_from_the_config(project: Path) -> None:
    write(project, {"gen/client.py": BAD_SESSION, "scripts/client.py": BAD_SESSION})
    config = (
        '[tool.prodready]\nextend-exclude = ["gen/"]\n'
        'per-file-ignores = { "scripts/*.py" = ["aiohttp-session-without-timeout"] }\n'
    )
    write(project, {"pyproject.toml": config})
    for cwd, shown in ((project, "svc/client.py:5"), (project / "svc", "client.py:5")):
        out = prodready("review", ".", "--select", "RES001", cwd=cwd).stdout
        assert shown in out
        assert "gen/" not in out and "scripts/" not in out
    out = prodready("review", "scripts", "--select", "RES001", cwd=project).stdout
    assert "client.py:5" not in out and "(1 suppressed)" in out


def test_clean_project_passes(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "import aiohttp\nT = aiohttp.ClientTimeout(total=5)\n"})
    done = prodready("review", "--select", "RES001", "--fail-on", "minor", cwd=tmp_path)
    assert done.returncode == 0
    assert "Verdict: Production-ready" in done.stdout


def test_review_defaults_to_the_current_folder(project: Path) -> None:
    done = prodready("review", "--select", "RES001", cwd=project / "svc")
    assert "client.py:5:12" in done.stdout


def test_select_and_ignore(project: Path) -> None:
    selected = prodready("review", "--select", "RES", cwd=project)
    assert "RES001" in selected.stdout
    for ignore in ("RES001", "aiohttp-session-without-timeout", "RES"):
        done = prodready("review", "--select", "RES001", "--ignore", ignore, cwd=project)
        assert done.returncode == 0
        assert "client.py:5" not in done.stdout, ignore


def test_ignore_adds_to_the_config(project: Path) -> None:
    write(project, {"pyproject.toml": '[tool.prodready]\nselect = ["RES001", "QUAL9"]\n'})
    done = prodready("review", "--ignore", "QUAL9", cwd=project)
    assert "client.py:5" in done.stdout
    done = prodready("review", "--ignore", "RES001", cwd=project)
    assert "client.py:5" not in done.stdout


def test_select_on_the_command_line_replaces_the_configured_selection(project: Path) -> None:
    write(project, {"pyproject.toml": '[tool.prodready]\nextend-select = ["QUAL9"]\n'})
    write(project, {"svc/other.py": "x = 1  # prodready: ignore[RES001] stale\n"})
    assert "QUAL901" in prodready("review", cwd=project).stdout
    done = prodready("review", "--select", "RES001", cwd=project)
    assert "QUAL901" not in done.stdout and "client.py:5" in done.stdout
    done = prodready("review", "--select", "RES001", "--extend-select", "QUAL901", cwd=project)
    assert "QUAL901" in done.stdout


def test_unknown_selector_on_the_command_line_exits_2(project: Path) -> None:
    line = one_error_line(prodready("review", "--select", "RES001,NOPE", cwd=project))
    assert "--select" in line and "NOPE" in line


def test_min_severity_hides_less_severe_issues(project: Path) -> None:
    done = prodready("review", "--select", "RES001", "--min-severity", "critical", cwd=project)
    assert done.returncode == 0 and "client.py:5" not in done.stdout


def test_quiet_keeps_the_summary_and_the_verdict(project: Path) -> None:
    done = prodready("review", "--select", "RES001", "--quiet", cwd=project)
    assert "client.py:5:12" not in done.stdout
    assert "Verdict:" in done.stdout


def test_no_escape_codes_when_not_a_terminal(project: Path) -> None:
    for extra in ([], ["--no-color"]):
        done = prodready("review", "--select", "RES001", *extra, cwd=project)
        assert "\x1b[" not in done.stdout


def _on_a_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    with subprocess.Popen(
        [sys.executable, "-m", "prodready", *args],
        cwd=cwd,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=environment,
    ) as process:
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color(project: Path) -> None:
    assert "\x1b[" in _on_a_terminal(project, "review", "--select", "RES001")
    assert "\x1b[" not in _on_a_terminal(project, "review", "--select", "RES001", "--no-color")
    plain = _on_a_terminal(project, "review", "--select", "RES001", env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain


def test_output_file_in_the_format_of_its_extension(project: Path) -> None:
    done = prodready("review", "--select", "RES001", "-o", "out/report.txt", cwd=project)
    assert done.returncode == 2  # the folder does not exist
    (project / "out").mkdir()
    done = prodready("review", "--select", "RES001", "-o", "out/report.txt", cwd=project)
    assert done.returncode == 0, done.stderr
    written = (project / "out" / "report.txt").read_text(encoding="utf-8")
    assert written == done.stdout
    assert "\x1b[" not in written


def test_output_with_an_unknown_extension_exits_2_before_reviewing(project: Path) -> None:
    line = one_error_line(prodready("review", "-o", "report.docx", cwd=project))
    assert "report.docx" in line
    assert not (project / "report.docx").exists()


def test_unwritable_output_exits_2(project: Path) -> None:
    (project / "taken.txt").mkdir()
    assert "taken.txt" in one_error_line(
        prodready("review", "--select", "RES001", "-o", "taken.txt", cwd=project)
    )
    line = one_error_line(
        prodready("review", "--select", "RES001", "-o", "missing/dir/r.txt", cwd=project)
    )
    assert "missing/dir/r.txt" in line


def test_missing_path_exits_2(project: Path) -> None:
    line = one_error_line(prodready("review", "no/such/folder", cwd=project))
    assert "no/such/folder" in line and "does not exist" in line


def test_closed_standard_output_is_not_a_traceback(project: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "prodready", "review", "--select", "RES001"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        errors = process.stderr.read().decode()
        process.wait()
    assert "Traceback" not in errors and "Exception ignored" not in errors
