# mypy: disallow-untyped-calls=False
# (Pants' own rules() and target_types() functions are untyped.)
"""The plugin's rules in Pants' RuleRunner: target, module mapping, runtime deps, tailor."""

from __future__ import annotations

from textwrap import dedent

import pytest
from pants.backend.python import target_types_rules
from pants.backend.python.dependency_inference import module_mapper
from pants.backend.python.target_types import PythonRequirementTarget, PythonSourcesGeneratorTarget
from pants.core.goals.tailor import AllOwnedSources, PutativeTarget, PutativeTargets
from pants.core.target_types import FilesGeneratorTarget
from pants.core.util_rules.partitions import Partitions
from pants.engine.addresses import Address
from pants.engine.internals.scheduler import ExecutionError
from pants.engine.target import InferredDependencies
from pants.testutil.rule_runner import QueryRule, RuleRunner
from sockgen import contract
from sockgen_pants import register
from sockgen_pants.dependencies import (
    InferWebsocketSdkRuntimeDependencies,
    WebsocketSdkRuntimeFieldSet,
)
from sockgen_pants.layout_rules import WebsocketSdkLayout, WebsocketSdkLayoutRequest
from sockgen_pants.snapshot import ApiSnapshotFieldSet, ApiSnapshotFixRequest
from sockgen_pants.tailor import (
    PutativeWebsocketSdkTargetsRequest,
    snapshot_name,
    snapshot_names,
)
from sockgen_pants.target_types import WebsocketSdkTarget

CHAT = dedent(
    """\
    asyncapi: 3.0.0
    info: {title: Chat, version: "1"}
    channels:
      room:
        address: /rooms/{id}
        messages: {}
      Admin Events:
        address: /admin
    """
)
FEED = "openapi: 3.1.0\ninfo: {title: Feed, version: '1'}\npaths: {}\n"
FEED_CONFIG = dedent(
    """\
    resources:
      feed:
        methods:
          connect: {type: websocket, path: /feed, client_event_schema_uri: '#/x', server_event_schema_uri: '#/y'}
      beta:
        subresources:
          live:
            methods:
              stream: {type: websocket, path: /live, client_event_schema_uri: '#/x', server_event_schema_uri: '#/y'}
    """
)


@pytest.fixture
def rule_runner() -> RuleRunner:
    return RuleRunner(
        rules=[
            *register.rules(),
            *module_mapper.rules(),
            *target_types_rules.rules(),
            QueryRule(WebsocketSdkLayout, [WebsocketSdkLayoutRequest]),
            QueryRule(module_mapper.PythonModuleOwners, [module_mapper.PythonModuleOwnersRequest]),
            QueryRule(InferredDependencies, [InferWebsocketSdkRuntimeDependencies]),
            QueryRule(PutativeTargets, [PutativeWebsocketSdkTargetsRequest, AllOwnedSources]),
            QueryRule(Partitions, [ApiSnapshotFixRequest.PartitionRequest]),
        ],
        target_types=[
            WebsocketSdkTarget,
            PythonRequirementTarget,
            PythonSourcesGeneratorTarget,
            FilesGeneratorTarget,
        ],
    )


def sdk_files() -> dict[str, str]:
    return {
        "specs/chat.asyncapi.yaml": CHAT,
        "specs/feed.openapi.yaml": FEED,
        "specs/feed.stainless.yaml": FEED_CONFIG,
        "specs/BUILD": dedent(
            """\
            websocket_sdk(name="chat", source="chat.asyncapi.yaml")
            websocket_sdk(name="feed", source="feed.openapi.yaml", config="feed.stainless.yaml", package="acme_feed")
            """
        ),
    }


def owners(rule_runner: RuleRunner, module: str) -> tuple[Address, ...]:
    result = rule_runner.request(
        module_mapper.PythonModuleOwners,
        [module_mapper.PythonModuleOwnersRequest(module, resolve=None)],
    )
    return result.unambiguous


