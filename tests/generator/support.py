"""Helpers for the generator's tests: the shared corpus, generating, importing."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sockgen.generate import Generated, generate

CONFIGS = Path(__file__).parent / "configs"


def corpus_dir() -> Path:
    """``$SOCKGEN_CORPUS_DIR`` (Pants sets it to ../shared/corpus). Skips when absent, fails under CI."""
    value = os.environ.get("SOCKGEN_CORPUS_DIR", "")
    path = Path(value) if value else Path(__file__).resolve().parents[3] / "shared" / "corpus"
    if not path.is_dir():
        reason = f"shared corpus not found at {path} (set SOCKGEN_CORPUS_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must have it")
        pytest.skip(reason)
    return path


#: Every spec of the corpus, with the config it needs and the package name to use.
CORPUS_CASES: list[tuple[str, str | None, str]] = [
    ("chanx-fastapi-asyncapi3.json", None, "chanx_fastapi"),
    ("deepgram-asyncapi26.yaml", None, "deepgram"),
    ("elevenlabs-tts-asyncapi26.yaml", None, "elevenlabs_tts"),
    ("gemini-asyncapi26.yaml", None, "gemini26"),
    ("gemini-asyncapi3.yaml", None, "gemini3"),
    ("hoppscotch-echo-asyncapi3/asyncapi.yaml", None, "hoppscotch_echo"),
    ("kraken-multichannel-asyncapi3.yaml", None, "kraken"),
    ("slack-rtm-asyncapi26.yaml", None, "slack_rtm26"),
    ("slack-rtm-asyncapi3.yaml", None, "slack_rtm3"),
    ("openai-openapi.yaml", "openai-realtime.yaml", "openai_realtime"),
]


def write(result: Generated, out: Path) -> Path:
    for rel, text in result.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


def generate_corpus(spec: str, config: str | None, package: str, out: Path) -> Generated:
    corpus = corpus_dir()
    result = generate(corpus / spec, CONFIGS / config if config else None, package)
    write(result, out)
    return result


def import_all(root: Path, package: str) -> dict[str, ModuleType]:
    """Import every module of a generated package found under ``root``."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        top = importlib.import_module(package)
        modules = {package: top}
        for info in pkgutil.walk_packages(top.__path__, package + "."):
            modules[info.name] = importlib.import_module(info.name)
        return modules
    finally:
        sys.path.remove(str(root))


def run_mypy(
    cwd: Path, *targets: str, path: tuple[str, ...] | list[str] = ()
) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` in a fresh process, with sockgen_runtime (and ``path``) importable."""
    import sockgen_runtime

    runtime = str(Path(sockgen_runtime.__file__).parent.parent)
    env = {**os.environ, "MYPYPATH": os.pathsep.join([*path, runtime])}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(cwd / ".mypy"),
            *targets,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
