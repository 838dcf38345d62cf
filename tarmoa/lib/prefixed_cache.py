"""A Redis cache whose clear() removes only its own keys.

Django's RedisCache.clear() runs FLUSHDB, which would also empty keys of any other process
sharing the database (a second test run in another checkout, a developer's server). Tests
clear the cache before each test, so they use this backend with a per-process key prefix.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache


class PrefixClearingRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(write=True)
        pattern = self.make_key("*")
        batch: list = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
