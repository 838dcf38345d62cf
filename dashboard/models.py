"""The dashboard's own tables: municipal populations and the weekly roll-ups the page reads.

The roll-ups are derived data only (dashboard.rollups rebuilds them from the search log and
the survey answers); nothing here is ever shown without dashboard.privacy in between.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Population(models.Model):
    """Residents of one municipality on a reference date (Statistics Finland, table 11ra).

    Keyed by the municipality code, not a foreign key: the file and the command may name
    municipalities the instance does not serve yet. `residents` is empty when no figure is known.
    """

    municipality_code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    residents = models.PositiveIntegerField(null=True, blank=True)
    reference_date = models.DateField(help_text=_("Väkiluvun ajankohta, esim. 2021-12-31"))
    source = models.CharField(max_length=300)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality_code"]
        verbose_name = _("väkiluku")
        verbose_name_plural = _("väkiluvut")

    def __str__(self) -> str:
        return f"{self.municipality_code} {self.name}: {self.residents} ({self.reference_date})"


class SearchWeek(models.Model):
    """Search log lines of one complete week (Monday) per municipality, language and theme list."""

    week = models.DateField()
    municipality = models.TextField(blank=True)  # filters->>'municipality', "" when none
    language = models.CharField(max_length=5)
    themes = models.JSONField()  # filters->'themes' with an array's elements sorted
    searches = models.PositiveIntegerField()
    clicks = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["week"], name="searchweek_week_idx")]  # the period filter

    def __str__(self) -> str:
        return f"{self.week} {self.municipality or '-'} {self.language}: {self.searches}"


class UnmetWeek(models.Model):
    """Searches that found nothing, per complete week and lower-cased query (and the filter keys)."""

    week = models.DateField()
    municipality = models.TextField(blank=True)
    language = models.CharField(max_length=5)
    themes = models.JSONField()
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["week"], name="unmetweek_week_idx")]  # the period filter

    def __str__(self) -> str:
        return f"{self.week} {self.query}: {self.searches}"


class SurveyWeek(models.Model):
    """Survey scores per answer week, municipality, age band and card theme: count, sum and low count."""

    week = models.DateField()
    municipality = models.CharField(max_length=3, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    theme = models.TextField()
    responses = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=24, decimal_places=6)
    low = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["week"], name="surveyweek_week_idx")]  # the period filter

    def __str__(self) -> str:
        return f"{self.week} {self.municipality or '-'} {self.theme}: {self.responses}"


class RollupState(models.Model):
    """How far a roll-up reaches: every source row up to and including `through` is in it."""

    name = models.CharField(max_length=20, unique=True)
    through = models.DateField()
    refreshed = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} through {self.through}"