def test_target_fields_and_predicted_layout(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(sdk_files())
    chat = rule_runner.get_target(Address("specs", target_name="chat"))
    sdk = rule_runner.request(WebsocketSdkLayout, [WebsocketSdkLayoutRequest.for_target(chat)])
    # the package comes from the spec's file name (the CLI's rule), not the target's name
    assert sdk.package == "chat_sdk" and sdk.channel_modules == ("room", "admin_events")
    assert "chat_sdk.admin_events.connection" in sdk.python_modules
    feed = rule_runner.get_target(Address("specs", target_name="feed"))
    sdk = rule_runner.request(WebsocketSdkLayout, [WebsocketSdkLayoutRequest.for_target(feed)])
    assert sdk.package == "acme_feed" and sdk.channel_modules == ("feed", "beta_live")


def test_every_generated_module_is_mapped_to_its_target(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(sdk_files())
    chat, feed = Address("specs", target_name="chat"), Address("specs", target_name="feed")
    for module in (
        "chat_sdk",
        "chat_sdk.room",
        "chat_sdk.room.messages",
        "chat_sdk.shared.models",
        "chat_sdk._client",
        "chat_sdk.testing",
    ):
        assert owners(rule_runner, module) == (chat,), module
    for module in ("acme_feed", "acme_feed.beta_live.connection", "acme_feed.feed.client"):
        assert owners(rule_runner, module) == (feed,), module
    assert owners(rule_runner, "chat_sdk.nope") == (
        chat,
    )  # `from chat_sdk import nope`: the parent owns it
    assert owners(rule_runner, "chat_sdkx") == ()
    assert owners(rule_runner, "chat") == ()


def test_a_spec_that_does_not_parse_names_the_target_and_file(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "specs/bad.asyncapi.yaml": "channels: [1, 2\n",
            "specs/BUILD": 'websocket_sdk(name="bad", source="bad.asyncapi.yaml")',
        }
    )
    with pytest.raises(ExecutionError) as info:
        owners(rule_runner, "bad")
    assert "specs:bad: specs/bad.asyncapi.yaml:2:1: invalid YAML" in str(info.value)


def runtime_deps(rule_runner: RuleRunner, address: Address) -> InferredDependencies:
    tgt = rule_runner.get_target(address)
    return rule_runner.request(
        InferredDependencies,
        [InferWebsocketSdkRuntimeDependencies(WebsocketSdkRuntimeFieldSet.create(tgt))],
    )


def test_runtime_dependencies_are_inferred(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            **sdk_files(),
            "3rdparty/BUILD": dedent(
                """\
                python_requirement(name="pydantic", requirements=["pydantic>=2.11"])
                python_requirement(name="websockets", requirements=["websockets>=13"])
                """
            ),
            "src/sockgen_runtime/__init__.py": "",
            "src/sockgen_runtime/testing.py": "",
            "src/sockgen_runtime/BUILD": "python_sources()",
        }
    )
    rule_runner.set_options(["--source-root-patterns=['src', 'specs']"])
    deps = runtime_deps(rule_runner, Address("specs", target_name="chat"))
    assert set(deps.include) == {
        Address("src/sockgen_runtime", relative_file_path="__init__.py"),
        # the generated fakes' engine, which the runtime's __init__ does not import
        Address("src/sockgen_runtime", relative_file_path="testing.py"),
        Address("3rdparty", target_name="pydantic"),
        Address("3rdparty", target_name="websockets"),
    }


def test_a_missing_runtime_library_is_a_clear_error(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            **sdk_files(),
            "3rdparty/BUILD": 'python_requirement(name="pydantic", requirements=["pydantic"])',
        }
    )
    with pytest.raises(ExecutionError) as info:
        runtime_deps(rule_runner, Address("specs", target_name="chat"))
    message = str(info.value)
    assert (
        "The code generated from specs:chat imports `sockgen_runtime`, `sockgen_runtime.testing`, "
        "`websockets`, which no target provides. Add these lines to your requirements"
    ) in " ".join(message.split())
    # the exact requirement lines to add, one per line, as the generated pyproject.toml has them
    assert f"\n    {contract.RUNTIME}\n    {contract.EXTRAS['websockets']}\n" in message
    assert "generate-lockfiles" not in message  # without resolves there is nothing to lock
    assert "[sockgen].infer_runtime_dependency" in message

    # with resolves, the message names the target's resolve and the command that locks it
    rule_runner.set_options(
        ["--python-enable-resolves", "--python-resolves={'python-default': 'default.lock'}"]
    )
    with pytest.raises(ExecutionError) as info:
        runtime_deps(rule_runner, Address("specs", target_name="chat"))
    message = " ".join(str(info.value).split())
    assert "which no target provides in the resolve 'python-default'" in message
    assert "then run `pants generate-lockfiles --resolve=python-default`" in message


def test_tailor_proposes_targets_for_unowned_asyncapi_files(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "api/chat.asyncapi.yaml": CHAT,
            "api/Market Data.asyncapi.json": "{}",
            "api/owned.asyncapi.yml": CHAT,
            "api/other.yaml": "a: 1",
            # a spec dropped in under any name: told by its top-level key
            "api/streaming.yml": CHAT,
            "api/ticker/asyncapi.json": '{"asyncapi": "3.0.0", "channels": {}}',
            # not documents: a fragment a spec $refs, and an OpenAPI spec (it needs a config)
            "api/schemas.yaml": "Message:\n  type: object\n  description: 'asyncapi: 3.0.0'\n",
            "api/rest.openapi.yaml": "openapi: 3.1.0\n",
            # a snapshot (a field of the surface may be named asyncapi)
            "api/chat.api.json": '{\n"asyncapi": 1, "sockgen_api": 1}',
        }
    )
    result = rule_runner.request(
        PutativeTargets,
        [
            PutativeWebsocketSdkTargetsRequest(("api", "api/ticker")),
            AllOwnedSources(["api/owned.asyncapi.yml"]),
        ],
    )
    assert result == PutativeTargets(
        [
            PutativeTarget.for_target_type(
                WebsocketSdkTarget,
                "api",
                "market_data_sdk",
                ["Market Data.asyncapi.json"],
                kwargs={
                    "source": "Market Data.asyncapi.json",
                    "api_snapshot": "Market Data.api.json",
                },
            ),
            PutativeTarget.for_target_type(
                WebsocketSdkTarget,
                "api",
                "chat_sdk",
                ["chat.asyncapi.yaml"],
                kwargs={"source": "chat.asyncapi.yaml", "api_snapshot": "chat.api.json"},
            ),
            PutativeTarget.for_target_type(
                WebsocketSdkTarget,
                "api",
                "streaming_sdk",
                ["streaming.yml"],
                kwargs={"source": "streaming.yml", "api_snapshot": "streaming.api.json"},
            ),
            PutativeTarget.for_target_type(
                WebsocketSdkTarget,
                "api/ticker",
                "ticker_sdk",
                ["asyncapi.json"],
                kwargs={"source": "asyncapi.json", "api_snapshot": "asyncapi.api.json"},
            ),
        ]
    )


