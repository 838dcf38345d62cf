"""What the wellbeing survey stores: only with consent, and nothing that identifies a person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyResponse(models.Model):
    """One consented answer set for statistics: municipality, optional age band, per-theme scores, week.

    No name, IP address, user agent, session, cookie or free text is ever stored here.
    """

    municipality = models.CharField(max_length=3, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    week = models.DateField(help_text=_("Viikon maanantai"))
    scores = models.JSONField(help_text=_("Teemakohtaiset pisteet 0–100"))

    class Meta:
        verbose_name = _("kartoituksen vastaus")
        verbose_name_plural = _("kartoituksen vastaukset")
        indexes = [
            # Dashboard: responses per week and municipality.
            models.Index(fields=["week", "municipality"], name="surveyresponse_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.municipality or '-'}"
