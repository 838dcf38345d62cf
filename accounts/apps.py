from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may do what: roles as groups, the user's region, and the checks views call."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import signals

        signals.connect()
