from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from catalog.search.postgres import SESSION_SETTINGS


def _tune_search_session(sender, connection, **kwargs) -> None:
    """Per-connection search settings (pg_trgm threshold, HNSW candidate list and filtered scans)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, value in SESSION_SETTINGS.items():
            cursor.execute("select set_config(%s, %s, false)", [name, value])


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Palvelutiedot")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_tune_search_session, dispatch_uid="catalog_tune_search_session")
