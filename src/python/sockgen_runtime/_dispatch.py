"""The handler registry behind ``on``/``off``/``once``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, overload

Handler = Callable[..., Any]

#: Names that are not events: ``error`` gets an :class:`~sockgen_runtime._parsing.InvalidMessage`
#: or :class:`~sockgen_runtime._parsing.HandlerError`; ``raw_data`` gets each binary frame;
#: ``unknown`` each :class:`~sockgen_runtime._parsing.UnknownEvent` (``unknown_events="deliver"``).
SPECIAL_EVENTS = frozenset({"error", "raw_data", "unknown"})


class _ByClass(dict[type, Sequence[Handler]]):
    """The handlers of each event class, filled in as events come (the dispatch fast path:
    a dict lookup); a class whose event has ``once`` handlers is never kept, so they leave.

    Every change to the registry empties it. A lookup that raced a change from another
    thread (the blocking client's handlers may be registered anywhere) is not kept: the
    registry's generation, read before and checked under its lock, says so."""

    def __init__(self, registry: HandlerRegistry, names: Mapping[type, str]) -> None:
        super().__init__()
        self._registry = registry
        self._names = names

    def __missing__(self, cls: type) -> Sequence[Handler]:
        registry = self._registry
        generation = registry.generation
        name = self._names.get(cls)
        if name is None or not registry.has(name):
            found: Sequence[Handler] = ()
        else:
            plain = registry._plain.get(name)
            if plain is None:  # once handlers: taken every time, never kept
                return registry.take(name)
            found = plain
        with registry.lock:
            if registry.generation == generation:
                self[cls] = found
        return found


class HandlerRegistry:
    """Handlers by event name, called in registration order; ``once`` ones run one time."""

    def __init__(self, known: Iterable[str], names: Mapping[type, str] | None = None) -> None:
        self._known = frozenset(known) | SPECIAL_EVENTS
        self._handlers: dict[str, list[tuple[Handler, bool]]] = {}
        self._plain: dict[str, tuple[Handler, ...]] = {}
        """Per name, the handlers when none of them is a ``once`` handler (the fast path)."""
        self.lock = threading.Lock()
        self.generation = 0
        """Counts the changes: a per-class lookup made across one is not kept."""
        self.by_class: dict[type, Sequence[Handler]] = _ByClass(self, names or {})
        """``by_class[type(event)]``: the handlers to call for one event (``names`` maps each
        event class to its name); ``once`` handlers leave as they are taken."""

    def _changed(self, name: str) -> None:
        entries = self._handlers.get(name)
        if entries and not any(once for _, once in entries):
            self._plain[name] = tuple(fn for fn, _ in entries)
        else:
            self._plain.pop(name, None)
        with self.lock:
            self.generation += 1
            self.by_class.clear()

    def add(self, name: str, handler: Handler, *, once: bool = False) -> None:
        if name not in self._known:
            choices = ", ".join(sorted(self._known))
            raise ValueError(f"unknown event {name!r}; expected one of: {choices}")
        self._handlers.setdefault(name, []).append((handler, once))
        self._changed(name)

    def remove(self, name: str, handler: Handler | None = None) -> None:
        """Remove one handler, or every handler of ``name`` when ``handler`` is None."""
        if handler is None:
            self._handlers.pop(name, None)
            self._changed(name)
            return
        entries = self._handlers.get(name, [])
        for i, (fn, _) in enumerate(entries):
            if fn is handler or fn == handler:
                del entries[i]
                break
        if not entries:
            self._handlers.pop(name, None)
        self._changed(name)

    def has(self, name: str) -> bool:
        return name in self._handlers

    def take(self, name: str) -> Sequence[Handler]:
        """The handlers to call for one occurrence of ``name``; ``once`` handlers leave."""
        plain = self._plain.get(name)
        if plain is not None:
            return plain
        entries = self._handlers.get(name)
        if not entries:
            return []
        handlers = [fn for fn, _ in entries]
        if any(once for _, once in entries):
            kept: list[tuple[Handler, bool]] = [(fn, once) for fn, once in entries if not once]
            if kept:
                self._handlers[name] = kept
            else:
                del self._handlers[name]
            self._changed(name)
        return handlers


H = TypeVar("H", bound=Handler)


class HandlerMethods:
    """``on``/``once``/``off`` for both connection classes; they set ``_registry``."""

    _registry: HandlerRegistry

    @overload
    def on(self, event: str) -> Callable[[H], H]: ...
    @overload
    def on(self, event: str, handler: H) -> H: ...
    def on(self, event: str, handler: H | None = None) -> H | Callable[[H], H]:
        """Register a handler for an event name, ``error`` or ``raw_data``; usable as a decorator."""
        return self._register(event, handler, once=False)

    @overload
    def once(self, event: str) -> Callable[[H], H]: ...
    @overload
    def once(self, event: str, handler: H) -> H: ...
    def once(self, event: str, handler: H | None = None) -> H | Callable[[H], H]:
        """Like :meth:`on`, for the next occurrence only."""
        return self._register(event, handler, once=True)

    def off(self, event: str, handler: Handler | None = None) -> None:
        """Remove one handler, or all handlers of ``event``."""
        self._registry.remove(event, handler)

    def _register(self, event: str, handler: H | None, *, once: bool) -> H | Callable[[H], H]:
        registry = self._registry

        def decorator(fn: H) -> H:
            registry.add(event, fn, once=once)
            return fn

        return decorator if handler is None else decorator(handler)