def test_tailor_can_leave_the_snapshot_out(rule_runner: RuleRunner) -> None:
    rule_runner.set_options(["--sockgen-tailor-api-snapshot=false"])
    rule_runner.write_files({"api/chat.v2.yaml": CHAT})
    result = rule_runner.request(
        PutativeTargets, [PutativeWebsocketSdkTargetsRequest(("api",)), AllOwnedSources([])]
    )
    assert [dict(t.kwargs) for t in result] == [{"source": "chat.v2.yaml"}]


def test_two_specs_in_a_folder_get_two_snapshots() -> None:
    assert snapshot_name("api/chat.v1.yaml") == "chat.v1.api.json"
    assert snapshot_name("api/chat.v2.asyncapi.json") == "chat.v2.api.json"
    assert snapshot_name("api/.asyncapi.yaml") == "spec.api.json"
    names = snapshot_names(
        ["api/chat.yaml", "api/chat.asyncapi.yaml", "api/feed.yaml", "web/chat.yaml", "x/a.yaml"],
        existing=["x/a.api.json"],
    )
    assert names == {
        "api/chat.asyncapi.yaml": "chat.asyncapi.yaml.api.json",
        "api/chat.yaml": "chat.yaml.api.json",
        "api/feed.yaml": "feed.api.json",
        "web/chat.yaml": "chat.api.json",
        "x/a.yaml": "a.yaml.api.json",  # a.api.json is another target's
    }


@pytest.mark.parametrize(
    "value", ["../chat.api.json", "/abs/chat.api.json", "chat.yaml", "a/../../b.json"]
)
def test_an_api_snapshot_outside_the_folder_or_not_json_is_refused(
    rule_runner: RuleRunner, value: str
) -> None:
    rule_runner.write_files(
        {
            "specs/chat.asyncapi.yaml": CHAT,
            "specs/BUILD": f'websocket_sdk(name="chat", source="chat.asyncapi.yaml", api_snapshot="{value}")',
        }
    )
    with pytest.raises(ExecutionError) as info:
        rule_runner.get_target(Address("specs", target_name="chat"))
    assert "The `api_snapshot` field of specs:chat must be a `.json` file" in str(info.value)


def test_the_snapshot_path_is_from_the_build_root(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "specs/chat.asyncapi.yaml": CHAT,
            "specs/BUILD": 'websocket_sdk(name="chat", source="chat.asyncapi.yaml", api_snapshot="api/chat.api.json")',
        }
    )
    tgt = rule_runner.get_target(Address("specs", target_name="chat"))
    assert ApiSnapshotFieldSet.create(tgt).snapshot_path == "specs/api/chat.api.json"
    rule_runner.write_files(
        {"specs/BUILD": 'websocket_sdk(name="chat", source="chat.asyncapi.yaml")'}
    )
    assert ApiSnapshotFieldSet.opt_out(rule_runner.get_target(Address("specs", target_name="chat")))


def test_two_targets_sharing_a_snapshot_is_an_error_naming_both(rule_runner: RuleRunner) -> None:
    rule_runner.write_files(
        {
            "specs/chat.asyncapi.yaml": CHAT,
            "specs/BUILD": dedent(
                """\
                websocket_sdk(name="a", source="chat.asyncapi.yaml", api_snapshot="chat.api.json")
                websocket_sdk(name="b", source="chat.asyncapi.yaml", package="b", api_snapshot="chat.api.json")
                websocket_sdk(name="c", source="chat.asyncapi.yaml", package="c", api_snapshot="c.api.json")
                """
            ),
        }
    )
    field_sets = tuple(
        ApiSnapshotFieldSet.create(rule_runner.get_target(Address("specs", target_name=name)))
        for name in ("a", "b", "c")
    )
    with pytest.raises(ExecutionError) as info:
        rule_runner.request(Partitions, [ApiSnapshotFixRequest.PartitionRequest(field_sets)])
    assert "specs:a and specs:b both name specs/chat.api.json as their `api_snapshot`" in str(
        info.value
    )
    partitions = rule_runner.request(
        Partitions, [ApiSnapshotFixRequest.PartitionRequest(field_sets[::2])]
    )
    assert [(p.elements, p.metadata.description) for p in partitions] == [
        (("specs/c.api.json",), "specs:c"),
        (("specs/chat.api.json",), "specs:a"),
    ]
