"""End to end: ./pants over specs/ in a copy of this repository, as a user runs it.

export-codegen, the downstream app's tests (generated clients against a real
server), check, package (and a fresh virtualenv that installs and imports the
wheels), incremental codegen (edit one of several specs: the generator runs
once, for that spec), a broken spec's error, and the API snapshot's lint and fix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from e2e.workspace import copy_repository
from sockgen.version import VERSION

pytestmark = pytest.mark.timeout(3000)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("repo"))  # $SOCKGEN_BUILDROOT's files


def pants(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    result = subprocess.run(
        ["./pants", "--no-pantsd", "--no-dynamic-ui", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=2400,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"./pants {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-6000:]}"
        )
    return result


def test_export_codegen_writes_the_sdks_and_nothing_else(repo: Path) -> None:
    """The main job: every file it writes is an SDK's, byte for byte what the CLI writes
    (the goldens are the CLI's output, checked by tests/generator/test_golden.py)."""
    pants(repo, "export-codegen", "::")
    out = repo / "dist" / "codegen"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written and all(
        p.startswith(("specs/chat_sdk/", "specs/feed_sdk/")) for p in written
    ), written
    for spec in ("chat", "feed"):
        golden = repo / "tests" / "generator" / "golden" / spec
        expected = {
            p.relative_to(golden).as_posix().removesuffix(".golden"): p.read_bytes()
            for p in golden.rglob("*.golden")
            if p.parent != golden  # pyproject.toml is the CLI's own, for a standalone project
        }
        got = {
            p.relative_to(out / "specs").as_posix(): p.read_bytes()
            for p in (out / "specs" / f"{spec}_sdk").rglob("*")
            if p.is_file()
        }
        assert sorted(got) == sorted(expected)
        assert [k for k in got if got[k] != expected[k]] == [], "Pants and the CLI differ"


def test_downstream_app_tests_and_check(repo: Path) -> None:
    result = pants(
        repo, "test", "tests/chatbridge/test_bridge.py:tests@interpreter_constraints=py311"
    )
    assert "succeeded" in result.stderr
    pants(repo, "check", "src/python/chatbridge::", "tests/chatbridge::")


def test_check_catches_a_type_error_against_a_generated_sdk(repo: Path) -> None:
    bad = repo / "src" / "python" / "chatbridge" / "typo.py"
    bad.write_text(
        "from feed_sdk.feed import SubscribeEvent\n\nEVENT = SubscribeEvent(chanel='x')\n"
    )
    try:
        result = pants(repo, "check", "src/python/chatbridge/typo.py", check=False)
        assert result.returncode != 0
        assert (
            'Unexpected keyword argument "chanel" for "SubscribeEvent"'
            in result.stdout + result.stderr
        )
    finally:
        bad.unlink()


def test_package_builds_wheels_that_install_and_import(repo: Path, tmp_path: Path) -> None:
    pants(
        repo,
        "package",
        "src/python/chatbridge:dist",
        "specs:chat_sdk_dist",
        "specs:feed_sdk_dist",
        "src/python/sockgen_runtime:dist",
        "src/python/sockgen:dist",
    )
    dist = repo / "dist"
    wheel = next(dist.glob("chatbridge-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--find-links", str(dist), str(wheel)],
        check=True,
    )
    code = "import chatbridge.bridge, chat_sdk.room, feed_sdk; print(feed_sdk.Acme(base_url='wss://x').feed)"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "feed_sdk.feed.connection.FeedResource" in result.stdout
    _installed_wheels_type_check(python, tmp_path)
    # the generator's own wheel: a `sockgen` console script
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            str(next(dist.glob(f"sockgen-{VERSION}-*.whl"))),
        ],
        check=True,
    )
    cli = subprocess.run(
        [
            str(env_dir / "bin" / "sockgen"),
            "generate-client",
            "-s",
            str(repo / "specs/chat/chat.asyncapi.yaml"),
            "-o",
            str(tmp_path / "gen"),
            "--no-format",
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "gen" / "chat_sdk" / "room" / "connection.py").is_file()


USER_CODE = """\
from chat_sdk import AsyncChat


async def main() -> None:
    async with AsyncChat(base_url="ws://localhost:8000").room.connect(room_id="r") as conn:
        await conn.sendd({"action": "join", "user_name": "ann"})
        async for event in conn:
            reveal_type(event)
"""


def _installed_wheels_type_check(python: Path, tmp_path: Path) -> None:
    """A user's ``mypy --strict`` over code that uses the SDK installed from wheels (not this
    repository's sources): a typo is an error and events are typed, not ``Any``."""
    site = subprocess.run(
        [
            str(python),
            "-c",
            "import sockgen_runtime, pathlib; print(pathlib.Path(sockgen_runtime.__file__).parent)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert (Path(site) / "py.typed").is_file(), "the runtime wheel has no py.typed"
    user = tmp_path / "user.py"
    user.write_text(USER_CODE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(python),
            str(user),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": ""},
    )
    out = result.stdout
    # (the connection class is generic in its events: unknown_events="deliver" adds one)
    assert (
        '"AsyncRoomConnection[JoinedMessage | PongMessage | MessageReceived | ErrorMessage]"'
        ' has no attribute "sendd"' in out
    ), out
    revealed = re.search(r'Revealed type is "(.*)"', out)
    assert revealed and "chat_sdk.room.messages.JoinedMessage" in revealed.group(1), out
    assert "Any" not in revealed.group(1), out
    assert out.count("error:") == 1, out


def generator_runs(stderr: str) -> list[str]:
    return sorted(re.findall(r"for Generate (\w+) from ", stderr))


def test_editing_one_spec_reruns_the_generator_for_that_spec_only(repo: Path) -> None:
    pants(repo, "export-codegen", "specs::")  # warm
    again = pants(repo, "--keep-sandboxes=always", "export-codegen", "specs::")
    assert generator_runs(again.stderr) == []  # nothing changed: all from the cache
    spec = repo / "specs" / "feed" / "feed.openapi.yaml"
    spec.write_text(spec.read_text().replace("A live feed", f"A live feed (edit {os.getpid()})"))
    edited = pants(repo, "--keep-sandboxes=always", "export-codegen", "specs::")
    assert generator_runs(edited.stderr) == ["feed_sdk"]
    print("generator processes after editing one of two specs:", generator_runs(edited.stderr))


def test_a_broken_spec_is_a_pants_error_naming_target_file_and_problem(repo: Path) -> None:
    spec = repo / "specs" / "chat" / "chat.asyncapi.yaml"
    original = spec.read_text()
    spec.write_text(
        original.replace(
            "$ref: './schemas.yaml#/PingMessage'", "$ref: './schemas.yaml#/NoSuchMessage'"
        )
    )
    try:
        result = pants(repo, "export-codegen", "specs:chat_sdk", check=False)
    finally:
        spec.write_text(original)
    assert result.returncode != 0
    assert (
        "specs:chat_sdk: could not generate `chat_sdk` from specs/chat/chat.asyncapi.yaml:"
        in result.stderr
    )
    assert "sockgen: error: chat.asyncapi.yaml:" in result.stderr
    assert (
        "$ref './schemas.yaml#/NoSuchMessage' points to nothing: no 'NoSuchMessage' in schemas.yaml#"
        in result.stderr
    )


def test_tailor_proposes_a_target_for_a_spec_dropped_into_specs(repo: Path) -> None:
    folder = repo / "specs" / "alerts"
    folder.mkdir()
    (folder / "alerts.yaml").write_text(
        (repo / "specs" / "chat" / "chat.asyncapi.yaml")
        .read_text()
        .replace("$ref: './", "$ref: '../chat/")
    )
    try:
        check = pants(repo, "tailor", "--check", "::", check=False)
        assert check.returncode != 0 and "specs/alerts" in check.stdout + check.stderr
        pants(repo, "tailor", "::")
        build = (folder / "BUILD").read_text()
        assert "websocket_sdk(" in build and 'source="alerts.yaml"' in build, build
        assert 'api_snapshot="alerts.api.json"' in build, build
    finally:
        shutil.rmtree(folder)


def snapshot_runs(stderr: str) -> list[tuple[str, str]]:
    return sorted(re.findall(r"for (Check|Record) the API snapshot (\S+) ", stderr))


def test_lint_guards_the_api_snapshot_and_fix_records_allowed_changes(repo: Path) -> None:
    """Remove a field of a server event: lint fails naming the rule and the pointer, and fix
    refuses; bump the major version: fix records it; add an optional field: lint says so and
    fix records it. Both are cached like codegen."""
    spec = repo / "specs" / "chat" / "chat.asyncapi.yaml"
    schemas = repo / "specs" / "chat" / "schemas.yaml"
    snapshot = repo / "specs" / "chat" / "chat.api.json"
    originals = {path: path.read_text() for path in (spec, schemas, snapshot)}

    def joined(path: Path = snapshot) -> dict[str, object]:
        fields = json.loads(path.read_text())["models"]["JoinedMessage"]["fields"]
        assert isinstance(fields, dict)
        return fields

    try:
        pants(repo, "lint", "specs::")  # the committed snapshots are current
        again = pants(repo, "--keep-sandboxes=always", "lint", "specs::")
        assert snapshot_runs(again.stderr) == []  # nothing changed: from the cache

        members = "    members:\n      type: array\n      items: {type: string}\n"
        assert members in originals[schemas]
        schemas.write_text(
            originals[schemas]
            .replace(members, "")
            .replace("required: [room_id, members]", "required: [room_id]")
        )
        broken = pants(repo, "--keep-sandboxes=always", "lint", "specs::", check=False)
        assert broken.returncode != 0
        assert snapshot_runs(broken.stderr) == [
            ("Check", "specs/chat/chat.api.json"),
            ("Record", "specs/chat/chat.api.json"),
        ]  # the chat spec only: the feed's check is cached
        assert (
            "BREAKING server-field-removed [server-to-client] server model JoinedMessage: "
            "field members (schemas.yaml#/JoinedMessage/properties/members): code that reads "
            "it breaks" in broken.stderr
        ), broken.stderr[-4000:]
        assert (
            "specs/chat/chat.api.json: 1 breaking changes need a new major version: bump "
            "info.version to 2.0.0 (info.version 1.0.0), or undo them" in broken.stderr
        )
        refused = pants(repo, "fix", "specs::")
        assert "specs:chat_sdk: not recorded: " in refused.stderr
        assert snapshot.read_text() == originals[snapshot]

        # a broken spec: lint reports it for its target and goes on with the others
        spec.write_text(originals[spec].replace("#/components/messages/join", "#/nowhere", 1))
        unreadable = pants(repo, "lint", "specs::", check=False)
        assert unreadable.returncode != 0
        assert "sockgen: error: chat.asyncapi.yaml:" in unreadable.stderr, unreadable.stderr[-4000:]
        assert "specs/feed/feed.api.json: the snapshot is up to date" in unreadable.stderr
        assert "Traceback" not in unreadable.stderr

        spec.write_text(originals[spec].replace("version: 1.0.0", "version: 2.0.0", 1))
        bumped = pants(repo, "lint", "specs::", check=False)
        assert bumped.returncode != 0 and "with a new major version" in bumped.stderr
        pants(repo, "fix", "specs::")
        assert "members" not in joined()
        assert json.loads(snapshot.read_text())["version"] == "2.0.0"
        pants(repo, "lint", "specs::")

        schemas.write_text(
            schemas.read_text().replace(
                "    room_id: {type: string}\n  required: [room_id]",
                "    room_id: {type: string}\n    topic: {type: string}\n  required: [room_id]",
            )
        )
        added = pants(repo, "lint", "specs::", check=False)
        assert added.returncode != 0
        assert (
            "INFO server-field-added [server-to-client] server model JoinedMessage: field topic"
            in added.stderr
        ), added.stderr[-4000:]
        assert (
            "no breaking changes (info.version 2.0.0): `pants fix specs:chat_sdk` records them"
            in added.stderr
        )
        pants(repo, "fix", "specs::")
        assert "topic" in joined()
        pants(repo, "lint", "specs::")
    finally:
        for path, text in originals.items():
            path.write_text(text)
