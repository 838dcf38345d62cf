"""A Redis cache that keeps the site up while Redis is away, and the start-up rule for Redis.

Every cache call goes to Redis with short socket timeouts. When Redis fails (refused,
reset, or silent past the timeout) the call is answered by a per-process memory cache
instead, and Redis is left alone for `RETRY_SECONDS` (a circuit breaker: a hanging Redis
costs one timeout, not one per call). After that the next call tries Redis again, so the
site recovers by itself when Redis returns. Meanwhile values are per process: rate
limits count per process, one-time values (a survey submission, a click reference) are
recognised per process, and nothing is lost that the database holds.

`cache_state()` tells /healthz whether the cache is degraded. `redis_startup_check()`
applies `REDIS_REQUIRED` when a web or worker process starts: refuse to start without
Redis, or run degraded and say so in /healthz.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import RedisError

from tarmoa.lib.prefixed_cache import PrefixClearingRedisCache

log = logging.getLogger("tarmoa.cache")

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
)
_instances: list[ResilientRedisCache] = []


class ResilientRedisCache(PrefixClearingRedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        # Short timeouts: a page must not wait seconds on a hanging cache.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"resilient-fallback-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", "")},
        )
        self._down_until = 0.0
        self._last_error = ""
        self._lock = threading.Lock()
        _instances.append(self)

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    @property
    def last_error(self) -> str:
        return self._last_error

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = not self.degraded
            self._down_until = time.monotonic() + self.retry_seconds
            self._last_error = exc.__class__.__name__
        if first:
            log.warning(
                "Cache (Redis) unreachable on %s (%s): serving from process memory, retrying in %s s.",
                operation,
                exc.__class__.__name__,
                self.retry_seconds,
            )

    def _call(self, operation: str, *args, **kwargs):
        if not self.degraded:
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except RedisError as exc:
                self._failed(operation, exc)
            else:
                if self._last_error:
                    log.warning("Cache (Redis) reachable again.")
                    self._last_error = ""
                return result
        return getattr(self.fallback, operation)(*args, **kwargs)

    def probe(self) -> bool:
        """Whether Redis answers a PING now (inside the breaker's interval: no, without asking)."""
        if self.degraded:
            return False
        try:
            self._cache.get_client(None, write=False).ping()
        except RedisError as exc:
            self._failed("ping", exc)
            return False
        return True

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value


def _delegate(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegate(_name))


def cache_state() -> dict:
    """The default cache for /healthz: {"ok": True, "mode": "redis"} or degraded with the reason."""
    from django.core.cache import caches

    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        if not backend.probe():
            return {"ok": False, "mode": "process-memory", "error": backend.last_error or "unreachable"}
        return {"ok": True, "mode": "redis"}
    if isinstance(backend, LocMemCache):
        return {"ok": False, "mode": "process-memory", "error": "Redis not reachable at start"}
    return {"ok": True, "mode": backend.__class__.__name__}


def redis_startup_check() -> None:
    """At a web or worker process's start: without Redis, refuse (REDIS_REQUIRED) or warn loudly."""
    from django.conf import settings

    if settings.REDIS_AVAILABLE:
        return
    if getattr(settings, "REDIS_REQUIRED", False):
        raise ImproperlyConfigured(
            f"Redis is not reachable at {settings.REDIS_URL} and REDIS_REQUIRED is on: not starting. "
            "Start Redis, fix REDIS_URL, or set REDIS_REQUIRED=0 to run degraded (per-process cache, "
            "tasks in the web process; /healthz then says so)."
        )
    log.warning("Running degraded without Redis (REDIS_REQUIRED=0): /healthz reports it.")
