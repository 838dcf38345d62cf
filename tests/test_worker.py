"""A task executed by a real Celery worker through Redis, against the test database.

Kept in the last test file: transactional_db empties the tables afterwards.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from catalog.models import Service

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.worker
def test_embedding_job_runs_on_a_real_worker(transactional_db, settings):
    from catalog.tasks import embed_services
    from tarmoa.celery import app

    service = Service.objects.create(
        source="local", source_id=str(uuid.uuid4()), name_fi="Kävelyryhmä", summary_fi="Reipas kävely joka tiistai"
    )
    assert service.embedding is None
    queue = f"tarmoa-test-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tarmoa.settings",
        "DATABASE_NAME": connection.settings_dict["NAME"],
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMBEDDING_THREADS": "1",
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "tarmoa", "worker", "-Q", queue, "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    app.conf.task_always_eager = False
    try:
        embed_services.apply_async(kwargs={"service_ids": [service.id]}, queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            service.refresh_from_db()
            if service.embedding is not None:
                break
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)
    assert service.embedding is not None
    assert len(service.embedding) == 384
    assert service.embedding_hash
