"""Per-process copies the search keeps: ProcessCache, themes and municipalities by id, and
clear_process_caches() that forgets them all (tests, admin edits)."""

from __future__ import annotations

import time
from collections.abc import Callable


class ProcessCache:
    """Values kept in this process for `seconds` after they were loaded, by key.

    A key never loaded is simply absent (no "loaded at" sentinel: time.monotonic() counts from
    boot, and a zero once made a freshly booted machine trust empty caches). Two threads may
    both load a missing value; the last one stays. clear_process_caches() empties them all.
    """

    instances: list[ProcessCache] = []

    def __init__(self, seconds: float, *, max_entries: int = 64) -> None:
        self.seconds, self.max_entries = seconds, max_entries
        self._entries: dict = {}
        ProcessCache.instances.append(self)

    def _fresh(self, key) -> tuple | None:
        """(loaded at, value) if the key is here and not older than `seconds`."""
        entry = self._entries.get(key)
        if entry is not None and time.monotonic() - entry[0] <= self.seconds:
            return entry
        return None

    def get(self, key, load):
        entry = self._fresh(key)
        if entry is not None:
            return entry[1]
        value = load()
        self.put(key, value)
        return value

    def peek(self, key):
        """The value if it is here and fresh, else None (for callers that load many keys at once)."""
        entry = self._fresh(key)
        return None if entry is None else entry[1]

    def put(self, key, value) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)

    def clear(self) -> None:
        self._entries.clear()


_cleared_too: list[Callable[[], None]] = []


def cleared_with_process_caches(cached_function):
    """Decorator of a functools.lru_cache function: clear_process_caches() empties it too."""
    _cleared_too.append(cached_function.cache_clear)
    return cached_function


def clear_process_caches() -> None:
    """Forget the per-process copies of themes, municipalities, counts, analyses and query vectors."""
    for cache in ProcessCache.instances:
        cache.clear()
    for clear in _cleared_too:
        clear()


_lookup_cache = ProcessCache(60)


def cached_objects(model) -> dict:
    """Themes and municipalities by id, cached a minute in this process (a handful of rows)."""
    return _lookup_cache.get(model.__name__, model.objects.in_bulk)
