"""Pants backend entry point (listed in pants.toml ``backend_packages``)."""

from __future__ import annotations

from typing import Any, Iterable

from . import codegen, dependencies, layout_rules, module_mapper, snapshot, tailor
from . import target_types as sdk_target_types
from .target_types import WebsocketSdkTarget, WebsocketSpecFilesTarget


def rules() -> Iterable[Any]:
    return (
        *sdk_target_types.rules(),
        *layout_rules.rules(),
        *module_mapper.rules(),
        *dependencies.rules(),
        *codegen.rules(),
        *tailor.rules(),
        *snapshot.rules(),
    )


def target_types() -> Iterable[type]:
    return (WebsocketSdkTarget, WebsocketSpecFilesTarget)
