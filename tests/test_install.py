"""The README's first command works from a fresh copy with nothing but a system Python.

Slow (a virtual environment and a real install): run when JUNIDIAG_INSTALL_TEST=1, as
.ci/run does, with Debian's `/usr/bin/python3` (externally managed) first on PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def readme_first_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```console\n\$ (.+)\n", readme)
    assert found, "the README opens with a console block"
    return found.group(1)


def test_the_readme_opens_with_an_install_that_needs_no_activation() -> None:
    command = readme_first_command()
    assert command.startswith("python3 -m venv .venv && ")
    assert ".venv/bin/junidiag explain" in command


@pytest.mark.skipif(
    not os.environ.get("JUNIDIAG_INSTALL_TEST"), reason="slow: JUNIDIAG_INSTALL_TEST=1 runs it"
)
@pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason="no system Python at /usr/bin/python3")
def test_the_readmes_first_command_answers_with_the_system_python(tmp_path: Path) -> None:
    needed = "import ensurepip, sys, venv; assert sys.version_info >= (3, 11)"
    able = subprocess.run([str(SYSTEM_PYTHON), "-c", needed], capture_output=True)
    if able.returncode != 0:  # what the README names as needed: Python ≥ 3.11 with venv
        pytest.skip("/usr/bin/python3 is older than 3.11 or has no venv (python3-venv)")
    copy = tmp_path / "junidiag"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", "build", "*.egg-info"),
    )
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    done = subprocess.run(
        ["/bin/bash", "-c", readme_first_command()],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "FORTNOX_VAT_NOT_FOUND" in done.stdout
    assert "Could not retrieve/find VAT" in done.stdout  # the English of the message
