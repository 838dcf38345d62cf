"""Named personas shared by every app's tests: resident, professional, editor, manager and admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Finnish: a request to /sv/... leaves Swedish active in the thread,
    and reverse() would then build /sv/ URLs in the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached values never leak from one test into another."""
    from django.core.cache import cache

    from catalog.search.cache import clear_process_caches

    cache.clear()
    clear_process_caches()


@pytest.fixture
def resident(client):
    """Residents use Tarmoa anonymously."""
    return client


def _user(username: str, *, group: str | None = None, staff: bool = False, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_staff=staff, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def professional(db) -> User:
    """A social or health care professional: service guidance, no staff rights."""
    return _user("ammattilainen", group="professional")


@pytest.fixture
def editor(db) -> User:
    """A regional editor who curates the offering."""
    return _user("toimittaja", group="editor")


@pytest.fixture
def manager(db) -> User:
    """A region manager: the dashboard only."""
    return _user("johtaja", group="manager")


@pytest.fixture
def admin_user(db) -> User:
    """An administrator: every role, and the Django admin."""
    return _user("yllapitaja", group="admin", staff=True, superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _load_demo_catalog() -> None:
    from catalog.search.indexing import services_index
    from catalog.services import codelists_load, region_setup
    from ingest.demo import demo_events_load, demo_services_load

    codelists_load()
    region_setup()
    demo_services_load()
    demo_events_load()
    services_index()


@pytest.fixture
def demo_catalog(db):
    """The demo region, synced through the real client and indexed, committed once and shared.

    It is loaded on a separate connection (a thread) so that it commits while tests run
    inside their own rolled-back transactions on top of it. A test that flushes the
    database (transactional_db) simply makes the next user load it again.
    """
    from catalog.models import Service

    if Service.objects.filter(is_public=True, embedding__isnull=False).exists():
        return
    on_own_connection(_load_demo_catalog)


def on_own_connection(work):
    """Run `work` in a thread on a database connection of its own and return its result.

    What it writes commits at once, outside the test's rolled-back transaction, so a live
    server's threads (and later tests) see it. Its exception is re-raised here.
    """
    import threading

    out: list = []
    errors: list[BaseException] = []

    def run() -> None:
        from django.db import connection

        try:
            out.append(work())
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out[0]


def pytest_unconfigure(config):
    """Stop the embedded PostgreSQL if this test run started it (a clean clone, CI)."""
    from django.conf import settings

    if getattr(settings, "EMBEDDED_DATABASE_STARTED_HERE", False):
        from tarmoa.lib import embedded_db

        embedded_db.stop()
