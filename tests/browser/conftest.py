"""Browser tests: Debian's Chromium driven by Playwright against a real server thread.

The demo region is loaded once (committed); the server runs in a thread of this process
against the test database. Never downloads a browser: /usr/bin/chromium only.
"""

from __future__ import annotations

import os
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread; database access from the
# test thread is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    from catalog.models import Service
    from conftest import _load_demo_catalog

    with django_db_blocker.unblock():
        if not Service.objects.filter(is_public=True, embedding__isnull=False).exists():
            _load_demo_catalog()
    blocker = django_db_blocker.unblock()
    blocker.__enter__()
    server = make_server(
        "127.0.0.1", 0, StaticFilesHandler(get_wsgi_application()), _ThreadingWSGIServer, _QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    # Connections opened by the server's request threads would block dropping the test database.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        )
    # Django's connections are context-local (asgiref) and Playwright runs an event loop here,
    # so this may not be the connection the tests used: close it too, or it holds the test
    # database open when pytest-django drops it ("being accessed by other users").
    connection.close()
    blocker.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run 'make test' (it installs it) or apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = context.new_page()
    yield page
    context.close()
