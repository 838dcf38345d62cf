"""/healthz: what works, what is degraded, and whether this instance should take traffic.

- `ok` (200): everything works.
- `degraded` (200): pages work but something is missing; `degraded` names it (the cache
  or the task broker, i.e. Redis). Only when REDIS_REQUIRED is off: with it on, Redis
  missing is `unavailable`.
- `unavailable` (503): the database or the embedding model fails (search cannot work),
  or Redis is missing while REDIS_REQUIRED is on.
"""

from __future__ import annotations

from django.conf import settings

from catalog.health import check_database, check_embeddings, check_redis
from tarmoa.lib.resilient_cache import cache_state

ESSENTIAL = ("database", "embeddings")


def health_report() -> tuple[int, dict]:
    checks = {
        "database": check_database(),
        "redis": check_redis(),
        "cache": cache_state(),
        "embeddings": check_embeddings(),
    }
    failing = [name for name, check in checks.items() if not check["ok"]]
    essential = set(ESSENTIAL) | ({"redis", "cache"} if settings.REDIS_REQUIRED else set())
    if any(name in essential for name in failing):
        return 503, {"status": "unavailable", "degraded": failing, "checks": checks}
    if failing:
        return 200, {"status": "degraded", "degraded": failing, "checks": checks}
    return 200, {"status": "ok", "degraded": [], "checks": checks}
