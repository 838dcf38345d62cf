from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "survey"
    verbose_name = _("Hyvinvointikartoitus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The result links hold a person's answers: keep them out of the request logs.
        from tarmoa.lib import logfilters

        logfilters.install()
