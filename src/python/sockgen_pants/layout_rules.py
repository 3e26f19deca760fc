"""Which modules a ``websocket_sdk`` target provides, without running the generator.

Dependency inference needs this before the generator PEX can be built (building
it needs dependency inference), so it comes from a light parse of the spec and
config through the generator's own ``sockgen.input.load`` and ``sockgen.names.layout``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable

from pants.base.glob_match_error_behavior import GlobMatchErrorBehavior
from pants.engine.fs import DigestContents, PathGlobs
from pants.engine.internals.native_engine import Address
from pants.engine.rules import Get, collect_rules, rule
from pants.engine.target import Target
from pants.util.logging import LogLevel
from sockgen.errors import SpecError
from sockgen.input.load import parse
from sockgen.names import layout
from sockgen.names.naming import default_package

from .target_types import WebsocketSdkConfigField, WebsocketSdkPackageField, WebsocketSdkSourceField


class WebsocketSdkLayoutError(Exception):
    pass


def package_name(tgt: Target) -> str:
    """The ``package`` field, else the generator's default for the spec's file name."""
    value = tgt[WebsocketSdkPackageField].value
    return value if value else default_package(tgt[WebsocketSdkSourceField].file_path)


def config_path(tgt: Target) -> str | None:
    value = tgt[WebsocketSdkConfigField].value
    return os.path.normpath(os.path.join(tgt.address.spec_path, value)) if value else None


@dataclass(frozen=True)
class WebsocketSdkLayoutRequest:
    address: Address
    spec_path: str
    config_path: str | None
    package: str

    @classmethod
    def for_target(cls, tgt: Target) -> WebsocketSdkLayoutRequest:
        return cls(
            tgt.address, tgt[WebsocketSdkSourceField].file_path, config_path(tgt), package_name(tgt)
        )


@dataclass(frozen=True)
class WebsocketSdkLayout:
    package: str
    channel_modules: tuple[str, ...]

    @property
    def python_modules(self) -> tuple[str, ...]:
        return tuple(layout.python_modules(self.package, self.channel_modules))


async def _read(path: str, address: Address) -> str:
    contents = await Get(
        DigestContents,
        PathGlobs(
            [path],
            glob_match_error_behavior=GlobMatchErrorBehavior.error,
            description_of_origin=f"the websocket_sdk target {address}",
        ),
    )
    return contents[0].content.decode("utf-8")


@rule(desc="Predict the modules of a websocket_sdk", level=LogLevel.DEBUG)
async def predict_layout(request: WebsocketSdkLayoutRequest) -> WebsocketSdkLayout:
    try:
        spec = parse(
            await _read(request.spec_path, request.address),
            request.spec_path,
            json_only=request.spec_path.endswith(".json"),
        )
        config = None
        if request.config_path:
            config = parse(
                await _read(request.config_path, request.address),
                request.config_path,
                json_only=request.config_path.endswith(".json"),
            )
    except SpecError as exc:
        raise WebsocketSdkLayoutError(f"{request.address}: {exc}") from None
    if not isinstance(spec, dict):
        raise WebsocketSdkLayoutError(f"{request.address}: {request.spec_path} is not a mapping")
    keys = layout.channel_keys(spec, config if isinstance(config, dict) else None)
    return WebsocketSdkLayout(request.package, tuple(layout.channel_modules(keys).values()))


def rules() -> Iterable[Any]:
    return collect_rules()
