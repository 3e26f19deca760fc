"""What the generator accepts, in numbers, and the recursion limit it runs under.

Every limit is a constant here, so what a spec gives does not depend on the
machine or on the caller's recursion limit: parsing runs with the recursion
limit set to :data:`PARSE_RECURSION_LIMIT` (the C parsers recurse on the C
stack, so a caller's higher limit could let a deep document crash the
process), and the later stages run with at least :data:`RECURSION_LIMIT`,
enough for the deepest schemas accepted (:data:`MAX_SCHEMA_DEPTH`). This module
also runs inside Pants (CPython 3.9).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Iterator

#: How deep a document may nest; the deepest real spec seen (OpenAI's) nests 22 levels.
MAX_DEPTH = 100
#: Nodes an aliased YAML document may expand to; real specs are far below it.
MAX_EXPANDED_NODES = 5_000_000
#: How deep schemas may nest, counting every property, item, union member and $ref on the
#: way (real specs stay under 20).
MAX_SCHEMA_DEPTH = 60
#: The recursion limit while parsing: enough for MAX_DEPTH, low enough for the C stack.
PARSE_RECURSION_LIMIT = 1000
#: The least recursion limit for converting, rendering and formatting MAX_SCHEMA_DEPTH.
RECURSION_LIMIT = 4000


@contextlib.contextmanager
def recursion_limit(limit: int, *, at_least: bool = False) -> Iterator[None]:
    """Run with the recursion limit at ``limit`` (or at least it), restored afterwards."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, limit) if at_least else limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)
