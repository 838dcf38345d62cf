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
