# mypy: disallow-untyped-calls=False
# (Pants' own rules() and target_types() functions are untyped.)
"""The codegen rule in RuleRunner, with the real generator built from this repository's sources."""

from __future__ import annotations

import json
import os
from pathlib import Path
from textwrap import dedent

import pytest
from pants.backend.python import register as python_backend
from pants.core import register as core_backend
from pants.core.goals.fix import FixResult
from pants.core.goals.lint import LintResult
from pants.core.util_rules.partitions import _EmptyMetadata
from pants.engine.addresses import Address
from pants.engine.fs import Digest, DigestContents, PathGlobs, Snapshot
from pants.engine.internals.scheduler import ExecutionError
from pants.engine.target import GeneratedSources, HydratedSources, HydrateSourcesRequest
from pants.testutil.rule_runner import QueryRule, RuleRunner
from sockgen_pants import register
from sockgen_pants.codegen import GeneratePythonFromWebsocketSdkRequest
from sockgen_pants.snapshot import (
    ApiSnapshotFieldSet,
    ApiSnapshotFixRequest,
    ApiSnapshotLintRequest,
    SnapshotOwner,
)
from sockgen_pants.target_types import WebsocketSdkSourceField, WebsocketSdkTarget

COPIED = ("src/python/sockgen", "src/python/sockgen_runtime", "3rdparty/python")
PEX_SHA = "b13782df7ba90c0a5061d5bb4fe8fb3943f0997c0cacda87a6c95b4f4956aa18"


def repository_files() -> dict[str, str]:
    out = {}
    for root in COPIED:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and (
                path.suffix in (".py", ".jinja", ".lock", ".txt") or path.name == "VERSION"
            ):
                out[str(path)] = path.read_text()
    return out


@pytest.fixture
def rule_runner() -> RuleRunner:
    pex_dir = os.environ.get("SOCKGEN_PANTS_PEX_DIR")
    if not pex_dir:
        pytest.skip("SOCKGEN_PANTS_PEX_DIR is not set (run through ./pants)")
    runner = RuleRunner(
        rules=[
            *core_backend.rules(),
            *python_backend.rules(),
            *register.rules(),
            QueryRule(GeneratedSources, [GeneratePythonFromWebsocketSdkRequest]),
            QueryRule(HydratedSources, [HydrateSourcesRequest]),
            QueryRule(DigestContents, [Digest]),
            QueryRule(Snapshot, [PathGlobs]),
            QueryRule(LintResult, [ApiSnapshotLintRequest.Batch]),
            QueryRule(FixResult, [ApiSnapshotFixRequest.Batch]),
        ],
        target_types=[
            *core_backend.target_types(),
            *python_backend.target_types(),
            WebsocketSdkTarget,
        ],
    )
    known = [
        f"v2.20.3|{p}|{PEX_SHA}|4191194"
        for p in ("linux_x86_64", "linux_arm64", "macos_x86_64", "macos_arm64")
    ]
    runner.set_options(
        [
            "--source-root-patterns=['src/python', 'specs']",
            "--python-enable-resolves",
            "--python-resolves={'python-default': '3rdparty/python/default.lock'}",
            "--python-interpreter-constraints=['CPython>=3.10,<3.14']",
            "--python-interpreter-versions-universe=['3.9', '3.10', '3.11', '3.12', '3.13']",
            "--python-pip-version=latest",
            "--python-bootstrap-search-path=['<PYENV>', '<PATH>']",
            "--pex-cli-version=v2.20.3",
            f"--pex-cli-known-versions={known}",
            f"--pex-cli-url-template=file://{pex_dir}/pex-2.20.3",
            "--sockgen-generator=//src/python/sockgen:cli",
        ],
        env_inherit={"PATH", "PYENV_ROOT", "HOME"},
    )
    runner.write_files(
        {
            **repository_files(),
            "src/python/sockgen/BUILD": dedent(
                """\
                python_sources(sources=["**/*.py"], dependencies=[":templates", ":version"])
                resources(name="templates", sources=["emit/templates/*.jinja"])
                resource(name="version", source="VERSION")
                pex_binary(name="cli", entry_point="sockgen.cli:main")
                """
            ),
            "src/python/sockgen_runtime/BUILD": "python_sources()",
            "3rdparty/python/BUILD": dedent(
                """\
                python_requirements(
                    name="default", source="requirements-default.txt", resolve="python-default",
                    module_mapping={"PyYAML": ["yaml"]}, type_stubs_module_mapping={"types-PyYAML": ["yaml"]},
                )
                """
            ),
        }
    )
    return runner


