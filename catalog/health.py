"""Readiness checks for /healthz: database, Redis and the embedding model.

Each is cheap enough to run on every probe: one small query, one PING with a short
timeout, and the embedding model checked by one embedding the first time only (after
that the process's loaded model is trusted; a model does not break while loaded).
"""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection

from catalog.models import EMBEDDING_DIMENSIONS
from catalog.search.embeddings import get_backend


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("select extname from pg_extension where extname in ('vector', 'pg_trgm', 'unaccent')")
            extensions = sorted(row[0] for row in cursor.fetchall())
    except Exception as exc:  # any driver error means "not ready"
        return {"ok": False, "error": exc.__class__.__name__}
    missing = sorted({"pg_trgm", "unaccent", "vector"} - set(extensions))
    if missing:
        return {"ok": False, "error": f"missing extensions: {', '.join(missing)}"}
    return {"ok": True}


_redis_clients: dict[str, redis.Redis] = {}


def check_redis() -> dict:
    if not settings.REDIS_AVAILABLE:
        # Started without a broker: tasks run inside the web process and the cache is per process.
        return {"ok": False, "mode": "disabled", "error": "not reachable at start: tasks run in the web process"}
    client = _redis_clients.get(settings.REDIS_URL)
    if client is None:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        _redis_clients[settings.REDIS_URL] = client
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


_embeddings_checked: dict[str, dict] = {}


def check_embeddings() -> dict:
    """One embedding the first time in a process; afterwards the loaded model's state."""
    known = _embeddings_checked.get("result")
    if known is not None:
        return known
    try:
        backend = get_backend()
        vector = backend.embed_queries(["terveys"])[0]
    except Exception as exc:  # a model that cannot load or run is "not ready"
        return {"ok": False, "error": str(exc)[:200]}
    if vector.shape != (EMBEDDING_DIMENSIONS,):
        return {"ok": False, "error": f"unexpected vector shape {vector.shape}"}
    _embeddings_checked["result"] = result = {"ok": True, "backend": backend.name}
    return result
