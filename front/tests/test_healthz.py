import json

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_redis_and_embeddings(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert data["checks"]["database"] == {"ok": True}
    assert data["checks"]["redis"] == {"ok": True, "mode": "broker"}
    assert data["checks"]["embeddings"]["ok"] is True


def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "unavailable"
    assert data["checks"]["redis"]["ok"] is False


def test_healthz_is_503_when_an_extension_is_missing(client):
    with connection.cursor() as cursor:
        cursor.execute("drop extension unaccent cascade")  # rolled back with the test
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "unaccent" in json.loads(response.content)["checks"]["database"]["error"]
