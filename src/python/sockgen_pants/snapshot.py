"""API snapshots: ``pants lint`` checks a websocket_sdk's ``api_snapshot``, ``pants fix`` records it.

Both run ``sockgen snapshot`` (``sockgen/api/snapshot.py`` decides) in the sandbox with
the spec, the files it reaches, its config and the snapshot, nothing else; the
processes are cached like codegen's.

- The linter (``[sockgen-api]``) fails when the spec's surface differs from the
  snapshot, printing each change classified by direction, and says whether
  ``pants fix`` may record it: a breaking change needs a new major ``info.version``.
- The fixer (``[sockgen-api-snapshot]``) rewrites the snapshot when that is allowed
  and leaves it (with a warning saying why) when not. Run by ``pants lint`` too,
  as Pants runs every fixer, it then fails for a change ``fix`` would record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable

from pants.backend.python.util_rules.pex import Pex, PexProcess
from pants.core.goals.fix import FixResult, FixTargetsRequest
from pants.core.goals.lint import LintResult, LintTargetsRequest
from pants.core.util_rules.partitions import Partition, PartitionerType, Partitions
from pants.engine.addresses import Address
from pants.engine.fs import Digest, MergeDigests, PathGlobs, Snapshot
from pants.engine.process import FallibleProcessResult
from pants.engine.rules import Get, MultiGet, collect_rules, rule
from pants.engine.target import FieldSet, Target, WrappedTarget, WrappedTargetRequest
from pants.option.option_types import SkipOption
from pants.option.subsystem import Subsystem
from pants.util.docutil import bin_name
from pants.util.logging import LogLevel

from .codegen import SdkInputs, SdkInputsRequest, SockgenGeneratorRequest
from .target_types import WebsocketSdkApiSnapshotField, WebsocketSdkSourceField

logger = logging.getLogger(__name__)


class ApiSnapshotCheckSubsystem(Subsystem):
    options_scope = "sockgen-api"
    name = "sockgen-api"
    help = "Check each websocket_sdk's `api_snapshot` against its spec (in `pants lint`)."

    skip = SkipOption("lint")


class ApiSnapshotFixSubsystem(Subsystem):
    options_scope = "sockgen-api-snapshot"
    name = "sockgen-api-snapshot"
    help = "Record each websocket_sdk's API in its `api_snapshot` when the change is allowed."

    skip = SkipOption("fix", "lint")


@dataclass(frozen=True)
class ApiSnapshotFieldSet(FieldSet):
    required_fields = (WebsocketSdkSourceField, WebsocketSdkApiSnapshotField)

    source: WebsocketSdkSourceField
    api_snapshot: WebsocketSdkApiSnapshotField

    @classmethod
    def opt_out(cls, tgt: Target) -> bool:
        return tgt[WebsocketSdkApiSnapshotField].value is None

    @property
    def snapshot_path(self) -> str:
        path = self.api_snapshot.path(self.address)
        assert path is not None  # opted out otherwise
        return path


class ApiSnapshotLintRequest(LintTargetsRequest):
    field_set_type = ApiSnapshotFieldSet
    tool_subsystem = ApiSnapshotCheckSubsystem
    partitioner_type = PartitionerType.DEFAULT_ONE_PARTITION_PER_INPUT


@dataclass(frozen=True)
class SnapshotOwner:
    """A fixer partition's metadata: the websocket_sdk whose snapshot it is."""

    address: Address

    @property
    def description(self) -> str:
        return str(self.address)


class ApiSnapshotFixRequest(FixTargetsRequest):
    field_set_type = ApiSnapshotFieldSet
    tool_subsystem = ApiSnapshotFixSubsystem
    partitioner_type = PartitionerType.CUSTOM


@dataclass(frozen=True)
class SnapshotProcessRequest:
    address: Address
    snapshot_path: str
    snapshot_digest: Digest
    write: bool


