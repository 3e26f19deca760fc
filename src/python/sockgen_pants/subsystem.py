"""``[websocket-sdk]``: where the generator comes from, and what is inferred."""

from __future__ import annotations

from pants.option.option_types import BoolOption, StrOption
from pants.option.subsystem import Subsystem
from pants.util.strutil import softwrap


class WebsocketSdkSubsystem(Subsystem):
    options_scope = "sockgen"
    help = (
        "Options for generating typed WebSocket SDKs with sockgen (`websocket_sdk` targets). "
        "(Pants does not allow a `[websocket-sdk]` scope beside the `websocket_sdk` target.)"
    )

    generator = StrOption(
        default="//src/python/sockgen:cli",
        help=softwrap(
            """
            Address of the target the generator PEX is built from: this repository's
            `pex_binary` of sockgen, or a `python_requirement` of a published sockgen. It runs
            as `sockgen.cli:main` in the sandbox.
            """
        ),
    )
    infer_runtime_dependency = BoolOption(
        default=True,
        help=softwrap(
            """
            Add dependencies on what generated code imports (`sockgen_runtime`, `pydantic`,
            `websockets`), found in the target's resolve. Pants errors if one is missing.
            """
        ),
        advanced=True,
    )
    tailor = BoolOption(
        default=True,
        help="If true, `tailor` proposes `websocket_sdk` targets for `*.asyncapi.{yaml,yml,json}` files.",
        advanced=True,
    )
    tailor_api_snapshot = BoolOption(
        default=True,
        help=softwrap(
            """
            If true, the targets `tailor` proposes name an `api_snapshot` (`chat.api.json` for
            `chat.asyncapi.yaml`): `pants fix` then records the API, and `pants lint` checks
            every later change to it.
            """
        ),
        advanced=True,
    )

    #: The modules generated code imports, and the requirement that usually provides each.
    runtime_modules = (
        ("sockgen_runtime", "sockgen_runtime"),
        ("sockgen_runtime.testing", "sockgen_runtime"),  # the generated fakes (testing.py)
        ("pydantic", "pydantic"),
        ("websockets", "websockets"),
    )
