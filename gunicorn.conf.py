"""gunicorn settings for the web process (read from the working directory; flags override).

Sync workers, one request at a time each: a search is CPU work (query embedding, then
PostgreSQL), and threads in one process only queue on the GIL. Measured with `make bench`
on 2 cores, 16 clients: 3 workers x 4 threads 67 searches/s p95 422 ms; 6 sync workers
85/s p95 234 ms (README, "Search performance"). Put a buffering proxy (nginx) in front,
as gunicorn advises for sync workers.
"""

import logging
import multiprocessing
import os

# One thread of the embedding engine per worker: the workers already use every core.
os.environ.setdefault("EMBEDDING_THREADS", "1")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 3))
worker_class = "sync"
timeout = 60
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_worker_init(worker):
    """Load the embedding model and theme vectors before the first search, not during it."""
    try:
        from catalog.search.results import warm_up

        warm_up()
    except Exception:  # the search still answers lexically; /healthz reports the model
        logging.getLogger("tarmoa").exception("embedding model could not be loaded at worker start")
