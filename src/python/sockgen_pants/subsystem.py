"""``[sockgen]``: the generator as a Pants tool, and what the plugin infers and proposes.

Like Pants' own tools (``[black]``, ``[mypy-protobuf]``), the generator is a
requirement, ``sockgen==<this plugin's version>``, installed from a lockfile that
ships in the plugin (``sockgen.lock``) or from a resolve of the repository's own
(``install_from_resolve``). sockgen's own repository builds it from its source
tree instead (``generator``).
"""

from __future__ import annotations

from typing import ClassVar, Sequence

from pants.backend.python.subsystems.python_tool_base import LockfileRules, PythonToolBase
from pants.backend.python.target_types import EntryPoint
from pants.option.option_types import BoolOption, StrOption
from pants.util.strutil import softwrap
from sockgen import contract
from sockgen.version import VERSION


class SockgenSubsystem(PythonToolBase):
    options_scope = "sockgen"
    name = "sockgen"
    help = softwrap(
        """
        The sockgen generator, which turns the spec of each `websocket_sdk` target into a typed
        Python package (the `sockgen` distribution of the plugin's release). (Pants does not allow a
        `[websocket-sdk]` scope beside the `websocket_sdk` target.)
        """
    )

    default_version = f"sockgen=={VERSION}"
    default_requirements = (default_version,)
    default_main = EntryPoint("sockgen.cli", "main")

    register_interpreter_constraints = True
    default_interpreter_constraints: ClassVar[Sequence[str]] = ["CPython>=3.10,<3.14"]

    default_lockfile_resource = ("sockgen_pants", "sockgen.lock")
    lockfile_rules_type = LockfileRules.SIMPLE

    generator = StrOption(
        default=None,
        advanced=True,
        help=softwrap(
            """
            Build the generator from this target (a `pex_binary` or `python_sources` of
            sockgen's source) instead of installing the `sockgen` requirement. For sockgen's own
            repository and forks of it; other repositories leave it unset.
            """
        ),
    )
    infer_runtime_dependency = BoolOption(
        default=True,
        help=softwrap(
            f"""
            Add dependencies on what generated code imports (`sockgen_runtime`, `pydantic`,
            `websockets`), found in the target's resolve. Pants errors if one is missing, naming
            the requirement lines to add (`{contract.RUNTIME}`, ...).
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

    #: The modules generated code imports (the generated fakes import ``sockgen_runtime.testing``).
    runtime_modules = ("sockgen_runtime", "sockgen_runtime.testing", "pydantic", "websockets")

    @staticmethod
    def requirement_for(module: str) -> str:
        """The requirement line that provides ``module`` (``pydantic>=2.11,<3``)."""
        return contract.IMPORTS[module.partition(".")[0]]
