"""The sockgen CLI: flags, errors without tracebacks, safety of --output, determinism."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sockgen
from sockgen.cli import main

CHAT = Path("specs/chat/chat.asyncapi.yaml").resolve()
FEED = Path("specs/feed/feed.openapi.yaml").resolve()
FEED_CONFIG = Path("specs/feed/stainless.yaml").resolve()


def run_module(
    *args: str, cwd: Path | None = None, seed: str = "0"
) -> subprocess.CompletedProcess[str]:
    """``python -m sockgen`` in a fresh process, with src/python (wherever it is) on the path."""
    root = str(Path(sockgen.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *sys.path]), "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "sockgen", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generate_client_writes_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(
            [
                "generate-client",
                "--schema",
                str(FEED),
                "--config",
                str(FEED_CONFIG),
                "--output",
                str(out),
                "--no-format",
            ]
        )
        == 0
    )
    files = digest(out)
    assert (
        "pyproject.toml" in files
        and "feed_sdk/feed/connection.py" in files
        and "feed_sdk/README.md" in files
    )
    pyproject = (out / "pyproject.toml").read_text()
    assert "[project.optional-dependencies]\nrealtime = [" in pyproject
    assert "wrote feed_sdk (1 channels, 6 event types)" in capsys.readouterr().out


def test_no_readme_and_package_override(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert (
        main(
            [
                "generate-client",
                "-s",
                str(CHAT),
                "-o",
                str(out),
                "--no-readme",
                "--package",
                "acme_chat",
                "--no-format",
            ]
        )
        == 0
    )
    assert (out / "acme_chat" / "room" / "connection.py").exists()
    assert not (out / "acme_chat" / "README.md").exists()


def test_bad_spec_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.asyncapi.yaml"
    bad.write_text(
        "asyncapi: 3.0.0\nchannels:\n  a:\n    address: /x\n    messages:\n      m: {$ref: '#/nope'}\n"
    )
    result = run_module("generate-client", "--schema", str(bad), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "sockgen: error: bad.asyncapi.yaml:6:10 (at /channels/a/messages/m): "
        "$ref '#/nope' points to nothing: no 'nope' in bad.asyncapi.yaml#"
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written on error


def test_missing_file_and_bad_url(tmp_path: Path) -> None:
    assert run_module(
        "generate-client", "-s", str(tmp_path / "gone.yaml"), "-o", str(tmp_path)
    ).stderr.strip() == ("sockgen: error: gone.yaml: file not found")
    result = run_module("generate-client", "-s", "ftp://example.com/x.yaml", "-o", str(tmp_path))
    assert result.returncode == 2 and "unsupported schema URL" in result.stderr


def test_clear_output_refuses_a_folder_sockgen_did_not_write(tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = run_module("generate-client", "-s", str(CHAT), "-o", str(precious), "--clear-output")
    assert result.returncode == 2 and "--clear-output refused" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_regeneration_keeps_base_files_and_clears_stale_channels(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "generate-client",
        "-s",
        str(CHAT),
        "-o",
        str(out),
        "--package",
        "chat_sdk",
        "--no-format",
    ]
    assert main(args) == 0
    (out / "pyproject.toml").write_text("# customised\n")
    stale = out / "chat_sdk" / "old_channel"
    stale.mkdir()
    (stale / "connection.py").write_text("")
    assert main([*args, "--no-clear-channels"]) == 0
    assert stale.exists() and (out / "pyproject.toml").read_text() == "# customised\n"
    assert main(args) == 0
    assert not stale.exists() and (out / "pyproject.toml").read_text() == "# customised\n"
    assert main([*args, "--override-base"]) == 0
    assert (out / "pyproject.toml").read_text().startswith("[build-system]")
    assert main([*args, "--clear-output"]) == 0  # its own output: allowed
    assert (out / "pyproject.toml").read_text().startswith("[build-system]")


def test_output_is_byte_identical_whatever_the_cwd_and_hash_seed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    common = ["generate-client", "-s", str(FEED), "-c", str(FEED_CONFIG), "--no-format", "-q"]
    assert run_module(*common, "-o", str(a), seed="1").returncode == 0
    assert run_module(*common, "-o", str(b), cwd=elsewhere, seed="4242").returncode == 0
    assert digest(a) == digest(b)
    for path in a.rglob("*.py"):
        text = path.read_text()
        assert str(tmp_path) not in text and "/work/" not in text and "/root" not in text


def test_schema_from_an_http_url(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FEED.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/feed.openapi.yaml"
        out = tmp_path / "out"
        assert (
            main(
                [
                    "generate-client",
                    "-s",
                    url,
                    "-c",
                    str(FEED_CONFIG),
                    "-o",
                    str(out),
                    "--no-format",
                ]
            )
            == 0
        )
        assert (out / "feed_sdk" / "feed" / "connection.py").exists()
        missing = run_module(
            "generate-client", "-s", url.replace("feed.openapi", "nope"), "-o", str(out)
        )
        assert missing.returncode == 2 and "cannot fetch http://127.0.0.1" in missing.stderr
    finally:
        httpd.shutdown()


def test_inspect_shows_the_side_its_evidence_and_each_channels_events(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inspect", str(CHAT)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "chat.asyncapi.yaml: Chat 1.0.0"
    assert lines[1] == "  written from the server's side (decided on the evidence below)"
    assert "    - 'join' is confirmed by 'joined' (at /components/messages/join, weight 2)" in out
    assert "  evidence for the client's side (total 0):\n    (none)" in out
    channel = out[out.index("channel 'room'") :]
    assert channel.splitlines()[:5] == [
        "channel 'room' -> chat_sdk.room",
        "  address: /ws/rooms/{room_id}",
        "  path parameters: room_id (str, required)",
        "  query parameters: none",
        "  client sends (3):",
    ]
    assert "    join [action='join'] -> JoinMessage" in channel
    server = channel[channel.index("  server sends (4):") :]
    assert "    message_received [action='message_received'] -> MessageReceived" in server
    assert "    join [" not in server


def test_inspect_of_a_config_driven_openapi_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FEED), "--config", str(FEED_CONFIG)]) == 0
    out = capsys.readouterr().out
    assert "written from" not in out  # the config says which events go which way
    assert "  query parameters: token (str, required), channel (str), compact (bool)" in out


def test_inspect_of_a_bad_spec_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("asyncapi: 3.0.0\nchannels: [1\n")
    assert main(["inspect", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sockgen: error: bad.yaml:") and len(err.strip().splitlines()) == 1
