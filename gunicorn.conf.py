"""gunicorn settings for the web process (read from the working directory; flags override).

Sync workers, one request at a time each: a search is CPU work (query embedding, then
PostgreSQL), and threads in one process only queue on the GIL. Measured with `make bench`
on 2 cores, 16 clients: 3 workers x 4 threads 67 searches/s p95 422 ms; 6 sync workers
85/s p95 234 ms (README, "Search performance").

Sync workers must never face clients directly: one slow client holds a worker for the
whole timeout. In docker-compose.yml Caddy terminates TLS, reads each request in full
(headers and body) and only then hands it to gunicorn, which is not published.

The worker count is explicit: `WEB_CONCURRENCY` (compose sets it). Without it, three
workers per CPU the process may actually use (the measured best above), counting its CPU
affinity and its cgroup's quota: a container limited to 2 CPUs on a 64-core host gets 6,
not 192. Each worker holds
the embedding model (~100 MB at rest, ~200 MB under load), so the count is also a memory
decision: docker-compose.yml sets WEB_CONCURRENCY=3 in a 1 GB limit.
"""

import glob
import logging
import math
import os
import tempfile

# One thread of the embedding engine per worker: the workers already use every core.
os.environ.setdefault("EMBEDDING_THREADS", "1")


def usable_cpus(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """CPUs this process may use: affinity, capped by a cgroup v2 or v1 CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = None
    try:  # cgroup v2: "max 100000" or "200000 100000"
        with open(os.path.join(cgroup_root, "cpu.max")) as f:
            limit, period = f.read().split()[:2]
        if limit != "max":
            quota = int(limit) / int(period)
    except (OSError, ValueError):
        try:  # cgroup v1
            with open(os.path.join(cgroup_root, "cpu", "cpu.cfs_quota_us")) as f:
                limit_us = int(f.read())
            with open(os.path.join(cgroup_root, "cpu", "cpu.cfs_period_us")) as f:
                period_us = int(f.read())
            if limit_us > 0 and period_us > 0:
                quota = limit_us / period_us
        except (OSError, ValueError):
            pass
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


workers = _positive_int("WEB_CONCURRENCY", 3 * usable_cpus())
threads = _positive_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _positive_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# Behind the proxy: keep its connections a little, never a client's.
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _positive_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
limit_request_line = 4094
limit_request_fields = 100
# gunicorn's runtime control socket (gunicornc) lives in $HOME, shared by every gunicorn of
# the user and missing for the image's home-less user; restarts go through compose instead.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# Path only (%(U)s), never the query string (%(q)s) or the full request line (%(r)s):
# queries are personal, and result links carry their token in the query or path.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own loggers do not propagate to the root logger Django configures.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "tarmoa.lib.jsonlog.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def on_starting(server):
    """Prometheus metrics from every worker, not only the one a scrape happens to reach:
    prometheus_client's multiprocess mode keeps each worker's values in files in one folder
    (set here in the master, so every worker inherits it). A previous run's files go."""
    directory = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="tarmoa-prometheus-"))
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load the embedding model and theme vectors before the first search, not during it, and
    import every URL module: a worker's first request otherwise paid for importing them all
    (LocaleMiddleware asks the URLconf; profiled at 4 % of the workers' time in `make bench`)."""
    from django.conf import settings
    from django.conf.urls.i18n import is_language_prefix_patterns_used
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - populating the resolver imports every URL module
    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    try:
        from catalog.search.results import warm_up

        warm_up()
    except Exception:  # the search still answers lexically; /healthz reports the model
        logging.getLogger("tarmoa").exception("embedding model could not be loaded at worker start")
