"""Stage 5a: the model to views, one module per file a view describes.

Every decision about generated code is made here: which module defines each
type and in which order (``placement``, ``models``), the ``*Param`` dict twin
of each type a client sends, the send helper of each client event and the
typed ``on()`` overloads (``connection``), the top-level clients' resources
(``client``), the fake server's channels (``testing``), the README's
examples (``readme``), and the whole package (``package``). Views hold only
escaped fragments (:mod:`sockgen.emit.pycode`), so the templates that print
them (``render``) decide nothing and cannot print spec text unescaped.
"""

from __future__ import annotations

from .connection import ChannelView, Helper, helper_paths
from .package import PackageView, build
from .placement import place_types
from .readme import example_args, sample

__all__ = [
    "ChannelView",
    "Helper",
    "PackageView",
    "build",
    "example_args",
    "helper_paths",
    "place_types",
    "sample",
]
