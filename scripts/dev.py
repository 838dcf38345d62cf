"""`make run`: database, migrations, demo region, demo sources, worker and web server; Ctrl-C stops them all.

The embedded PostgreSQL (when DATABASE_URL is unset) is started by settings and stopped
here on exit if this run started it. A Celery worker with beat runs beside the web server
when Redis is reachable; otherwise tasks run eagerly inside the web process.

The demo never talks to the real sources: the fake PTV, Linked Events and Lähellä.fi
(`manage.py serve_demo_sources`) run as a child process, and the web process and the
worker get their URLs through the environment, so beat's scheduled syncs and the admin's
"start sync" button read the demo data offline.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tarmoa.settings")
# A demo runs without Redis too (per-process cache, tasks in the web process); production refuses.
os.environ.setdefault("REDIS_REQUIRED", "0")
PY = sys.executable
ADDRESS = os.environ.get("TARMOA_RUN_ADDRESS", "127.0.0.1:8000")
DEMO_PORT_BASE = int(os.environ.get("TARMOA_DEMO_PORT_BASE", "8101"))


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], check=True)


def start_demo_sources(children: list[subprocess.Popen]) -> dict[str, str]:
    """Start the fake sources and wait until all three accept connections; returns the environment pointing at them."""
    import socket

    from ingest.fakes import demo_settings

    ports = [DEMO_PORT_BASE + offset for offset in range(4)]
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(
                    f"port {port} is already in use (another `make run`?): stop it, or set "
                    "TARMOA_DEMO_PORT_BASE to a free range of four ports"
                )
    children.append(subprocess.Popen([PY, "manage.py", "serve_demo_sources", "--port-base", str(DEMO_PORT_BASE)]))
    for _ in range(120):
        try:
            for port in ports:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return demo_settings(DEMO_PORT_BASE)
        except OSError:
            if children[-1].poll() is not None:
                break
            time.sleep(0.5)
    raise RuntimeError(f"the demo sources did not start on ports {ports[0]}-{ports[-1]}")


def _stop_on_sigterm(signum, frame) -> None:
    # `kill` (SIGTERM) stops the children like Ctrl-C does: without this Python exits at once,
    # skipping the clean-up below, and the fake sources keep their ports.
    raise KeyboardInterrupt


def main() -> int:
    from tarmoa.lib import embedded_db

    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    started_db = False
    if not os.environ.get("DATABASE_URL"):
        started_db = embedded_db.ensure_running()
        print("Embedded PostgreSQL", "started" if started_db else "already running", f"({embedded_db.data_dir()})")

    children: list[subprocess.Popen] = []
    try:
        manage("migrate", "--no-input", "-v", "0")
        manage("load_codelists")
        manage("setup_region")
        manage("load_demo")
        manage("load_demo_receivers")
        manage("collectstatic", "--no-input", "-v", "0")

        import django

        django.setup()
        from django.conf import settings

        demo_env = start_demo_sources(children)
        # Inherited by the worker and the web process below (serve_demo_sources prints them).
        os.environ.update(demo_env)
        if settings.REDIS_AVAILABLE:
            (ROOT / "var").mkdir(exist_ok=True)
            children.append(
                subprocess.Popen(
                    [
                        str(Path(PY).parent / "celery"),
                        "-A",
                        "tarmoa",
                        "worker",
                        "--beat",
                        "--schedule",
                        str(ROOT / "var" / "celerybeat-schedule"),
                        "--loglevel=WARNING",
                        "--concurrency=1",
                    ]
                )
            )
            print("Celery worker and beat started (Redis at", settings.REDIS_URL + ")")
        else:
            print("Redis not reachable: no worker; tasks run eagerly in the web process.")
        print(f"Tarmoa: http://{ADDRESS.replace('127.0.0.1', 'localhost')}/  (Ctrl-C stops)")
        web = subprocess.Popen([PY, "manage.py", "runserver", ADDRESS, "--noreload"])
        children.append(web)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next(child.returncode for child in children if child.poll() is not None) or 0
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        print(f"make run: step failed: {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 1
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if started_db:
            embedded_db.stop()
            print("Embedded PostgreSQL stopped.")


if __name__ == "__main__":
    sys.exit(main())
