"""A copy of this repository for ./pants to run in, as a user's clone would be.

Standard library only: the scale benchmark (tests/benchmarks/scale.py) uses it too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def buildroot() -> Path:
    """This repository: $SOCKGEN_BUILDROOT (pants.toml [test] sets it), else this file's."""
    root = Path(os.environ.get("SOCKGEN_BUILDROOT") or Path(__file__).resolve().parents[2])
    if not (root / "pants.toml").is_file():
        raise RuntimeError(f"{root} is not this repository (set SOCKGEN_BUILDROOT)")
    return root


def copy_repository(dest: Path) -> Path:
    """The files git knows of in :func:`buildroot` (tracked, or untracked and not ignored),
    copied to ``dest``."""
    source = buildroot()
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, files.split("\0")):
        src = source / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest
