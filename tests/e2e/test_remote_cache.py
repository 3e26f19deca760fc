"""Two clones, one REAPI cache: the second machine regenerates nothing.

BuildGrid (build-support/remote-cache/buildgrid.sh) serves the cache on a free
port of 127.0.0.1. Clone A runs export-codegen and check with the remote cache
on (pants.remote-cache.toml) and a private, empty local store and named caches;
clone B, in another folder with its own empty stores, runs the same goals. B
must read every generator run and the generator PEX's build from the remote
cache. The evidence is Pants' own: its --stats-log counters (remote cache
requests, hits, misses) and its debug log's "remote cache hit/miss for: <process>"
lines, one per lookup (not --keep-sandboxes, which also keeps the sandboxes of
local runs that a remote hit cancelled). A hit on B also shows that the
generator's process (argv, env, inputs) is the same from two folders: the
action digest is the cache key.

The only misses are mypy's: Pants 2.17's mypy rule puts a hash of the build
root's absolute path in its cache folder's name, inside the process's script,
so mypy runs never hit from another folder (docs/remote-cache.md).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
from e2e.workspace import copy_repository

pytestmark = pytest.mark.timeout(3000)

GOALS = ("export-codegen", "specs::", "check", "src/python/chatbridge::", "tests/chatbridge::")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def counters(stderr: str) -> dict[str, int]:
    """Pants' --stats-log counters (``  name: value`` lines after ``Counters:``)."""
    block = stderr.split("Counters:", 1)[1].split("\n\n", 1)[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^\s+(\w+): (\d+)$", block, re.MULTILINE)}


def lookups(stderr: str, outcome: str) -> list[str]:
    """The processes the remote cache had (``hit``) or lacked (``miss``), one per lookup."""
    return re.findall(rf'remote cache {outcome} for: "([^"]+)"', stderr)


def run_clone(folder: Path, address: str) -> subprocess.CompletedProcess[str]:
    """export-codegen and check in ``folder``, with nothing cached on this "machine"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    env["PANTS_CONFIG_FILES"] = "+['pants.remote-cache.toml']"
    result = subprocess.run(
        [
            "./pants",
            "--no-pantsd",
            "--no-dynamic-ui",
            f"--remote-store-address={address}",
            f"--local-store-dir={folder.parent / (folder.name + '-store')}",
            f"--named-caches-dir={folder.parent / (folder.name + '-named-caches')}",
            "--stats-log",
            "-ldebug",  # the remote cache's hit/miss lines
            *GOALS,
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=2400,
    )
    if result.returncode != 0:
        pytest.fail(f"./pants {' '.join(GOALS)} failed in {folder.name}:\n{result.stderr[-6000:]}")
    return result


def test_a_second_clone_reads_every_generator_run_from_the_remote_cache(tmp_path: Path) -> None:
    script = Path(os.environ["SOCKGEN_BUILDROOT"]) / "build-support/remote-cache/buildgrid.sh"
    port = str(free_port())
    started = subprocess.run(
        ["bash", str(script), "start", port], capture_output=True, text=True, timeout=900
    )
    assert started.returncode == 0, started.stderr
    try:
        address = started.stdout.strip().splitlines()[-1]
        assert address == f"grpc://127.0.0.1:{port}"
        a = run_clone(copy_repository(tmp_path / "a"), address)
        first = counters(a.stderr)
        assert first["remote_cache_requests_uncached"] > 0  # the cache started empty
        assert first["remote_cache_write_successes"] > 0
        b = run_clone(copy_repository(tmp_path / "b"), address)
        second = counters(b.stderr)
        hits, misses = lookups(b.stderr, "hit"), lookups(b.stderr, "miss")
        print("clone A:", first, "\nclone B:", second, "\nB's misses:", misses)
        # B ran none of the generator's processes: every one was a remote hit
        generated = sorted(h for h in hits if h.startswith("Generate "))
        assert generated == [
            "Generate chat_sdk from specs/chat/chat.asyncapi.yaml (specs:chat_sdk)",
            "Generate feed_sdk from specs/feed/feed.openapi.yaml (specs:feed_sdk)",
        ], hits
        assert "Build the sockgen generator" in hits, hits
        assert not [m for m in misses if m.startswith(("Generate ", "Build the sockgen"))]
        # and the only misses are mypy's (its cache folder names the build root)
        assert all(m.startswith("Run MyPy on ") for m in misses), misses
        assert second["remote_cache_requests_cached"] == len(hits), (second, hits)
        assert second["remote_cache_requests_uncached"] == len(misses), (second, misses)
        assert second["remote_cache_requests"] == len(hits) + len(misses)
        assert second.get("remote_cache_read_errors", 0) == 0, second
        assert second["local_execution_requests"] < first["local_execution_requests"], second
        out = tmp_path / "b" / "dist" / "codegen" / "specs"
        assert (out / "chat_sdk" / "room" / "connection.py").is_file()
        assert (out / "feed_sdk" / "feed" / "connection.py").is_file()
    finally:
        subprocess.run(["bash", str(script), "stop", port], capture_output=True, timeout=60)
