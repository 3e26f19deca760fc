"""Names generated code defines or imports, which models and clients may not take."""

from __future__ import annotations

from sockgen.names.catalogue import STANDARD, THIRD_PARTY
from sockgen.names.identifiers import RESERVED_CLASS_NAMES


def test_every_name_generated_code_imports_is_reserved() -> None:
    """A model or client class named like an import would shadow it in the module that
    imports both (``FakeServer`` in testing.py, ``Literal`` in messages.py)."""
    assert set(STANDARD) | set(THIRD_PARTY) <= RESERVED_CLASS_NAMES
