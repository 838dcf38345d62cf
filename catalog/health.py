"""Readiness checks for /healthz: database, Redis and the embedding model."""

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


def check_redis() -> dict:
    if not settings.REDIS_AVAILABLE:
        # Started without a broker on purpose (eager tasks, local cache): not an outage.
        return {"ok": True, "mode": "disabled"}
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def check_embeddings() -> dict:
    try:
        backend = get_backend()
        vector = backend.embed_queries(["terveys"])[0]
    except Exception as exc:  # a model that cannot load or run is "not ready"
        return {"ok": False, "error": str(exc)[:200]}
    if vector.shape != (EMBEDDING_DIMENSIONS,):
        return {"ok": False, "error": f"unexpected vector shape {vector.shape}"}
    return {"ok": True, "backend": backend.name}


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "redis": check_redis(), "embeddings": check_embeddings()}
    healthy = all(item["ok"] for item in checks.values())
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": checks}
