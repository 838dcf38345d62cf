"""Catalog data model: what PTV and local curation need.

Texts are stored per language in ``<field>_fi``, ``<field>_sv`` and ``<field>_en``
columns; :func:`catalog.i18n.localized` picks the reader's language and falls back to
Finnish, telling the caller which language it returned so templates can mark it.
Source data (from PTV or another source) and local curation live in separate
tables, so a sync can overwrite the first and never touch the second.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField
from simple_history.models import HistoricalRecords

from catalog.i18n import localized

EMBEDDING_DIMENSIONS = 384


class Source(models.TextChoices):
    PTV = "ptv", _("Palvelutietovaranto")
    LAHELLA = "lahella", _("Lähellä.fi")
    LINKED_EVENTS = "linkedevents", _("Linked Events")
    LOCAL = "local", _("Paikallinen")


class MultilingualMixin:
    def t(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language).text


class Region(MultilingualMixin, models.Model):
    """A wellbeing services county (hyvinvointialue): the area one Tarmoa instance serves.

    Its municipalities drive the PTV sync, the municipality filters and choices, and
    municipality detection in queries. Settings (TARMOA_REGION_*) only seed the first row
    (`manage.py setup_region`); after that the row is the truth.
    """

    code = models.SlugField(max_length=40, unique=True, help_text=_("Lyhyt tunniste, esim. pohjois-savo"))
    name_fi = models.CharField(max_length=200)
    name_sv = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    include_nationwide = models.BooleanField(default=True, help_text=_("Näytä myös koko maata koskevat palvelut (PTV)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("hyvinvointialue")
        verbose_name_plural = _("hyvinvointialueet")

    def __str__(self) -> str:
        return self.name_fi

    def municipality_codes(self) -> list[str]:
        return sorted(self.municipalities.values_list("code", flat=True))


class Municipality(MultilingualMixin, models.Model):
    code = models.CharField(max_length=3, unique=True, help_text=_("Kolminumeroinen kuntakoodi, esim. 297"))
    name_fi = models.CharField(max_length=100)
    name_sv = models.CharField(max_length=100, blank=True)
    name_en = models.CharField(max_length=100, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="municipalities")

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("kunta")
        verbose_name_plural = _("kunnat")

    def __str__(self) -> str:
        return f"{self.name_fi} ({self.code})"


class Theme(MultilingualMixin, models.Model):
    """One of the eight wellbeing themes, fed by a list of PTV service classes."""

    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    name_fi = models.CharField(max_length=200)
    name_sv = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    # Plain Finnish (selkokieli), written by a person; shown when the reader asks for it.
    description_selko = models.TextField(blank=True, help_text=_("Kuvaus selkokielellä (ihmisen kirjoittama)"))
    service_class_codes = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        help_text=_("PTV-palveluluokkien koodit, joiden palvelut kuuluvat teemaan (esim. P27.1)"),
    )
    # Who changed the class mapping (the workspace's scope page, or the admin) and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("teema")
        verbose_name_plural = _("teemat")

    def __str__(self) -> str:
        return self.name_fi


class Concept(MultilingualMixin, models.Model):
    """A code-list concept identified by URI: service class, target group, life event or ontology term."""

    class Kind(models.TextChoices):
        SERVICE_CLASS = "service_class", _("Palveluluokka")
        TARGET_GROUP = "target_group", _("Kohderyhmä")
        LIFE_EVENT = "life_event", _("Elämätilanne")
        ONTOLOGY_TERM = "ontology_term", _("Ontologiakäsite")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    uri = models.URLField(max_length=300, unique=True)
    # PTV sends the legacy urn.fi URI in `uri` and the uri.suomi.fi one in `newUri`: `uri`
    # holds the new one (as the code lists do), this the legacy one, so both are kept.
    legacy_uri = models.URLField(max_length=300, blank=True)
    code = models.CharField(max_length=30, blank=True)
    name_fi = models.CharField(max_length=300, blank=True)
    name_sv = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    parent_uri = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "code", "name_fi"]
        verbose_name = _("luokitus")
        verbose_name_plural = _("luokitukset")
        indexes = [
            # Scope filter and theme mapping look concepts up by kind and code.
            models.Index(fields=["kind", "code"], name="concept_kind_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_fi}".strip()


class SourceRecord(models.Model):
    """Fields every synced record carries: where it came from and when it changed there."""

    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PTV)
    source_id = models.CharField(max_length=100, help_text=_("PTV:n GUID tai muun lähteen tunniste"))
    source_modified = models.DateTimeField(null=True, blank=True)
    source_hash = models.CharField(
        max_length=64, blank=True, help_text=_("Lähdedatan tiiviste muutosten tunnistamiseen")
    )
    first_seen = models.DateTimeField(auto_now_add=True)
    last_synced = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Organization(MultilingualMixin, SourceRecord):
    name_fi = models.CharField(max_length=300)
    name_sv = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    summary_fi = models.TextField(blank=True)
    summary_sv = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    organization_type = models.CharField(max_length=40, blank=True)
    business_code = models.CharField(max_length=20, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL)
    web_url = models.URLField(max_length=500, blank=True)
    # The organisation's own addresses in PTV ([{"value", "language"}]): residents' error reports go there.
    emails = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("organisaatio")
        verbose_name_plural = _("organisaatiot")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="organization_source_uniq"),
        ]

    def __str__(self) -> str:
        return self.name_fi


class ChargeType(models.TextChoices):
    FREE = "FreeOfCharge", _("Maksuton")
    CHARGEABLE = "Chargeable", _("Maksullinen")
    OTHER = "Other", _("Muu")


class ServiceChannel(MultilingualMixin, SourceRecord):
    class Kind(models.TextChoices):
        LOCATION = "ServiceLocation", _("Asiointipiste")
        PHONE = "Phone", _("Puhelin")
        WEB_PAGE = "WebPage", _("Verkkosivu")
        E_SERVICE = "EChannel", _("Verkkoasiointi")
        PRINTABLE_FORM = "PrintableForm", _("Tulostettava lomake")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL)
    name_fi = models.CharField(max_length=300)
    name_sv = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    summary_fi = models.TextField(blank=True)
    summary_sv = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    street_address_fi = models.CharField(max_length=300, blank=True)
    street_address_sv = models.CharField(max_length=300, blank=True)
    street_address_en = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    post_office_fi = models.CharField(max_length=100, blank=True)
    post_office_sv = models.CharField(max_length=100, blank=True)
    post_office_en = models.CharField(max_length=100, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL)
    area_municipalities = models.ManyToManyField(Municipality, blank=True, related_name="channels_in_area")
    latitude = models.FloatField(null=True, blank=True, help_text=_("WGS84"))
    longitude = models.FloatField(null=True, blank=True, help_text=_("WGS84"))
    # Lists of small dicts in a normalised shape (see ingest.ptv.mapping).
    phones = models.JSONField(default=list, blank=True)
    emails = models.JSONField(default=list, blank=True)
    web_pages = models.JSONField(default=list, blank=True)
    service_hours = models.JSONField(default=list, blank=True)
    accessibility = models.JSONField(default=list, blank=True)
    # The accessibility register's sentences of the entrances: [{"entrance": {lang: name},
    # "main": bool, "group": {lang: text}, "sentence": {lang: text}}].
    accessibility_sentences = models.JSONField(default=list, blank=True)
    address_info_fi = models.TextField(blank=True, help_text=_("Osoitteen lisätieto, esim. pysäköinti"))
    address_info_sv = models.TextField(blank=True)
    address_info_en = models.TextField(blank=True)
    requires_authentication = models.BooleanField(
        null=True, blank=True, help_text=_("Verkkoasiointi vaatii tunnistautumisen")
    )
    languages = ArrayField(models.CharField(max_length=5), default=list, blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("asiointikanava")
        verbose_name_plural = _("asiointikanavat")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="channel_source_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name_fi} ({self.kind})"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ScopeStatus(models.TextChoices):
    """Why a stored PTV service is or is not in the wellbeing scope (catalog.scope)."""

    IN = "in", _("Rajauksessa")
    CLASS = "class", _("Palveluluokka ei kuulu teemoihin")
    HEAVY_CARE = "heavy_care", _("Raskas hoito")


class Service(MultilingualMixin, SourceRecord):
    class AreaType(models.TextChoices):
        NATIONWIDE = "Nationwide", _("Koko maa")
        NATIONWIDE_EXCEPT_ALAND = "NationwideExceptAlandIslands", _("Koko maa paitsi Ahvenanmaa")
        LIMITED = "LimitedType", _("Rajattu alue")

    name_fi = models.CharField(max_length=300)
    name_sv = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    summary_fi = models.TextField(blank=True)
    summary_sv = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    user_instruction_fi = models.TextField(blank=True)
    user_instruction_sv = models.TextField(blank=True)
    user_instruction_en = models.TextField(blank=True)
    charge_info_fi = models.TextField(blank=True)
    charge_info_sv = models.TextField(blank=True)
    charge_info_en = models.TextField(blank=True)
    requirements_fi = models.TextField(blank=True)
    requirements_sv = models.TextField(blank=True)
    requirements_en = models.TextField(blank=True)
    # Text columns (e.g. "description_fi") filled from the general description (PTV `GD_…`).
    general_text_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    vouchers_in_use = models.BooleanField(null=True, blank=True, help_text=_("Palveluseteli käytössä"))
    vouchers = models.JSONField(default=list, blank=True)  # [{"name", "url", "info", "language"}]
    funding_type = models.CharField(max_length=30, blank=True)  # PTV `fundingType`; see funding_label
    # Producers that are not PTV organisations (bought-in services, associations):
    # [{"name": {lang: text}, "provision_type": str}].
    producers = models.JSONField(default=list, blank=True)
    # What a service says about each of its channels: {channel GUID: {"charge_type",
    # "description": {lang: text}, "service_hours", "phones", "emails", "web_pages"}}.
    channel_details = models.JSONField(default=dict, blank=True)
    keywords_fi = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    keywords_sv = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    keywords_en = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    charge_type = models.CharField(max_length=20, choices=ChargeType.choices, blank=True)
    languages = ArrayField(models.CharField(max_length=5), default=list, blank=True)
    area_type = models.CharField(max_length=40, choices=AreaType.choices, default=AreaType.LIMITED)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="services")
    concepts = models.ManyToManyField(Concept, blank=True, related_name="services")
    themes = models.ManyToManyField(Theme, blank=True, related_name="services")
    organizations = models.ManyToManyField(Organization, through="ServiceOrganization", blank=True)
    channels = models.ManyToManyField(ServiceChannel, blank=True, related_name="services")
    publishing_status = models.CharField(max_length=20, default="Published")
    is_public = models.BooleanField(default=True, help_text=_("Näkyy asukkaille (julkaistu ja hyte-rajauksessa)"))
    # PTV: the region's published citizen services are stored even when their class (or heavy
    # care) keeps them out of scope, not public, so editors can count and include them.
    scope_status = models.CharField(
        max_length=20, choices=ScopeStatus.choices, default=ScopeStatus.IN, help_text=_("Hyte-rajauksen tila")
    )

    # Search index, maintained by catalog.search.indexing (never by save()).
    search_vector = SearchVectorField(
        null=True, editable=False, help_text=_("Kaikki tekstit, suomen, ruotsin ja englannin jäsennyksellä")
    )
    search_head = SearchVectorField(
        null=True, editable=False, help_text=_("Nimi, avainsanat ja tiivistelmä: järjestämiseen")
    )
    search_text = models.TextField(
        blank=True, editable=False, help_text=_("Nimet, avainsanat ja luokitukset pienillä kirjaimilla: hakusanasto")
    )
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)
    embedding_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Copies of the theme and municipality links, so a search filters and counts facets
    # on the row it already reads instead of joining the link tables (README, "Search performance").
    index_theme_ids = ArrayField(
        models.IntegerField(), default=list, blank=True, editable=False, help_text=_("Teemat hakuindeksissä")
    )
    index_municipality_ids = ArrayField(
        models.IntegerField(), default=list, blank=True, editable=False, help_text=_("Kunnat hakuindeksissä")
    )
    # Effective curation (ServiceCuration) copied by the indexer: filters and listings read the row.
    index_hidden = models.BooleanField(default=False, editable=False, help_text=_("Piilotettu hakuindeksissä"))
    index_featured = models.BooleanField(default=False, editable=False, help_text=_("Nostettu hakuindeksissä"))

    # Who changed what and when. Syncs write through COPY and raw SQL, which record nothing:
    # the history is of edits made in Tarmoa (local services, and any admin edit).
    history = HistoricalRecords(
        excluded_fields=[
            "search_vector", "search_head", "search_text", "embedding", "embedding_hash", "index_theme_ids",
            "index_municipality_ids", "index_hidden", "index_featured", "first_seen", "last_synced", "source_hash",
            "scope_status",
        ],
        m2m_fields=[themes, municipalities],
    )  # fmt: skip

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("palvelu")
        verbose_name_plural = _("palvelut")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="service_source_uniq"),
        ]
        indexes = [
            # Full-text matching: one vector holding the finnish, swedish and english parses.
            GinIndex(fields=["search_vector"], name="service_fts_idx"),
            # Sentence queries match on names, keywords and summaries only (see catalog.search).
            GinIndex(fields=["search_head"], name="service_fts_head_idx"),
            # Nearest neighbours in meaning (cosine distance on normalised e5 vectors).
            HnswIndex(
                name="service_embedding_hnsw_idx",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            # Listings without query text (theme pages, a municipality only), featured first and
            # then in name order: an
            # index-only scan that carries what the filters and facets read, so thousands of
            # wide rows are not read (9,000 of 20,000 services: ids 38 -> 8 ms, facets 56 -> 18 ms).
            models.Index(
                fields=["-index_featured", "name_fi", "id"],
                include=[
                    "is_public",
                    "index_hidden",
                    "index_featured",
                    "area_type",
                    "charge_type",
                    "languages",
                    "index_theme_ids",
                    "index_municipality_ids",
                ],
                name="service_listing_idx",
            ),  # fmt: skip
        ]

    # PTV `fundingType`, said to readers: whether public money pays for the service.
    FUNDING_LABELS = {
        "PubliclyFunded": _("Julkisesti rahoitettu palvelu (kunta, hyvinvointialue tai valtio)"),
        "MarketFunded": _("Yksityinen, markkinaehtoinen palvelu: ei julkista rahoitusta"),
    }

    def __str__(self) -> str:
        return self.name_fi

    @property
    def funding_label(self) -> str:
        """The reader's wording of `funding_type`; empty when PTV did not say (or said something new)."""
        return self.FUNDING_LABELS.get(self.funding_type, "")


