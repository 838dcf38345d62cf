"""Phase 3 of the PTV sync: write a planned run into the catalog through ingest.sync.

Organisations, then channels, then services, so foreign keys resolve to this run's rows.
Only changed rows are built and written; their link tables (municipalities, concepts,
themes, channels, organisation roles) are replaced in one DELETE and one INSERT each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import models

from catalog.models import (
    Concept,
    Municipality,
    Organization,
    ScopeStatus,
    Service,
    ServiceChannel,
    ServiceCuration,
    ServiceOrganization,
    Source,
)
from catalog.scope import public_for
from ingest.base import LANGS, set_texts
from ingest.ptv.mapping import ChannelRecord, ConceptRef, MunicipalityRef, OrganizationRecord, ServiceRecord
from ingest.ptv.scope import Scope
from ingest.sync import Syncher, links_replace

ORGANIZATION_TEXTS = ["name", "summary"]
CHANNEL_TEXTS = ["name", "summary", "description", "street_address", "post_office", "address_info"]
SERVICE_TEXTS = ["name", "summary", "description", "user_instruction", "charge_info", "requirements"]
CHARGE_TYPES = {"FreeOfCharge", "Chargeable", "Other"}


def _columns(text_fields: list[str]) -> list[str]:
    return [f"{name}_{lang}" for name in text_fields for lang in LANGS]


class PtvWriter:
    def __init__(self, scope: Scope, *, now: datetime) -> None:
        self.scope = scope
        self.now = now
        self.municipalities: dict[str, Municipality] = {m.code: m for m in Municipality.objects.all()}
        concepts = list(Concept.objects.all())
        self.concepts_by_uri: dict[str, Concept] = {c.uri: c for c in concepts}
        self.concepts_by_uri |= {c.legacy_uri: c for c in concepts if c.legacy_uri}
        self.concepts_by_code = {(c.kind, c.code): c for c in concepts if c.code}
        self.concepts_by_name: dict[tuple[str, str], Concept] = {}
        for concept in concepts:
            self.concepts_by_name.setdefault((concept.kind, concept.name_fi), concept)
        self.organizations = Syncher(
            Organization,
            Source.PTV,
            now=now,
            label="PTV organisations",
            fields=[
                *_columns(ORGANIZATION_TEXTS),
                "organization_type",
                "business_code",
                "municipality",
                "web_url",
                "emails",
            ],
        )
        self.channels = Syncher(
            ServiceChannel,
            Source.PTV,
            now=now,
            label="PTV channels",
            fields=[
                *_columns(CHANNEL_TEXTS),
                "kind", "organization", "postal_code", "municipality", "latitude", "longitude",
                "phones", "emails", "web_pages", "service_hours", "accessibility", "languages",
                "accessibility_sentences", "requires_authentication",
            ],
        )  # fmt: skip
        self.services = Syncher(
            Service,
            Source.PTV,
            now=now,
            label="PTV services",
            fields=[
                *_columns(SERVICE_TEXTS),
                "keywords_fi", "keywords_sv", "keywords_en",
                "charge_type", "languages", "area_type", "publishing_status",
                "general_text_fields", "vouchers_in_use", "vouchers", "funding_type", "producers", "channel_details",
            ],
        )  # fmt: skip
        self.organization_pks: dict[str, int] = {}
        self.channel_pks: dict[str, int] = {}

    # --- reference data: looked up in memory, created on first sight --------------------
    def municipality_id(self, ref: MunicipalityRef | None) -> int | None:
        if ref is None:
            return None
        municipality = self.municipalities.get(ref.code)
        names = {f"name_{lang}": value for lang, value in ref.names.items()}
        if municipality is None:
            municipality = Municipality.objects.create(code=ref.code, **{"name_fi": ref.code, **names})
            self.municipalities[ref.code] = municipality
        elif names and any(getattr(municipality, k) != v for k, v in names.items()):
            for key, value in names.items():
                setattr(municipality, key, value)
            municipality.save()
        return municipality.id

    def concept_id(self, ref: ConceptRef) -> int | None:
        """A concept by its code first (one row per code, whichever URI a record carries),
        then by either URI; created on first sight with both URIs."""
        concept = self.concepts_by_code.get((ref.kind, ref.code)) if ref.code else None
        if concept is None and ref.uri:
            concept = self.concepts_by_uri.get(ref.uri) or self.concepts_by_uri.get(ref.legacy_uri or "\0")
        if concept is None and ref.uri:
            concept = Concept.objects.create(
                kind=ref.kind,
                uri=ref.uri,
                legacy_uri=ref.legacy_uri,
                code=ref.code,
                parent_uri=ref.parent_uri,
                **{f"name_{lang}": value for lang, value in ref.names.items()},
            )
        if concept is not None:
            if ref.legacy_uri and not concept.legacy_uri:
                concept.legacy_uri = ref.legacy_uri
                Concept.objects.filter(pk=concept.pk).update(legacy_uri=ref.legacy_uri)
            self._remember(concept)
            return concept.id
        # Some records carry a class without code or URI: fall back to the name.
        name = ref.names.get("fi")
        concept = self.concepts_by_name.get((ref.kind, name)) if name else None
        return concept.id if concept else None

    def _remember(self, concept: Concept) -> None:
        self.concepts_by_uri[concept.uri] = concept
        if concept.legacy_uri:
            self.concepts_by_uri[concept.legacy_uri] = concept
        if concept.code:
            self.concepts_by_code.setdefault((concept.kind, concept.code), concept)

    def _resolve(self, model: type[Organization | ServiceChannel], known: dict[str, int], ids: Iterable[str]) -> None:
        """Add the pks of rows this run did not write (an incremental run links to older rows)."""
        missing = set(ids) - set(known)
        if missing:
            rows = model.objects.filter(source=Source.PTV, source_id__in=list(missing)).values_list("source_id", "id")
            known.update(rows)

    # --- the three kinds of record -------------------------------------------------------
    def begin(self) -> None:
        self.services.begin()

    def organizations_write(self, records: dict[str, OrganizationRecord]) -> dict[str, int]:
        def build(record: OrganizationRecord, org: Organization) -> None:
            set_texts(org, record.texts, ORGANIZATION_TEXTS)
            org.organization_type = record.organization_type
            org.business_code = record.business_code
            org.municipality_id = self.municipality_id(record.municipality)
            org.web_url = record.web_url[:500]
            org.emails = record.emails

        result = self.organizations.upsert(records, build)
        self.organization_pks.update(result.pks)
        return result.counts()

    def channels_write(self, records: dict[str, ChannelRecord]) -> dict[str, int]:
        self._resolve(Organization, self.organization_pks, (r.organization_id for r in records.values()))

        def build(record: ChannelRecord, channel: ServiceChannel) -> None:
            set_texts(channel, record.texts, CHANNEL_TEXTS)
            channel.kind = record.kind
            channel.organization_id = self.organization_pks.get(record.organization_id)
            channel.postal_code = record.postal_code[:10]
            channel.municipality_id = self.municipality_id(record.municipality)
            channel.latitude, channel.longitude = record.latitude, record.longitude
            channel.phones = record.phones
            channel.emails = record.emails
            channel.web_pages = record.web_pages
            channel.service_hours = record.service_hours
            channel.accessibility = record.accessibility
            channel.accessibility_sentences = record.accessibility_sentences
            channel.requires_authentication = record.requires_authentication
            channel.languages = record.languages

        result = self.channels.upsert(records, build)
        self.channel_pks.update(result.pks)
        through = ServiceChannel.area_municipalities.through
        links_replace(
            through,
            "servicechannel_id",
            result.changed.values(),
            ["servicechannel_id", "municipality_id"],
            (
                (pk, municipality_id)
                for source_id, pk in result.changed.items()
                for municipality_id in {self.municipality_id(m) for m in records[source_id].area_municipalities}
                if municipality_id
            ),
        )
        return result.counts()

    def services_write(self, records: dict[str, ServiceRecord]) -> tuple[dict[str, int], list[int]]:
        """Returns the counts and the ids of the public services created or updated (to index).

        Services out of scope by class or heavy care are written too, not public, unless an
        editor included them (ServiceCuration.scope_override); an excluded one is not public.
        They are not indexed here: catalog.scope indexes one when it is shown.
        """
        statuses = {source_id: self.scope.status(record) for source_id, record in records.items()}
        overrides = dict(
            ServiceCuration.objects.filter(service__source=Source.PTV, service__source_id__in=list(records))
            .exclude(scope_override="")
            .values_list("service__source_id", "scope_override")
        )

        def build(record: ServiceRecord, service: Service) -> None:
            set_texts(service, record.texts, SERVICE_TEXTS)
            for lang in LANGS:
                setattr(service, f"keywords_{lang}", [k[:200] for k in record.keywords.get(lang, [])])
            service.charge_type = record.charge_type if record.charge_type in CHARGE_TYPES else ""
            service.languages = record.languages
            service.area_type = record.area_type
            service.publishing_status = record.publishing_status
            service.general_text_fields = record.general_text_fields
            service.vouchers_in_use = record.vouchers_in_use
            service.vouchers = record.vouchers
            service.funding_type = record.funding_type[:30]
            service.producers = record.producers
            service.channel_details = record.channel_details
            service.scope_status = statuses[record.source_id]

        result = self.services.upsert(
            records,
            build,
            record_hash=lambda r: self.scope.service_hash(r.source_hash),
            public=lambda r: public_for(statuses[r.source_id], overrides.get(r.source_id, "")),
        )
        changed = result.changed
        self._links(records, changed)
        counts = result.counts()
        for status in (ScopeStatus.CLASS, ScopeStatus.HEAVY_CARE):
            counts[f"out_of_scope_{status}"] = sum(s == status for s in statuses.values())
        counts["hidden_by_scope"] = len(result.not_public & self.services.base)
        shown = [pk for source_id, pk in changed.items() if source_id not in result.not_public]
        return counts, shown

    def _links(self, records: dict[str, ServiceRecord], changed: dict[str, int]) -> None:
        changed_records = [(pk, records[source_id]) for source_id, pk in changed.items()]
        self._resolve(ServiceChannel, self.channel_pks, (c for _, r in changed_records for c in r.channel_ids))
        self._resolve(
            Organization, self.organization_pks, (o for _, r in changed_records for o, _, _ in r.organizations)
        )
        owners = list(changed.values())

        def link(through: type, target: str, targets) -> None:
            rows = (
                (pk, target_id)
                for pk, record in changed_records
                for target_id in dict.fromkeys(targets(record))
                if target_id
            )
            links_replace(through, "service_id", owners, ["service_id", target], rows)

        link(Service.municipalities.through, "municipality_id", lambda r: map(self.municipality_id, r.municipalities))
        link(Service.concepts.through, "concept_id", lambda r: map(self.concept_id, r.concepts))
        link(Service.themes.through, "theme_id", lambda r: sorted(self.scope.themes_for(r)))
        link(Service.channels.through, "servicechannel_id", lambda r: map(self.channel_pks.get, r.channel_ids))
        roles: dict[tuple[int, int, str], str] = {}
        for pk, record in changed_records:
            for org_id, role, provision in record.organizations:
                org_pk = self.organization_pks.get(org_id)
                if org_pk is not None:  # one row per (organisation, role): the last provision type wins
                    roles[(pk, org_pk, role)] = provision or ""
        links_replace(
            ServiceOrganization,
            "service_id",
            owners,
            ["service_id", "organization_id", "role", "provision_type"],
            ((*key, provision) for key, provision in roles.items()),
        )

    def _stored_out_of_scope(self) -> models.QuerySet:
        """Published rows kept out of scope (not public): hiding must mark them too, or the
        scope page would count an archived service as one an editor could include."""
        return Service.objects.filter(source=Source.PTV, publishing_status="Published", is_public=False)

    # A hidden row forgets its hash: when the service is published again with the payload it
    # had, the row is written again (status, scope) even if it stays not public (out of scope).
    def hide(self, source_ids: Iterable[str], status: str) -> int:
        ids = list(source_ids)
        hidden = self.services.hide(ids, publishing_status=status, source_hash="")
        if ids:
            self._stored_out_of_scope().filter(source_id__in=ids).update(
                publishing_status=status, source_hash="", last_synced=self.now
            )
        return hidden

    def sweep(self, seen: Iterable[str], *, force: bool) -> int:
        seen = set(seen)
        removed = self.services.sweep(seen, force=force, publishing_status="Removed", source_hash="")
        stale = [
            pk for pk, source_id in self._stored_out_of_scope().values_list("id", "source_id") if source_id not in seen
        ]
        Service.objects.filter(id__in=stale).update(publishing_status="Removed", source_hash="", last_synced=self.now)
        return removed
