from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The professionals' side at /ammattilainen/: what each role does every day."""

    name = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
