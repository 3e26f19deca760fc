"""The ``websocket_sdk`` target."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Iterable

from pants.backend.python.target_types import PythonResolveField
from pants.engine.addresses import Address
from pants.engine.rules import collect_rules, rule
from pants.engine.target import (
    COMMON_TARGET_FIELDS,
    AllTargets,
    Dependencies,
    InvalidFieldException,
    MultipleSourcesField,
    SingleSourceField,
    StringField,
    Target,
    Targets,
)
from pants.util.strutil import help_text

SPEC_EXTENSIONS = (".yaml", ".yml", ".json")


class WebsocketSdkSourceField(SingleSourceField):
    expected_file_extensions = SPEC_EXTENSIONS
    help = help_text("The AsyncAPI (2.x, 3.0) or OpenAPI (3.0, 3.1) document, JSON or YAML.")


class WebsocketSdkConfigField(StringField):
    alias = "config"
    help = help_text(
        """
        A sockgen or Stainless-style config file, relative to this BUILD file's folder.
        Required for OpenAPI specs (it names each WebSocket's client and server event schemas).
        """
    )


class WebsocketSdkPackageField(StringField):
    alias = "package"
    help = help_text(
        """
        The Python package to generate (what downstream code imports). Defaults to the
        spec's file name in snake_case with `_sdk` added (`chat.asyncapi.yaml` -> `chat_sdk`),
        the rule the `sockgen` CLI uses too.
        """
    )


class WebsocketSdkDirectionField(StringField):
    alias = "direction"
    valid_choices = ("client", "server")
    help = help_text(
        """
        AsyncAPI only: the side the document is written from (`client` or `server`), when the
        generator cannot tell it from the document (it then fails and asks for this field).
        Overrides the config's `sockgen.direction`. `sockgen inspect SPEC` shows the evidence.
        """
    )


class WebsocketSdkApiSnapshotField(StringField):
    alias = "api_snapshot"
    help = help_text(
        """
        A committed snapshot of the spec's API surface (`sockgen api`), relative to this BUILD
        file's folder, e.g. `chat.api.json`. `pants lint` fails when the spec's surface differs
        from it, listing each change classified by direction, and refuses a breaking change
        unless the spec's `info.version` has a new major number; `pants fix` rewrites it
        (or writes it the first time) when the change is allowed.
        """
    )

    @classmethod
    def compute_value(cls, raw_value: str | None, address: Address) -> str | None:
        value = super().compute_value(raw_value, address)
        if value is None:
            return None
        parts = PurePosixPath(value).parts
        if not value.endswith(".json") or value.startswith("/") or ".." in parts:
            raise InvalidFieldException(
                f"The `{cls.alias}` field of {address} must be a `.json` file in or under the "
                f"BUILD file's folder, not {value!r}."
            )
        return value

    def path(self, address: Address) -> str | None:
        """The snapshot's path from the build root."""
        if self.value is None:
            return None
        return str(PurePosixPath(address.spec_path, self.value))


class WebsocketSdkDependenciesField(Dependencies):
    help = help_text(
        """
        Other files the spec reaches with relative `$ref`s (`files` or `resources` targets,
        or other `websocket_sdk` targets), so that multi-file specs are complete in the sandbox.
        """
    )


class WebsocketSdkPythonResolveField(PythonResolveField):
    alias = "python_resolve"


class WebsocketSdkPythonSourceRootField(StringField):
    alias = "python_source_root"
    help = help_text(
        "The source root to generate the package under. Defaults to the spec's own source root."
    )


class WebsocketSdkTarget(Target):
    alias = "websocket_sdk"
    core_fields = (
        *COMMON_TARGET_FIELDS,
        WebsocketSdkSourceField,
        WebsocketSdkConfigField,
        WebsocketSdkPackageField,
        WebsocketSdkDirectionField,
        WebsocketSdkApiSnapshotField,
        WebsocketSdkDependenciesField,
        WebsocketSdkPythonResolveField,
        WebsocketSdkPythonSourceRootField,
    )
    help = help_text(
        """
        A typed Python WebSocket SDK generated from an AsyncAPI or OpenAPI spec by sockgen.

        Python code that imports the package (or any of its modules) depends on this target
        without declaring it.
        """
    )


class WebsocketSpecFilesSourcesField(MultipleSourcesField):
    expected_file_extensions = SPEC_EXTENSIONS
    uses_source_roots = False
    help = help_text("The files (schemas, channels, messages) that specs reach with `$ref`s.")


class WebsocketSpecFilesTarget(Target):
    alias = "websocket_spec_files"
    core_fields = (*COMMON_TARGET_FIELDS, Dependencies, WebsocketSpecFilesSourcesField)
    help = help_text(
        """
        Files of a multi-file spec that its `websocket_sdk` reaches with relative `$ref`s.

        List it in the `websocket_sdk`'s `dependencies` so that the files are in the
        generator's sandbox. (A `files` target works too, but `export-codegen` copies the
        files of every `files` target to `dist/codegen`.)
        """
    )


class AllWebsocketSdkTargets(Targets):
    pass


@rule(desc="Find all websocket_sdk targets in the project")
def find_all_websocket_sdk_targets(targets: AllTargets) -> AllWebsocketSdkTargets:
    return AllWebsocketSdkTargets(tgt for tgt in targets if tgt.has_field(WebsocketSdkSourceField))


def rules() -> Iterable[Any]:
    return collect_rules()
