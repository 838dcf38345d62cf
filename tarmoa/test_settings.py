"""Settings for the test suite: the real PostgreSQL and Redis, tasks run eagerly unless a test starts a worker."""

import os

from tarmoa.settings import *  # noqa: F403
from tarmoa.settings import REDIS_AVAILABLE, REDIS_URL

if not REDIS_AVAILABLE:
    raise RuntimeError(f"The test suite needs Redis at {REDIS_URL} (set REDIS_URL).")

CELERY_TASK_ALWAYS_EAGER = True
# Each test process has its own key prefix in its own Redis database, and clearing removes
# only those keys: two test runs side by side (two checkouts) never empty each other's cache.
CACHE_KEY_PREFIX = f"tarmoa-test-{os.getpid()}"
TEST_CACHE_URL = REDIS_URL.rsplit("/", 1)[0] + "/15" if REDIS_URL.startswith("redis") else REDIS_URL
CACHES = {
    "default": {
        # The production backend (falls back to process memory while Redis is away); its
        # clear() removes only this process's keys.
        "BACKEND": "tarmoa.lib.resilient_cache.ResilientRedisCache",
        "LOCATION": TEST_CACHE_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {"RETRY_SECONDS": 5},
    }
}
# Tests sign in with force_login; the two-factor tests turn this on themselves.
TARMOA_REQUIRE_2FA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Server threads in browser tests must not keep connections open past a request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
