from __future__ import annotations

from collections.abc import Iterator

import pytest
from runtime.wsserver import WsServer


@pytest.fixture
def server() -> Iterator[WsServer]:
    srv = WsServer()
    try:
        yield srv
    finally:
        srv.close()