def generate(rule_runner: RuleRunner, address: Address) -> dict[str, str]:
    tgt = rule_runner.get_target(address)
    protocol_sources = rule_runner.request(
        HydratedSources, [HydrateSourcesRequest(tgt[WebsocketSdkSourceField])]
    )
    generated = rule_runner.request(
        GeneratedSources, [GeneratePythonFromWebsocketSdkRequest(protocol_sources.snapshot, tgt)]
    )
    contents = rule_runner.request(DigestContents, [generated.snapshot.digest])
    return {c.path: c.content.decode() for c in contents}


@pytest.mark.timeout(600)
def test_codegen_of_a_multi_file_spec_lands_under_the_source_root(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "specs/chat/chat.asyncapi.yaml": Path("specs/chat/chat.asyncapi.yaml").read_text(),
            "specs/chat/schemas.yaml": Path("specs/chat/schemas.yaml").read_text(),
            "specs/BUILD": dedent(
                """\
                websocket_sdk(name="chat_sdk", source="chat/chat.asyncapi.yaml", dependencies=[":schemas"])
                files(name="schemas", sources=["chat/schemas.yaml"])
                """
            ),
        }
    )
    files = generate(rule_runner, Address("specs", target_name="chat_sdk"))
    assert "specs/chat_sdk/room/messages.py" in files and "specs/chat_sdk/py.typed" in files
    assert "class MessageReceived(SockgenModel):" in files["specs/chat_sdk/room/messages.py"]
    assert not any(path.endswith("pyproject.toml") or ".sockgen" in path for path in files)


@pytest.mark.timeout(600)
def test_a_broken_spec_names_the_target_the_file_and_the_problem(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "specs/bad.asyncapi.yaml": "asyncapi: 3.0.0\nchannels:\n  a:\n    address: /x\n    messages:\n      m: {$ref: '#/nope'}\n",
            "specs/BUILD": 'websocket_sdk(name="bad", source="bad.asyncapi.yaml")',
        }
    )
    with pytest.raises(ExecutionError) as info:
        generate(rule_runner, Address("specs", target_name="bad"))
    message = str(info.value)
    assert "specs:bad: could not generate `bad_sdk` from specs/bad.asyncapi.yaml:" in message
    assert (
        "sockgen: error: bad.asyncapi.yaml:6:10 (at /channels/a/messages/m): $ref '#/nope' points to nothing"
        in message
    )
    assert "Traceback" not in message.split("WebsocketSdkGenerationError")[-1]


@pytest.mark.timeout(600)
def test_a_spec_outside_every_source_root_names_both_fixes(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "apis/chat/chat.asyncapi.yaml": "asyncapi: 3.0.0\ninfo: {title: Chat, version: '1'}\nchannels: {}\n",
            "apis/chat/BUILD": 'websocket_sdk(name="chat", source="chat.asyncapi.yaml")',
        }
    )
    with pytest.raises(ExecutionError) as info:
        generate(rule_runner, Address("apis/chat", target_name="chat"))
    message = " ".join(str(info.value).split())
    assert (
        "apis/chat:chat: `chat_sdk` is generated under the source root of apis/chat, and no "
        "source root contains it. Add one to `[source].root_patterns` in pants.toml (for "
        'example `root_patterns = ["/apis/chat"]`), or set the target\'s `python_source_root` '
        "to a source root."
    ) in message


