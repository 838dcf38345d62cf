from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The resident-facing side: pages, the public API and the one site search they share."""

    name = "front"
    default_auto_field = "django.db.models.BigAutoField"
