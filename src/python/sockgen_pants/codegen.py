"""Codegen: run the sockgen PEX in the sandbox on a websocket_sdk's files."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Iterable

from pants.backend.python.target_types import PythonSourceField
from pants.backend.python.util_rules import pex, pex_from_targets
from pants.backend.python.util_rules.interpreter_constraints import InterpreterConstraints
from pants.backend.python.util_rules.pex import Pex, PexProcess, PexRequest
from pants.backend.python.util_rules.pex_from_targets import PexFromTargetsRequest
from pants.base.glob_match_error_behavior import GlobMatchErrorBehavior
from pants.core.target_types import FileSourceField, ResourceSourceField
from pants.core.util_rules.source_files import SourceFiles, SourceFilesRequest
from pants.engine.addresses import Address, AddressInput
from pants.engine.fs import (
    AddPrefix,
    Digest,
    DigestSubset,
    MergeDigests,
    PathGlobs,
    RemovePrefix,
    Snapshot,
)
from pants.engine.process import FallibleProcessResult
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import (
    GeneratedSources,
    GenerateSourcesRequest,
    SourcesField,
    Target,
    TransitiveTargets,
    TransitiveTargetsRequest,
)
from pants.engine.unions import UnionRule
from pants.source.source_root import OptionalSourceRoot, SourceRootRequest
from pants.util.logging import LogLevel
from pants.util.strutil import softwrap

from .layout_rules import config_path, package_name
from .subsystem import SockgenSubsystem
from .target_types import (
    WebsocketSdkDirectionField,
    WebsocketSdkPythonSourceRootField,
    WebsocketSdkSourceField,
    WebsocketSpecFilesSourcesField,
)

logger = logging.getLogger(__name__)

OUTPUT_DIR = "__sockgen_out"


class WebsocketSdkGenerationError(Exception):
    """The generator refused the spec; carries its one-line message."""


class GeneratePythonFromWebsocketSdkRequest(GenerateSourcesRequest):
    input = WebsocketSdkSourceField
    output = PythonSourceField


@dataclass(frozen=True)
class SockgenGeneratorRequest:
    """The generator PEX, built from ``[sockgen].generator``."""


@rule(desc="Build the sockgen generator PEX")
async def build_generator(_: SockgenGeneratorRequest, subsystem: SockgenSubsystem) -> Pex:
    if not subsystem.generator:
        # The `sockgen` requirement: from a resolve of the repository's own (then with that
        # resolve's interpreter constraints, as Pants' tools do), or from the plugin's
        # lockfile (with the tool's own constraints, which that lockfile was made for:
        # left blank, Pants would take the repository's global ones).
        constraints = (
            None
            if subsystem.install_from_resolve
            else InterpreterConstraints(subsystem.interpreter_constraints)
        )
        return await Get(
            Pex, PexRequest, subsystem.to_pex_request(interpreter_constraints=constraints)
        )
    address = await Get(
        Address,
        AddressInput,
        AddressInput.parse(subsystem.generator, description_of_origin="[sockgen].generator"),
    )
    return await Get(
        Pex,
        PexFromTargetsRequest(
            [address],
            output_filename="sockgen.pex",
            internal_only=True,
            main=subsystem.main,
            description="Build the sockgen generator",
        ),
    )


@dataclass(frozen=True)
class SdkInputsRequest:
    """What the generator needs in its sandbox to read a websocket_sdk's spec."""

    target: Target


@dataclass(frozen=True)
class SdkInputs:
    digest: Digest
    """The spec, every file it reaches (the target's dependencies) and its config."""
    spec: str
    options: tuple[str, ...]
    """``--package`` and, where the target sets them, ``--config`` and ``--direction``."""
    package: str