#: A document whose side nothing tells: two operations, two messages, no telling names
#: (and a message no operation names, which the generator warns about).
UNTOLD = dedent(
    """\
    asyncapi: 3.0.0
    info: {title: Acme, version: '1'}
    channels:
      live:
        address: /live
        messages:
          alpha: {payload: {type: object, properties: {t: {const: alpha}}}}
          beta: {payload: {type: object, properties: {t: {const: beta}}}}
      other:
        address: /other
        messages:
          gamma: {payload: {type: object, properties: {t: {const: gamma}}}}
    operations:
      one: {action: send, channel: {$ref: '#/channels/live'}, messages: [{$ref: '#/channels/live/messages/alpha'}]}
      two: {action: receive, channel: {$ref: '#/channels/live'}, messages: [{$ref: '#/channels/live/messages/beta'}]}
    """
)


@pytest.mark.timeout(600)
def test_the_direction_field_settles_an_untold_side(
    rule_runner: RuleRunner, caplog: pytest.LogCaptureFixture
) -> None:
    rule_runner.write_files(
        {
            "specs/acme.asyncapi.yaml": UNTOLD,
            "specs/BUILD": dedent(
                """\
                websocket_sdk(name="told", source="acme.asyncapi.yaml", package="told", direction="client")
                websocket_sdk(name="untold", source="acme.asyncapi.yaml", package="untold")
                """
            ),
        }
    )
    with pytest.raises(ExecutionError) as info:
        generate(rule_runner, Address("specs", target_name="untold"))
    assert "cannot tell which side" in str(info.value)
    assert "websocket_sdk(direction=...)" in str(info.value)
    files = generate(rule_runner, Address("specs", target_name="told"))
    messages = files["specs/told/live/messages.py"]
    # written from the client's side: the client sends alpha and receives beta
    assert "OutgoingMessage = Alpha" in messages and "IncomingMessage = Beta" in messages
    # the generator's warnings reach the user
    assert any(
        "sockgen warnings for specs/acme.asyncapi.yaml" in r.getMessage() for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def check_snapshot(rule_runner: RuleRunner, address: Address) -> LintResult:
    field_set = ApiSnapshotFieldSet.create(rule_runner.get_target(address))
    batch = ApiSnapshotLintRequest.Batch("sockgen-api", (field_set,), _EmptyMetadata())
    return rule_runner.request(LintResult, [batch])


def record_snapshot(rule_runner: RuleRunner, address: Address) -> FixResult:
    path = ApiSnapshotFieldSet.create(rule_runner.get_target(address)).snapshot_path
    snapshot = rule_runner.request(Snapshot, [PathGlobs([path])])
    batch = ApiSnapshotFixRequest.Batch(
        "sockgen-api-snapshot", (path,), SnapshotOwner(address), snapshot
    )
    return rule_runner.request(FixResult, [batch])


def written(rule_runner: RuleRunner, result: FixResult) -> None:
    """What `pants fix` does with a result: write its files to the workspace."""
    contents = rule_runner.request(DigestContents, [result.output.digest])
    rule_runner.write_files({c.path: c.content for c in contents})  # (and tells the engine)


@pytest.mark.timeout(900)
def test_the_api_snapshot_is_checked_and_recorded_when_allowed(
    rule_runner: RuleRunner, caplog: pytest.LogCaptureFixture
) -> None:
    spec = Path("specs/chat/chat.asyncapi.yaml").read_text()
    schemas = Path("specs/chat/schemas.yaml").read_text()
    rule_runner.write_files(
        {
            "specs/chat/chat.asyncapi.yaml": spec,
            "specs/chat/schemas.yaml": schemas,
            "specs/BUILD": dedent(
                """\
                websocket_sdk(name="chat_sdk", source="chat/chat.asyncapi.yaml", dependencies=[":schemas"], api_snapshot="chat/chat.api.json")
                files(name="schemas", sources=["chat/schemas.yaml"])
                """
            ),
        }
    )
    chat = Address("specs", target_name="chat_sdk")
    # no snapshot yet: lint fails and says how to record one; fix writes it
    missing = check_snapshot(rule_runner, chat)
    assert missing.exit_code == 1, missing
    assert "no snapshot yet: `pants fix specs:chat_sdk` records the API" in missing.stdout
    first = record_snapshot(rule_runner, chat)
    assert first.did_change and first.output.files == ("specs/chat/chat.api.json",)
    written(rule_runner, first)
    recorded = json.loads(Path(rule_runner.build_root, "specs/chat/chat.api.json").read_text())
    assert recorded["package"] == "chat_sdk" and recorded["version"] == "1.0.0"
    assert "joined" in recorded["channels"]["room"]["server_events"]
    assert check_snapshot(rule_runner, chat).exit_code == 0
    assert not record_snapshot(rule_runner, chat).did_change

    # a server event loses a field: breaking, refused until the major version is bumped
    edited = schemas.replace("    members:\n      type: array\n      items: {type: string}\n", "")
    edited = edited.replace("required: [room_id, members]", "required: [room_id]")
    assert edited != schemas
    rule_runner.write_files({"specs/chat/schemas.yaml": edited})
    broken = check_snapshot(rule_runner, chat)
    assert broken.exit_code == 1
    assert (
        "BREAKING server-field-removed [server-to-client] server model JoinedMessage: field "
        "members (schemas.yaml#/JoinedMessage/properties/members)" in broken.stdout
    ), broken.stdout
    assert "bump info.version to 2.0.0" in broken.stdout
    refused = record_snapshot(rule_runner, chat)
    assert not refused.did_change
    assert any("not recorded: " in r.getMessage() for r in caplog.records)

    rule_runner.write_files(
        {"specs/chat/chat.asyncapi.yaml": spec.replace("version: 1.0.0", "version: 2.0.0")}
    )
    bumped = check_snapshot(rule_runner, chat)
    assert bumped.exit_code == 1 and "with a new major version" in bumped.stdout
    allowed = record_snapshot(rule_runner, chat)
    assert allowed.did_change
    written(rule_runner, allowed)
    assert check_snapshot(rule_runner, chat).exit_code == 0


@pytest.mark.timeout(900)
def test_a_broken_spec_fails_the_check_and_leaves_the_snapshot(
    rule_runner: RuleRunner, caplog: pytest.LogCaptureFixture
) -> None:
    """``lint`` runs every fixer too: the fixer must not stop it when a spec is broken."""
    rule_runner.write_files(
        {
            "specs/bad.asyncapi.yaml": "asyncapi: 3.0.0\nchannels:\n  a:\n    address: /x\n    messages:\n      m: {$ref: '#/nope'}\n",
            "specs/bad.api.json": '{"sockgen_api": 1}',
            "specs/new.asyncapi.yaml": "asyncapi: 3.0.0\nchannels:\n  a:\n    address: /x\n    messages:\n      m: {$ref: '#/gone'}\n",
            "specs/BUILD": dedent(
                """                websocket_sdk(name="bad", source="bad.asyncapi.yaml", api_snapshot="bad.api.json")
                websocket_sdk(name="new", source="new.asyncapi.yaml", api_snapshot="new.api.json")
                """
            ),
        }
    )
    bad = Address("specs", target_name="bad")
    checked = check_snapshot(rule_runner, bad)
    assert checked.exit_code == 2
    assert "sockgen: error: bad.asyncapi.yaml:6:10 (at /channels/a/messages/m)" in checked.stderr
    left = record_snapshot(rule_runner, bad)
    assert not left.did_change
    assert any(
        "specs:bad: could not check specs/bad.api.json:" in r.getMessage() for r in caplog.records
    )
    # no snapshot to leave as it is: fix says why
    with pytest.raises(ExecutionError) as info:
        record_snapshot(rule_runner, Address("specs", target_name="new"))
    assert "specs:new: could not check specs/new.api.json:" in str(info.value)
