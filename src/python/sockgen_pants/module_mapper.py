"""Dependency inference: ``import chat_sdk.room.messages`` depends on the websocket_sdk target."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, DefaultDict, Iterable

from pants.backend.python.dependency_inference.module_mapper import (
    FirstPartyPythonMappingImpl,
    FirstPartyPythonMappingImplMarker,
    ModuleProvider,
    ModuleProviderType,
    ResolveName,
)
from pants.backend.python.subsystems.setup import PythonSetup
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel

from .layout_rules import WebsocketSdkLayout, WebsocketSdkLayoutRequest
from .target_types import AllWebsocketSdkTargets, WebsocketSdkPythonResolveField


class WebsocketSdkMappingMarker(FirstPartyPythonMappingImplMarker):
    pass


@rule(desc="Map websocket_sdk targets to the Python modules they generate", level=LogLevel.DEBUG)
async def map_websocket_sdk_modules(
    targets: AllWebsocketSdkTargets, python_setup: PythonSetup, _: WebsocketSdkMappingMarker
) -> FirstPartyPythonMappingImpl:
    layouts = await MultiGet(
        Get(
            WebsocketSdkLayout, WebsocketSdkLayoutRequest, WebsocketSdkLayoutRequest.for_target(tgt)
        )
        for tgt in targets
    )
    mapping: DefaultDict[ResolveName, DefaultDict[str, list[ModuleProvider]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for tgt, sdk in zip(targets, layouts):
        resolve = tgt[WebsocketSdkPythonResolveField].normalized_value(python_setup)
        # Pants looks a module up exactly, then by its parent: register every module.
        for module in sdk.python_modules:
            mapping[resolve][module].append(ModuleProvider(tgt.address, ModuleProviderType.IMPL))
    return FirstPartyPythonMappingImpl.create(mapping)


def rules() -> Iterable[Any]:
    return (
        *collect_rules(),
        UnionRule(FirstPartyPythonMappingImplMarker, WebsocketSdkMappingMarker),
    )
