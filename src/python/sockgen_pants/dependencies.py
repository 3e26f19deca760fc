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
from pants.util.docutil import bin_name
from pants.util.strutil import softwrap

from .subsystem import SockgenSubsystem
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
    subsystem: SockgenSubsystem,
    python_setup: PythonSetup,
) -> InferredDependencies:
    if not subsystem.infer_runtime_dependency:
        return InferredDependencies([])
    address = request.field_set.address
    resolve = request.field_set.python_resolve.normalized_value(python_setup)
    modules = subsystem.runtime_modules
    owners = await MultiGet(
        Get(PythonModuleOwners, PythonModuleOwnersRequest(module, resolve=resolve))
        for module in modules
    )
    found: list[Address] = []
    missing: list[str] = []
    for module, owner in zip(modules, owners):
        if owner.unambiguous:
            found.extend(owner.unambiguous)
        elif owner.ambiguous:
            raise MissingWebsocketSdkRuntimeLibrary(
                f"The code generated from {address} imports `{module}`, which several targets "
                f"provide in the resolve '{resolve}' ({', '.join(map(str, owner.ambiguous))}): "
                "keep one, or list the one to use in the target's `dependencies`."
            )
        else:
            missing.append(module)
    if missing:
        lines = sorted({subsystem.requirement_for(module) for module in missing})
        imports = ", ".join(f"`{m}`" for m in missing)
        if python_setup.enable_resolves:
            where = (
                f" in the resolve '{resolve}'. Add these lines to that resolve's requirements "
                f"(a `python_requirements` file), then run "
                f"`{bin_name()} generate-lockfiles --resolve={resolve}`:"
            )
        else:  # no resolves: nothing to lock
            where = ". Add these lines to your requirements (a `python_requirements` file):"
        raise MissingWebsocketSdkRuntimeLibrary(
            softwrap(
                f"""
                The code generated from {address} imports {imports}, which no target
                provides{where}
                """
            )
            + "\n\n"
            + "".join(f"    {line}\n" for line in lines)
            + "\n"
            + softwrap(
                f"""
                (Or set the target's `python_resolve`. To skip this check, set
                `[{subsystem.options_scope}].infer_runtime_dependency = false`.)
                """
            )
        )
    return InferredDependencies(found)


def rules() -> Iterable[Any]:
    return (
        *collect_rules(),
        UnionRule(InferDependenciesRequest, InferWebsocketSdkRuntimeDependencies),
    )
