"""Events and activities from Linked Events (and later Lähellä.fi), Linked-Events-like.

Times are stored in UTC. A recurring activity is expanded into EventOccurrence rows for
the next 90 days; a one-off event has a single occurrence. Like services, source data
is upserted by (source, source_id) and deleted events are hidden, not removed.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from catalog.models import EMBEDDING_DIMENSIONS, MultilingualMixin, Municipality, SourceRecord, Theme

HELSINKI = ZoneInfo("Europe/Helsinki")


class Event(MultilingualMixin, SourceRecord):
    class Status(models.TextChoices):
        SCHEDULED = "EventScheduled", _("Tulossa")
        RESCHEDULED = "EventRescheduled", _("Siirretty uuteen aikaan")
        POSTPONED = "EventPostponed", _("Lykätty")
        CANCELLED = "EventCancelled", _("Peruttu")

    class EventType(models.TextChoices):
        GENERAL = "General", _("Tapahtuma")
        COURSE = "Course", _("Kurssi")
        VOLUNTEERING = "Volunteering", _("Vapaaehtoistyö")

    class Environment(models.TextChoices):
        INDOORS = "in", _("Sisällä")
        OUTDOORS = "out", _("Ulkona")

    name_fi = models.CharField(max_length=500, blank=True)
    name_sv = models.CharField(max_length=500, blank=True)
    name_en = models.CharField(max_length=500, blank=True)
    short_description_fi = models.TextField(blank=True)
    short_description_sv = models.TextField(blank=True)
    short_description_en = models.TextField(blank=True)
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    location_name_fi = models.CharField(max_length=300, blank=True)
    location_name_sv = models.CharField(max_length=300, blank=True)
    location_name_en = models.CharField(max_length=300, blank=True)
    street_address_fi = models.CharField(max_length=300, blank=True)
    street_address_sv = models.CharField(max_length=300, blank=True)
    street_address_en = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL)
    latitude = models.FloatField(null=True, blank=True, help_text=_("WGS84"))
    longitude = models.FloatField(null=True, blank=True, help_text=_("WGS84"))
    organizer_fi = models.CharField(max_length=300, blank=True)
    organizer_sv = models.CharField(max_length=300, blank=True)
    organizer_en = models.CharField(max_length=300, blank=True)
    info_url = models.URLField(max_length=500, blank=True)
    offers = models.JSONField(default=list, blank=True)
    is_free = models.BooleanField(null=True, blank=True)
    audience_min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    audience_max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    keywords = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    accessibility = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    event_type = models.CharField(max_length=20, choices=EventType.choices, default=EventType.GENERAL)
    environment = models.CharField(max_length=3, choices=Environment.choices, blank=True)
    # Audience keywords: [{"id": "yso:p4354", "name": {lang: text}}].
    audience = models.JSONField(default=list, blank=True)
    # [{"url", "alt_text": {lang: text}, "license", "photographer"}]; the first is shown.
    images = models.JSONField(default=list, blank=True)
    enrolment_start = models.DateTimeField(null=True, blank=True)
    enrolment_end = models.DateTimeField(null=True, blank=True)
    maximum_attendee_capacity = models.PositiveIntegerField(null=True, blank=True)
    location_extra_info_fi = models.CharField(max_length=400, blank=True)
    location_extra_info_sv = models.CharField(max_length=400, blank=True)
    location_extra_info_en = models.CharField(max_length=400, blank=True)
    provider_contact_info_fi = models.TextField(blank=True)
    provider_contact_info_sv = models.TextField(blank=True)
    provider_contact_info_en = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="events")
    is_public = models.BooleanField(default=True)
    # Search index, maintained by events.indexing (as for services: never by save()).
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)
    embedding_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["start_time"]
        verbose_name = _("tapahtuma")
        verbose_name_plural = _("tapahtumat")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="event_source_uniq")]
        indexes = [
            # Events page: public events by start time.
            models.Index(fields=["is_public", "start_time"], name="event_public_start_idx"),
            # Search: full-text matching and nearest neighbours in meaning.
            GinIndex(fields=["search_vector"], name="event_fts_idx"),
            HnswIndex(
                name="event_embedding_hnsw_idx",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name_fi or self.name_sv or self.name_en or self.source_id


class EventOccurrence(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("tapahtuman ajankohta")
        verbose_name_plural = _("tapahtumien ajankohdat")
        indexes = [
            # "What happens this week": occurrences by start.
            models.Index(fields=["start"], name="eventoccurrence_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.start:%Y-%m-%d %H:%M}"

    @property
    def all_day(self) -> bool:
        """Given as dates without a time: from a Helsinki midnight to a Helsinki midnight."""
        if self.end is None:
            return False
        return all(m.astimezone(HELSINKI).time() == time(0) for m in (self.start, self.end))

    @property
    def last_day(self) -> date | None:
        """The last day of an all-day occurrence (its end is the midnight after it)."""
        return (self.end.astimezone(HELSINKI) - timedelta(days=1)).date() if self.end else None
