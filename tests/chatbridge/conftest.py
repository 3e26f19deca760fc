"""The SDKs' generated fakes as pytest fixtures, the way their READMEs show."""

import pytest_asyncio
from chat_sdk.testing import FakeChat
from feed_sdk.testing import FakeAcme

chat = pytest_asyncio.fixture(FakeChat.fixture)
feed = pytest_asyncio.fixture(FakeAcme.fixture)