@rule(desc="Gather a websocket_sdk's spec files", level=LogLevel.DEBUG)
async def sdk_inputs(request: SdkInputsRequest) -> SdkInputs:
    tgt = request.target
    spec = tgt[WebsocketSdkSourceField].file_path
    package = package_name(tgt)
    config = config_path(tgt)
    transitive = await Get(TransitiveTargets, TransitiveTargetsRequest([tgt.address]))
    sources, config_digest = await MultiGet(
        Get(
            SourceFiles,
            SourceFilesRequest(
                (t.get(SourcesField) for t in transitive.closure),
                for_sources_types=(
                    WebsocketSdkSourceField,
                    WebsocketSpecFilesSourcesField,
                    FileSourceField,
                    ResourceSourceField,
                ),
                enable_codegen=False,
            ),
        ),
        Get(
            Digest,
            PathGlobs(
                [config] if config else [],
                glob_match_error_behavior=GlobMatchErrorBehavior.error,
                description_of_origin=f"the `config` field of {tgt.address}",
            ),
        ),
    )
    digest = await Get(Digest, MergeDigests([sources.snapshot.digest, config_digest]))
    options = ["--package", package]
    if config:
        options += ["--config", config]
    direction = tgt[WebsocketSdkDirectionField].value
    if direction:
        options += ["--direction", direction]
    return SdkInputs(digest, spec, tuple(options), package)


@rule(desc="Generate Python from a WebSocket API spec")
async def generate_python_from_websocket_sdk(
    request: GeneratePythonFromWebsocketSdkRequest,
) -> GeneratedSources:
    tgt = request.protocol_target
    generator, inputs = await MultiGet(
        Get(Pex, SockgenGeneratorRequest()), Get(SdkInputs, SdkInputsRequest(tgt))
    )
    spec, package, input_digest = inputs.spec, inputs.package, inputs.digest
    argv = ["generate-client", "--schema", spec, "--output", OUTPUT_DIR, "--no-pyproject"]
    argv += inputs.options
    result = await Get(
        FallibleProcessResult,
        PexProcess(
            generator,
            argv=argv,
            input_digest=input_digest,
            output_directories=(OUTPUT_DIR,),
            description=f"Generate {package} from {spec} ({tgt.address})",
            level=LogLevel.DEBUG,
        ),
    )
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.exit_code != 0:
        message = stderr.splitlines()[-1] if stderr else f"exit code {result.exit_code}"
        raise WebsocketSdkGenerationError(
            f"{tgt.address}: could not generate `{package}` from {spec}:\n  {message}"
        )
    if stderr:
        # what the generator guessed or left out, for the user to read
        logger.warning(f"{tgt.address}: sockgen warnings for {spec}:\n{stderr}")

    package_files = await Get(
        Digest, DigestSubset(result.output_digest, PathGlobs([f"{OUTPUT_DIR}/{package}/**"]))
    )
    root_field = tgt[WebsocketSdkPythonSourceRootField].value
    source_root_request = (
        SourceRootRequest(PurePath(root_field)) if root_field else SourceRootRequest.for_target(tgt)
    )
    stripped, optional_root = await MultiGet(
        Get(Digest, RemovePrefix(package_files, OUTPUT_DIR)),
        Get(OptionalSourceRoot, SourceRootRequest, source_root_request),
    )
    source_root = optional_root.source_root
    if source_root is None:
        folder = (root_field or tgt.address.spec_path).strip("/")
        pattern = f"/{folder}"
        raise WebsocketSdkGenerationError(
            softwrap(
                f"""
                {tgt.address}: `{package}` is generated under the source root of
                {folder or "the repository's top folder"}, and no source root contains it. Add
                one to `[source].root_patterns` in pants.toml (for example `root_patterns =
                ["{pattern}"]`), or set the target's `python_source_root` to a source root.
                """
            )
        )
    if source_root.path == ".":
        return GeneratedSources(await Get(Snapshot, Digest, stripped))
    return GeneratedSources(await Get(Snapshot, AddPrefix(stripped, source_root.path)))


def rules() -> Iterable[Any]:
    return [
        *collect_rules(),
        *pex.rules(),  # type: ignore[no-untyped-call]
        *pex_from_targets.rules(),  # type: ignore[no-untyped-call]
        UnionRule(GenerateSourcesRequest, GeneratePythonFromWebsocketSdkRequest),
    ]