@rule(desc="Compare a websocket_sdk's spec with its API snapshot", level=LogLevel.DEBUG)
async def run_sockgen_snapshot(request: SnapshotProcessRequest) -> FallibleProcessResult:
    wrapped = await Get(
        WrappedTarget,
        WrappedTargetRequest(request.address, description_of_origin="the api_snapshot rules"),
    )
    generator, inputs = await MultiGet(
        Get(Pex, SockgenGeneratorRequest()), Get(SdkInputs, SdkInputsRequest(wrapped.target))
    )
    input_digest = await Get(Digest, MergeDigests([inputs.digest, request.snapshot_digest]))
    argv = [
        "snapshot",
        inputs.spec,
        request.snapshot_path,
        *inputs.options,
        "--fix-command",
        f"{bin_name()} fix {request.address}",
    ]
    if request.write:
        argv.append("--write")
    return await Get(
        FallibleProcessResult,
        PexProcess(
            generator,
            argv=argv,
            input_digest=input_digest,
            output_files=(request.snapshot_path,) if request.write else (),
            description=(
                f"{'Record' if request.write else 'Check'} the API snapshot "
                f"{request.snapshot_path} ({request.address})"
            ),
            level=LogLevel.DEBUG,
        ),
    )


@rule(desc="Check websocket_sdk API snapshots", level=LogLevel.DEBUG)
async def check_api_snapshot(
    request: ApiSnapshotLintRequest.Batch,  # type: ignore[type-arg]
) -> LintResult:
    (field_set,) = request.elements
    path = field_set.snapshot_path
    digest = await Get(Digest, PathGlobs([path]))  # no snapshot yet: the check says so
    result = await Get(
        FallibleProcessResult, SnapshotProcessRequest(field_set.address, path, digest, False)
    )
    return LintResult.create(request, result)


class ApiSnapshotError(Exception):
    """A snapshot that cannot be written: its spec cannot be read, or two targets share it."""


@rule
async def partition_api_snapshots(
    request: ApiSnapshotFixRequest.PartitionRequest,  # type: ignore[type-arg]
    subsystem: ApiSnapshotFixSubsystem,
) -> Partitions[str, SnapshotOwner]:
    if subsystem.skip:
        return Partitions()
    owners: dict[str, Address] = {}
    for field_set in request.field_sets:
        other = owners.setdefault(field_set.snapshot_path, field_set.address)
        if other != field_set.address:
            # fix would write one target's API over the other's
            raise ApiSnapshotError(
                f"{other} and {field_set.address} both name {field_set.snapshot_path} as their "
                "`api_snapshot`: give each websocket_sdk its own"
            )
    return Partitions(
        Partition((path,), SnapshotOwner(address)) for path, address in sorted(owners.items())
    )


@rule(desc="Record websocket_sdk API snapshots", level=LogLevel.DEBUG)
async def fix_api_snapshot(request: ApiSnapshotFixRequest.Batch) -> FixResult:
    (path,) = request.files
    address = request.partition_metadata.address
    result = await Get(
        FallibleProcessResult, SnapshotProcessRequest(address, path, request.snapshot.digest, True)
    )
    stdout = result.stdout.decode("utf-8", "replace")
    stderr = result.stderr.decode("utf-8", "replace")
    if result.exit_code == 0:
        output = await Get(Snapshot, Digest, result.output_digest)
    elif result.exit_code == 1 and not stderr.strip():
        # not allowed (a breaking change without a new major version): left as it is
        reason = (stdout.strip().splitlines() or ["refused"])[-1]
        logger.warning(f"{address}: not recorded: {reason}")
        output = request.snapshot
    else:
        lines = (stderr or stdout).strip().splitlines()
        message = f"{address}: could not check {path}:\n  " + (
            lines[-1] if lines else f"exit code {result.exit_code}"
        )
        if path not in request.snapshot.files:  # nothing to leave as it is
            raise ApiSnapshotError(message)
        # left as it is; the linter fails the target with the same message (and `lint`,
        # which runs every fixer too, goes on with the other targets)
        logger.error(message)
        output = request.snapshot
    return FixResult(request.snapshot, output, stdout, stderr, request.tool_name)


def rules() -> Iterable[Any]:
    return (
        *collect_rules(),
        *ApiSnapshotLintRequest.rules(),
        *ApiSnapshotFixRequest.rules(),
    )
