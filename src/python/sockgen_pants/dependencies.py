"""What generated code imports, inferred per resolve (as Pants' protobuf backend does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from pants.backend.python.dependency_inference.module_mapper import (
    PythonModuleOwners,
    PythonModuleOwnersRequest,
)
from pants.backend.python.subsystems.setup import PythonSetup
from pants.engine.addresses import Address
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import FieldSet, InferDependenciesRequest, InferredDependencies
from pants.engine.unions import UnionRule
from pants.util.strutil import softwrap

from .subsystem import WebsocketSdkSubsystem
from .target_types import WebsocketSdkDependenciesField, WebsocketSdkPythonResolveField


class MissingWebsocketSdkRuntimeLibrary(Exception):
    pass


@dataclass(frozen=True)
class WebsocketSdkRuntimeFieldSet(FieldSet):
    required_fields = (WebsocketSdkDependenciesField, WebsocketSdkPythonResolveField)

    dependencies: WebsocketSdkDependenciesField
    python_resolve: WebsocketSdkPythonResolveField


class InferWebsocketSdkRuntimeDependencies(InferDependenciesRequest[WebsocketSdkRuntimeFieldSet]):
    infer_from = WebsocketSdkRuntimeFieldSet


@rule(desc="Infer the runtime dependencies of a websocket_sdk")
async def infer_runtime_dependencies(
    request: InferWebsocketSdkRuntimeDependencies,
    subsystem: WebsocketSdkSubsystem,
    python_setup: PythonSetup,
) -> InferredDependencies:
    if not subsystem.infer_runtime_dependency:
        return InferredDependencies([])
    address = request.field_set.address
    resolve = request.field_set.python_resolve.normalized_value(python_setup)
    owners = await MultiGet(
        Get(PythonModuleOwners, PythonModuleOwnersRequest(module, resolve=resolve))
        for module, _ in subsystem.runtime_modules
    )
    found: list[Address] = []
    for (module, requirement), owner in zip(subsystem.runtime_modules, owners):
        if len(owner.unambiguous) >= 1:
            found.extend(owner.unambiguous)
            continue
        why = (
            f"several targets provide it ({', '.join(str(a) for a in owner.ambiguous)})"
            if owner.ambiguous
            else "no target provides it"
        )
        raise MissingWebsocketSdkRuntimeLibrary(
            softwrap(
                f"""
                The code generated from {address} imports `{module}`, but {why} in the resolve
                '{resolve}'. Add a `python_requirement` for `{requirement}` (or first-party
                sources of `{module}`) to that resolve, or set the target's `python_resolve`.

                To skip this check, set `[{subsystem.options_scope}].infer_runtime_dependency =
                false` in pants.toml.
                """
            )
        )
    return InferredDependencies(found)


def rules() -> Iterable[Any]:
    return (
        *collect_rules(),
        UnionRule(InferDependenciesRequest, InferWebsocketSdkRuntimeDependencies),
    )
