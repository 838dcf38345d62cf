"""Settings for the test suite: the real PostgreSQL and Redis, tasks run eagerly unless a test starts a worker."""

from tarmoa.settings import *  # noqa: F403
from tarmoa.settings import REDIS_AVAILABLE, REDIS_URL

if not REDIS_AVAILABLE:
    raise RuntimeError(f"The test suite needs Redis at {REDIS_URL} (set REDIS_URL).")

CELERY_TASK_ALWAYS_EAGER = True
CACHE_KEY_PREFIX = "tarmoa-test"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
