"""Tests of the ./pants launcher: finding Python, the bootstrap lock, recovery.

The slow tests run real bootstraps (pip install from PyPI, pex build) into a
temporary cache folder, the way a fresh machine would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

LAUNCHER = Path("pants").resolve()


def _real_python39() -> Path:
    roots = [os.environ.get("PYENV_ROOT", ""), str(Path.home() / ".pyenv")]
    for root in filter(None, roots):
        found = sorted(Path(root).glob("versions/3.9.*/bin/python3.9"))
        if found:
            return found[-1]
    pytest.skip("no pyenv CPython 3.9 on this machine")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "SOCKGEN_PANTS_CACHE": str(tmp_path / "cache"),
        "SOCKGEN_PANTS_BOOTSTRAP_ONLY": "1",
    }
    env.update(extra)
    return env


def _fake_pyenv(tmp_path: Path) -> Path:
    """A pyenv root holding a broken 3.9.99 and a working 3.9.18 (a link to a real one)."""
    root = tmp_path / "pyenv"
    broken = root / "versions" / "3.9.99" / "bin"
    broken.mkdir(parents=True)
    (broken / "python3.9").write_text("#!/bin/sh\nexit 1\n")
    (broken / "python3.9").chmod(0o755)
    good = root / "versions" / "3.9.18" / "bin"
    good.mkdir(parents=True)
    (good / "python3.9").symlink_to(_real_python39())
    return root


def _run(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LAUNCHER), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_missing_python_from_env_var_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(_env(tmp_path, SOCKGEN_PANTS_PYTHON=str(tmp_path / "nope")))
    assert result.returncode == 1
    assert "SOCKGEN_PANTS_PYTHON=" in result.stderr
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache").exists()


def test_wrong_python_version_from_env_var_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\nexec python3 "$@"\n')
    fake.chmod(0o755)
    result = _run(_env(tmp_path, SOCKGEN_PANTS_PYTHON=str(fake)))
    assert result.returncode == 1
    assert "needs CPython 3.9" in result.stderr
    assert "is CPython 3." in result.stderr


def test_no_python39_anywhere_says_how_to_get_one(tmp_path: Path) -> None:
    # A python3.9 on PATH that does not run, an empty pyenv root and HOME.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "python3.9").write_text("#!/bin/sh\nexit 127\n")
    (shadow / "python3.9").chmod(0o755)
    env = _env(
        tmp_path,
        PATH=f"{shadow}:/usr/bin:/bin",
        HOME=str(tmp_path / "home"),
        PYENV_ROOT=str(tmp_path / "empty-pyenv"),
    )
    result = _run(env)
    assert result.returncode == 1, result.stderr
    assert "no CPython 3.9 found" in result.stderr
    assert "pyenv install 3.9.18" in result.stderr
    assert "bullseye" in result.stderr
    assert "SOCKGEN_PANTS_PYTHON" in result.stderr


@pytest.mark.timeout(900)
def test_killed_bootstrap_is_redone_and_pants_runs(tmp_path: Path) -> None:
    env = _env(tmp_path, PYENV_ROOT=str(_fake_pyenv(tmp_path)))
    proc = subprocess.Popen(
        [str(LAUNCHER)], env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "creating a virtualenv" in line:
            break
    time.sleep(4)  # pip is now installing Pants
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert any("creating a virtualenv" in line for line in seen), seen
    homes = list((tmp_path / "cache").glob("pants-*"))
    homes = [h for h in homes if h.is_dir()]
    assert len(homes) == 1
    assert not (homes[0] / ".complete").exists()

    result = _run(env)
    assert result.returncode == 0, result.stderr
    assert "unfinished bootstrap" in result.stderr
    assert (homes[0] / ".complete").exists()
    # The broken 3.9.99 was skipped for the working 3.9.18 of the same pyenv root.
    chosen = (homes[0] / "python").read_text().strip()
    assert chosen == str(tmp_path / "pyenv" / "versions" / "3.9.18" / "bin" / "python3.9")
    pants = Path(result.stdout.strip())
    assert pants == homes[0] / "venv" / "bin" / "pants"

    # A cached launcher does no work and Pants itself runs.
    again = _run(env)
    assert again.returncode == 0
    assert again.stderr == ""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pants.toml").write_text('[GLOBAL]\npants_version = "2.17.1"\n')
    version = _run(
        {**env, "SOCKGEN_PANTS_BOOTSTRAP_ONLY": ""}, "--no-pantsd", "--version", cwd=project
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "2.17.1"


@pytest.mark.timeout(900)
def test_two_launchers_at_once_bootstrap_once(tmp_path: Path) -> None:
    env = _env(tmp_path, PYENV_ROOT=str(_fake_pyenv(tmp_path)))
    procs = [
        subprocess.Popen(
            [str(LAUNCHER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    logs = [err for _, err in outputs]
    assert sum("bootstrapping Pants 2.17.1 into" in log for log in logs) == 1, logs
    assert sum("waiting for it" in log for log in logs) == 1, logs
    assert outputs[0][0] == outputs[1][0]
    assert Path(outputs[0][0].strip()).exists()
