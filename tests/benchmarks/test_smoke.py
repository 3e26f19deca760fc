"""The benchmark suite with a tiny N, so that it cannot rot. It prints; it asserts nothing about speed."""

from __future__ import annotations

import contextlib
import io

from benchmarks import bench, micro, voice


def test_the_suite_runs_and_prints_every_table() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert bench.main(["--n", "300", "--send-n", "200", "--runs", "1"]) == 0
    text = out.getvalue()
    print(text)
    for row in [*(label for label, _ in bench.RECEIVE.values()), *bench.SEND.values()]:
        assert f"| {row}" in text, row
    for line in (
        "Receive: 300 frames",
        "Send: 200 messages",
        "Generation: wall time",
        "synthetic, 1000 event types",
        "growth 10 -> 1000 events",
        "sockgen async iteration vs Chanx",
        "sockgen on picows vs websockets + validate_json",
    ):
        assert line in text, line


def test_the_voice_workload_runs_and_prints_its_table() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert voice.main(["--chunks", "200", "--runs", "1"]) == 0
    text = out.getvalue()
    print(text)
    assert "Voice: 200 chunks of 3,200 bytes up" in text
    for label, _, _ in voice.CLIENTS.values():
        assert f"| {label}" in text, label


def test_the_stub_socket_benchmark_runs_and_prints_its_table() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        micro.main(["--n", "300", "--rounds", "1"])
    text = out.getvalue()
    print(text)
    for name in (
        "hand-written: async for",
        "sockgen async for",
        "sockgen on()",
        "sockgen sync for",
    ):
        assert f"| {name}" in text, name
