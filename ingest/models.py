"""A record of every sync run, whatever its source."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IngestRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Täysi")
        INCREMENTAL = "incremental", _("Muutokset")

    class Status(models.TextChoices):
        RUNNING = "running", _("Käynnissä")
        SUCCEEDED = "succeeded", _("Onnistui")
        FAILED = "failed", _("Epäonnistui")
        REFUSED = "refused", _("Torjuttu (poistoraja)")
        DRY_RUN = "dry_run", _("Kuivaharjoitus")

    source = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True, help_text=_("Muutokset tästä hetkestä alkaen"))
    parameters = models.JSONField(default=dict, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    details = models.JSONField(
        default=dict, blank=True, help_text=_("Kanavien ja organisaatioiden määrät, virheelliset tunnisteet")
    )

    class Meta:
        ordering = ["-started"]
        verbose_name = _("synkronointiajo")
        verbose_name_plural = _("synkronointiajot")
        indexes = [
            # "When did the last good run of this source start?" (incremental sync).
            models.Index(fields=["source", "status", "-started"], name="ingestrun_last_good_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.started:%Y-%m-%d %H:%M} {self.status}"

    def mark_not_applied(self, status: str, error: str) -> None:
        """A run whose writes were rolled back: its status and reason, and nothing counted as written."""
        self.status, self.error = status, error
        self.created = self.updated = self.unchanged = self.removed = 0

    def record_crash(self, exc: Exception) -> None:
        """An unexpected error (a bug): the run is stored as failed, never left "running"."""
        self.status, self.error = self.Status.FAILED, f"{exc.__class__.__name__}: {exc}"
        self.finished = timezone.now()
        self.save()

    @property
    def duration_seconds(self) -> float | None:
        if not self.finished:
            return None
        return (self.finished - self.started).total_seconds()


class Indicator(models.Model):
    """A THL Sotkanet indicator the region follows, and the themes it belongs to (admin-edited data).

    An admin adds an indicator by its Sotkanet id and picks its themes; the Sotkanet sync
    fills in the titles, organisation, unit and decimals from `indicators/{id}`.
    """

    sotkanet_id = models.PositiveIntegerField(unique=True, help_text=_("Indikaattorin numero Sotkanetissa"))
    title_fi = models.CharField(max_length=500, blank=True)
    title_sv = models.CharField(max_length=500, blank=True)
    title_en = models.CharField(max_length=500, blank=True)
    organization = models.CharField(max_length=300, blank=True, help_text=_("Tiedon tuottaja (Sotkanetin mukaan)"))
    unit_fi = models.CharField(max_length=200, blank=True)
    unit_sv = models.CharField(max_length=200, blank=True)
    unit_en = models.CharField(max_length=200, blank=True)
    decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    themes = models.ManyToManyField(
        "catalog.Theme",
        blank=True,
        related_name="indicators",
        help_text=_("Teemat, joiden vieressä indikaattori näytetään"),
    )
    is_active = models.BooleanField(default=True, help_text=_("Synkronoidaan ja näytetään johdon työpöydällä"))
    last_synced = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sotkanet_id"]
        verbose_name = _("väestöindikaattori")
        verbose_name_plural = _("väestöindikaattorit")

    def __str__(self) -> str:
        return f"{self.sotkanet_id} {self.title_fi}".strip()

    def title(self, language: str) -> str:
        return getattr(self, f"title_{language}", "") or self.title_fi or str(self.sotkanet_id)

    def unit(self, language: str) -> str:
        return getattr(self, f"unit_{language}", "") or self.unit_fi


class IndicatorValue(models.Model):
    """One Sotkanet data point of the region: a municipality, the county or the whole country."""

    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kunta")
        COUNTY = "county", _("Hyvinvointialue")
        COUNTRY = "country", _("Koko maa")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    sotkanet_region = models.PositiveIntegerField(help_text=_("Alueen numero Sotkanetissa"))
    area_level = models.CharField(max_length=20, choices=Level.choices)
    municipality = models.CharField(max_length=3, blank=True, help_text=_("Kuntakoodi; tyhjä alueelle ja koko maalle"))
    area_name = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=10, default="total")
    value = models.FloatField()
    abs_value = models.FloatField(null=True, blank=True)
    synced = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "area_level", "municipality", "-year"]
        verbose_name = _("indikaattorin arvo")
        verbose_name_plural = _("indikaattorien arvot")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "sotkanet_region", "year", "gender"], name="indicatorvalue_point_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_name} {self.year} {self.gender}: {self.value}"