class ServiceOrganization(models.Model):
    class Role(models.TextChoices):
        RESPONSIBLE = "Responsible", _("Vastuuorganisaatio")
        PRODUCER = "Producer", _("Tuottaja")
        OTHER_RESPONSIBLE = "OtherResponsible", _("Muu vastuuorganisaatio")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="organization_roles")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="service_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    provision_type = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("palvelun organisaatio")
        verbose_name_plural = _("palvelun organisaatiot")
        constraints = [
            models.UniqueConstraint(fields=["service", "organization", "role"], name="service_org_role_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.get_role_display()}"


class ScopeOverride(models.TextChoices):
    NONE = "", _("Rajauksen mukaan")
    INCLUDE = "include", _("Mukana aina")
    EXCLUDE = "exclude", _("Ei koskaan mukana")


class ServiceCuration(models.Model):
    """What the region changes about a service: an overlay that syncs never write.

    Source fields (from PTV or another source) are never edited locally; the search index
    stores the effective values (source plus this overlay: extra themes, hidden, featured,
    the region's own summary), so search, facets, listings and cards all see the overlay.
    Change it only through catalog.services.service_curation_update, which re-indexes.
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="curation")
    hidden = models.BooleanField(default=False, help_text=_("Piilota palvelu asukkailta"))
    hidden_reason = models.CharField(max_length=300, blank=True, help_text=_("Miksi palvelu on piilotettu"))
    featured = models.BooleanField(
        default=False, help_text=_("Nosta palvelu ensimmäiseksi teemasivuilla ja listauksissa")
    )
    extra_themes = models.ManyToManyField(Theme, blank=True, related_name="curated_services")
    note = models.TextField(blank=True, help_text=_("Ammattilaisten sisäinen huomio"))
    summary_fi = models.TextField(blank=True, help_text=_("Alueen oma tiivistelmä (korvaa lähteen tiivistelmän)"))
    summary_sv = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    summary_selko = models.TextField(
        blank=True, help_text=_("Tiivistelmä selkokielellä: ihmisen kirjoittama, ei konekäännös")
    )
    scope_override = models.CharField(
        max_length=10,
        choices=ScopeOverride.choices,
        blank=True,
        default="",
        help_text=_("Ota PTV-palvelu mukaan rajauksesta riippumatta tai jätä se pois"),
    )
    scope_reason = models.CharField(max_length=300, blank=True, help_text=_("Miksi rajausta muutettiin"))
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[extra_themes])

    class Meta:
        verbose_name = _("palvelun paikallinen muokkaus")
        verbose_name_plural = _("palvelujen paikalliset muokkaukset")

    def __str__(self) -> str:
        return f"{self.service} (curation)"


class ErrorReport(models.Model):
    """A resident's "report an error" note about a service; the region's editors handle it.

    Editors follow it up in the workspace and may forward it to the service's upstream
    owner (the PTV organisation responsible for it), which is recorded here.
    """

    class Status(models.TextChoices):
        NEW = "new", _("Uusi")
        IN_PROGRESS = "in_progress", _("Käsittelyssä")
        FORWARDED = "forwarded", _("Välitetty")
        DONE = "done", _("Valmis")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField(max_length=2000)
    # The day only: a timestamp to the microsecond could tie a report to one person's visit.
    created = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    forwarded_to = models.EmailField(blank=True, help_text=_("Osoite, johon ilmoitus välitettiin"))
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("virheilmoitus")
        verbose_name_plural = _("virheilmoitukset")
        indexes = [
            # Editors' queue: reports by status, newest first.
            models.Index(fields=["status", "-created"], name="errorreport_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.message[:40]}"


class SearchLog(models.Model):
    """One search, for the managers' dashboard. No IP, no cookie id, no user."""

    query = models.CharField(max_length=200)
    language = models.CharField(max_length=5)
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    clicked_service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL)
    hour = models.DateTimeField(help_text=_("Aika tunnin tarkkuudella"))

    class Meta:
        ordering = ["-hour"]
        verbose_name = _("hakuloki")
        verbose_name_plural = _("hakuloki")
        indexes = [
            # Dashboard: searches per period, and zero-result queries.
            models.Index(fields=["hour"], name="searchlog_hour_idx"),
            models.Index(Upper("query"), "result_count", name="searchlog_query_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.result_count})"


class LinkCheck(models.Model):
    """The last check of one web address found on public services' channels (catalog.links)."""

    url = models.URLField(max_length=500, unique=True)
    ok = models.BooleanField(default=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    checked = models.DateTimeField()
    failing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("linkkitarkistus")
        verbose_name_plural = _("linkkitarkistukset")

    def __str__(self) -> str:
        return f"{self.url} ({'ok' if self.ok else self.status_code or self.error})"


class SearchSynonymGroup(models.Model):
    """Words that mean the same need to a resident, in any of the three languages: a query
    holding one of them also looks for the others (catalog.search.lexicon). Curated by the
    region's editors; the starting set came with migration 0013."""

    name = models.CharField(_("nimi"), max_length=100, unique=True, help_text=_("Ryhmän nimi toimittajille"))
    words_fi = ArrayField(
        models.CharField(max_length=60), blank=True, default=list, verbose_name=_("sanat suomeksi"),
        help_text=_("Perusmuodossa, pilkuin erotettuina: haku tunnistaa taivutetut muodot."),
    )  # fmt: skip
    words_sv = ArrayField(
        models.CharField(max_length=60), blank=True, default=list, verbose_name=_("sanat ruotsiksi"),
        help_text=_("Pilkuin erotettuina; kirjoita myös tavalliset taivutusmuodot."),
    )  # fmt: skip
    words_en = ArrayField(
        models.CharField(max_length=60), blank=True, default=list, verbose_name=_("sanat englanniksi"),
        help_text=_("Pilkuin erotettuina; kirjoita myös tavalliset taivutusmuodot."),
    )  # fmt: skip
    is_active = models.BooleanField(_("käytössä"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hakusanojen synonyymiryhmä")
        verbose_name_plural = _("hakusanojen synonyymiryhmät")

    def __str__(self) -> str:
        return self.name

    @property
    def words(self) -> list[str]:
        return [w for w in [*self.words_fi, *self.words_sv, *self.words_en] if w]
