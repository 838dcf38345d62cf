import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarmoa.settings")
application = get_wsgi_application()

# Without Redis: refuse to serve when REDIS_REQUIRED is on, else run degraded (/healthz says so).
from tarmoa.lib.resilient_cache import redis_startup_check  # noqa: E402

redis_startup_check()
