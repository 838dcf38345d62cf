"""Settings read typed environment variables and fail clearly on malformed values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tarmoa.lib.env import database_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


def test_env_bool_rejects_garbage(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True


def test_env_int_checks_type_and_range(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "700")
    with pytest.raises(ImproperlyConfigured, match="between"):
        env_int("X_NUM", 1, minimum=1, maximum=600)


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("X_LIST", " 297, 749 ,,")
    assert env_list("X_LIST") == ["297", "749"]


def test_database_url_parsing():
    db = database_from_url("DATABASE_URL", "postgres://u:p%40ss@db.example:5433/tarmoa?sslmode=require")
    assert db["HOST"] == "db.example" and db["PORT"] == "5433" and db["PASSWORD"] == "p@ss"
    assert db["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ImproperlyConfigured):
        database_from_url("DATABASE_URL", "mysql://x/y")


def test_malformed_setting_stops_django_with_a_clear_message():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tarmoa.settings", "TARMOA_REGION_MUNICIPALITIES": "297,kuopio"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "TARMOA_REGION_MUNICIPALITIES" in result.stderr
