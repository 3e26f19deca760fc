"""``tailor`` proposes a websocket_sdk for each unowned AsyncAPI document.

A document is a ``*.asyncapi.{yaml,yml,json}`` file, or any YAML or JSON file whose
top level has an ``asyncapi`` key (fragments that specs ``$ref`` have none). OpenAPI
specs are not proposed: they need a config that names their WebSocket events.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from pants.core.goals.tailor import (
    AllOwnedSources,
    PutativeTarget,
    PutativeTargets,
    PutativeTargetsRequest,
)
from pants.engine.fs import DigestContents, PathGlobs, Paths
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel
from sockgen.names.naming import default_package

from .subsystem import SockgenSubsystem
from .target_types import AllWebsocketSdkTargets, WebsocketSdkApiSnapshotField, WebsocketSdkTarget

PATTERNS = ("*.yaml", "*.yml", "*.json")
SNAPSHOT_SUFFIX = ".api.json"
_NAMED = (".asyncapi.yaml", ".asyncapi.yml", ".asyncapi.json")
_ASYNCAPI_KEY = re.compile(rb'^asyncapi\s*:|^\s*\{?\s*"asyncapi"\s*:', re.MULTILINE)


def is_asyncapi_document(path: str, head: bytes) -> bool:
    """A spec tailor proposes: named ``*.asyncapi.*``, or ``asyncapi`` at its top level."""
    return path.endswith(_NAMED) or bool(_ASYNCAPI_KEY.search(head[:4096]))


@dataclass(frozen=True)
class PutativeWebsocketSdkTargetsRequest(PutativeTargetsRequest):
    pass


def snapshot_name(path: str) -> str:
    """The snapshot tailor proposes beside a spec: ``chat.api.json`` for ``chat.asyncapi.yaml``
    (``chat.v2.api.json`` for ``chat.v2.yaml``)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    stem = stem[: -len(".asyncapi")] if stem.endswith(".asyncapi") else stem
    return (stem or "spec") + SNAPSHOT_SUFFIX


def snapshot_names(paths: Iterable[str], existing: Iterable[str]) -> dict[str, str]:
    """Each spec's snapshot: :func:`snapshot_name`, unless another spec in its folder, or an
    existing target (``existing``: their snapshots' paths), has that name; then the spec's
    whole file name (``chat.yaml.api.json``)."""
    paths = sorted(paths)
    wanted = {path: os.path.join(os.path.dirname(path), snapshot_name(path)) for path in paths}
    counts = Counter(wanted.values())
    taken = set(existing)
    return {
        path: (
            snapshot_name(path)
            if counts[wanted[path]] == 1 and wanted[path] not in taken
            else os.path.basename(path) + SNAPSHOT_SUFFIX
        )
        for path in paths
    }


def target_name(path: str) -> str:
    """The target's name is the package it generates, by the generator's own default rule."""
    return default_package(path)


@rule(level=LogLevel.DEBUG, desc="Determine candidate websocket_sdk targets to create")
async def find_putative_websocket_sdks(
    request: PutativeWebsocketSdkTargetsRequest,
    all_owned_sources: AllOwnedSources,
    sdk_targets: AllWebsocketSdkTargets,
    subsystem: SockgenSubsystem,
) -> PutativeTargets:
    if not subsystem.tailor:
        return PutativeTargets()
    found = await Get(Paths, PathGlobs, request.path_globs(*PATTERNS))
    candidates = sorted(
        path
        for path in set(found.files) - set(all_owned_sources)
        if not path.endswith(SNAPSHOT_SUFFIX)  # a snapshot, named by a target's api_snapshot
    )
    contents = await Get(DigestContents, PathGlobs(candidates)) if candidates else ()
    unowned = sorted(c.path for c in contents if is_asyncapi_document(c.path, c.content))
    snapshots = snapshot_names(
        unowned,
        filter(None, (t[WebsocketSdkApiSnapshotField].path(t.address) for t in sdk_targets)),
    )
    return PutativeTargets(
        PutativeTarget.for_target_type(
            WebsocketSdkTarget,
            path=os.path.dirname(path),
            name=target_name(path),
            triggering_sources=[os.path.basename(path)],
            kwargs={
                "source": os.path.basename(path),
                **({"api_snapshot": snapshots[path]} if subsystem.tailor_api_snapshot else {}),
            },
        )
        for path in unowned
    )


def rules() -> Iterable[Any]:
    return (*collect_rules(), UnionRule(PutativeTargetsRequest, PutativeWebsocketSdkTargetsRequest))
