from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from generator.support import import_all, write
from runtime.wsserver import server
from sockgen.generate import generate

SPECS = Path("specs")


@pytest.fixture(scope="session")
def sdk_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sdks")
    write(generate(SPECS / "chat" / "chat.asyncapi.yaml", package="chat_sdk"), root)
    write(generate(SPECS / "feed" / "feed.openapi.yaml", SPECS / "feed" / "stainless.yaml"), root)
    return root


@pytest.fixture(scope="session")
def feed_sdk(sdk_root: Path) -> dict[str, ModuleType]:
    return import_all(sdk_root, "feed_sdk")


@pytest.fixture(scope="session")
def chat_sdk(sdk_root: Path) -> dict[str, ModuleType]:
    return import_all(sdk_root, "chat_sdk")


__all__ = ["chat_sdk", "feed_sdk", "sdk_root", "server"]
