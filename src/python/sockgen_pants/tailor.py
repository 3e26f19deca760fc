"""``tailor`` proposes a websocket_sdk for each unowned ``*.asyncapi.{yaml,yml,json}``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable

from pants.core.goals.tailor import (
    AllOwnedSources,
    PutativeTarget,
    PutativeTargets,
    PutativeTargetsRequest,
)
from pants.engine.fs import PathGlobs, Paths
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.unions import UnionRule
from pants.util.logging import LogLevel
from sockgen.naming import default_package

from .subsystem import WebsocketSdkSubsystem
from .target_types import WebsocketSdkTarget

PATTERNS = ("*.asyncapi.yaml", "*.asyncapi.yml", "*.asyncapi.json")


@dataclass(frozen=True)
class PutativeWebsocketSdkTargetsRequest(PutativeTargetsRequest):
    pass


def target_name(path: str) -> str:
    """The target's name is the package it generates, by the generator's own default rule."""
    return default_package(path)


@rule(level=LogLevel.DEBUG, desc="Determine candidate websocket_sdk targets to create")
async def find_putative_websocket_sdks(
    request: PutativeWebsocketSdkTargetsRequest,
    all_owned_sources: AllOwnedSources,
    subsystem: WebsocketSdkSubsystem,
) -> PutativeTargets:
    if not subsystem.tailor:
        return PutativeTargets()
    found = await Get(Paths, PathGlobs, request.path_globs(*PATTERNS))
    unowned = sorted(set(found.files) - set(all_owned_sources))
    return PutativeTargets(
        PutativeTarget.for_target_type(
            WebsocketSdkTarget,
            path=os.path.dirname(path),
            name=target_name(path),
            triggering_sources=[os.path.basename(path)],
            kwargs={"source": os.path.basename(path)},
        )
        for path in unowned
    )


def rules() -> Iterable[Any]:
    return (*collect_rules(), UnionRule(PutativeTargetsRequest, PutativeWebsocketSdkTargetsRequest))
