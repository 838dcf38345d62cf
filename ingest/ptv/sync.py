"""PTV sync: read the region's services from PTV and write them into the catalog.

Three phases, so that a failure never leaves half a catalog:
1. fetch and map everything over HTTP (no database writes); an HTTP failure ends the
   run as failed with the catalog untouched;
2. decide scope: a service is kept when it is published, has a citizen target group
   (KR1 or a KR1.x sub-group), a service class that one of the themes takes in, and an
   area in the region (or nationwide, when enabled);
3. write in one transaction: upsert by PTV GUID (unchanged payloads are skipped, so a
   second identical run changes nothing), then on a full sync sweep the services not
   seen, behind a safety valve. Removed services are hidden, not deleted, so local
   curation (ServiceCuration) survives even a service that disappears for a while.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Concept,
    Municipality,
    Organization,
    Service,
    ServiceChannel,
    ServiceOrganization,
    Source,
    Theme,
)
from catalog.services import services_index_schedule
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11, PtvError, ServiceCatalogClient
from ingest.ptv.mapping import (
    ChannelRecord,
    ConceptRef,
    MappingError,
    MunicipalityRef,
    OrganizationRecord,
    ServiceRecord,
    map_channel,
    map_organization,
    map_service,
)

log = logging.getLogger(__name__)

CITIZEN_TARGET_GROUP = "KR1"


class DeleteValveRefused(Exception):
    pass


class _DryRunRollback(Exception):
    pass


@dataclass
class SyncPlan:
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    channels: dict[str, ChannelRecord] = field(default_factory=dict)
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    hide_ids: set[str] = field(default_factory=set)  # archived, withdrawn or out of scope now
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    failed_ids: list[str] = field(default_factory=list)
    channel_failed: int = 0


@dataclass
class Scope:
    municipalities: set[str]
    include_nationwide: bool
    class_themes: dict[str, set[int]]  # class code -> theme ids
    signature: str

    @classmethod
    def build(cls, municipalities: Iterable[str], include_nationwide: bool) -> Scope:
        class_themes: dict[str, set[int]] = {}
        for theme in Theme.objects.all():
            for code in theme.service_class_codes:
                class_themes.setdefault(code, set()).add(theme.id)
        signature = hashlib.sha256(repr(sorted((k, sorted(v)) for k, v in class_themes.items())).encode()).hexdigest()
        return cls(set(municipalities), include_nationwide, class_themes, signature)

    def themes_for(self, record: ServiceRecord) -> set[int]:
        themes: set[int] = set()
        for code in record.class_codes:
            themes |= self.class_themes.get(code, set())
        return themes

    def reason_to_skip(self, record: ServiceRecord) -> str | None:
        if record.publishing_status != "Published":
            return "not published"
        if not any(
            code == CITIZEN_TARGET_GROUP or code.startswith(CITIZEN_TARGET_GROUP + ".")
            for code in record.target_group_codes
        ):
            return "no citizen target group"
        if not self.themes_for(record):
            return "no wellbeing service class"
        in_region = bool({m.code for m in record.municipalities} & self.municipalities)
        if not in_region and not (record.is_nationwide and self.include_nationwide):
            return "outside the region"
        return None


def default_client() -> PtvClientV11:
    return PtvClientV11(
        settings.PTV_API_URL, timeout=settings.PTV_TIMEOUT_SECONDS, max_retries=settings.PTV_MAX_RETRIES
    )


def last_good_run_start(source: str = Source.PTV) -> datetime | None:
    run = IngestRun.objects.filter(source=source, status=IngestRun.Status.SUCCEEDED).order_by("-started").first()
    return run.started if run else None


# --- phase 1 and 2: fetch, map, scope ----------------------------------------------------
def _map_services(plan: SyncPlan, payloads: Iterable[dict], scope: Scope, seen: set[str]) -> None:
    for payload in payloads:
        guid = str(payload.get("id")) if isinstance(payload, dict) else "?"
        if guid in seen:
            continue
        seen.add(guid)
        plan.fetched += 1
        try:
            record = map_service(payload)
        except MappingError as exc:
            log.warning("PTV service %s skipped as malformed: %s", guid, exc)
            plan.failed += 1
            plan.failed_ids.append(guid)
            continue
        reason = scope.reason_to_skip(record)
        if reason:
            plan.skipped += 1
            plan.hide_ids.add(record.source_id)
            continue
        plan.services[record.source_id] = record


def _map_channels(plan: SyncPlan, payloads: Iterable[dict]) -> None:
    for payload in payloads:
        guid = str(payload.get("id")) if isinstance(payload, dict) else "?"
        try:
            record = map_channel(payload)
        except MappingError as exc:
            log.warning("PTV channel %s skipped as malformed: %s", guid, exc)
            plan.channel_failed += 1
            continue
        plan.channels[record.source_id] = record


def _complete_plan(plan: SyncPlan, client: ServiceCatalogClient) -> None:
    """Hydrate the channels and organisations the kept services need, then drop the rest."""
    wanted_channels = {cid for s in plan.services.values() for cid in s.channel_ids}
    missing = wanted_channels - set(plan.channels)
    if missing:
        _map_channels(plan, client.channels_by_ids(sorted(missing)))
    plan.channels = {cid: c for cid, c in plan.channels.items() if cid in wanted_channels}
    org_ids = {org_id for s in plan.services.values() for org_id, _, _ in s.organizations}
    org_ids |= {c.organization_id for c in plan.channels.values() if c.organization_id}
    for payload in client.organizations_by_ids(sorted(org_ids)):
        try:
            record = map_organization(payload)
        except MappingError as exc:
            log.warning("PTV organisation %s skipped as malformed: %s", payload.get("id"), exc)
            continue
        plan.organizations[record.source_id] = record


def plan_full(client: ServiceCatalogClient, scope: Scope, municipalities: list[str]) -> SyncPlan:
    plan = SyncPlan()
    seen: set[str] = set()
    for position, code in enumerate(municipalities):
        whole_country = scope.include_nationwide and position == 0
        _map_services(plan, client.services_in_municipality(code, include_whole_country=whole_country), scope, seen)
        _map_channels(plan, client.channels_in_municipality(code, include_whole_country=whole_country))
    _complete_plan(plan, client)
    return plan


def plan_incremental(client: ServiceCatalogClient, scope: Scope, since: datetime) -> SyncPlan:
    plan = SyncPlan()
    changed = client.changed_service_ids(since)
    _map_services(plan, client.services_by_ids(changed), scope, set())
    for status in ("Archived", "Withdrawn"):
        plan.hide_ids |= set(client.changed_service_ids(since, status=status))
    # Changed channels matter when we already show them; new ones come in via services.
    changed_channels = set(client.changed_channel_ids(since))
    known = set(
        ServiceChannel.objects.filter(source=Source.PTV, source_id__in=changed_channels).values_list(
            "source_id", flat=True
        )
    )
    if known:
        _map_channels(plan, client.channels_by_ids(sorted(known)))
    _complete_plan(plan, client)
    return plan


# --- phase 3: write ---------------------------------------------------------------------
def _set_texts(obj, texts: dict[str, str], fields: list[str]) -> None:
    """Copy fi/sv/en texts onto `<field>_<lang>` columns; a text missing from PTV becomes empty."""
    for lang in ("fi", "sv", "en"):
        for name in fields:
            setattr(obj, f"{name}_{lang}", texts.get(f"{name}_{lang}", ""))


class _Writer:
    def __init__(self, run: IngestRun, scope: Scope):
        self.run = run
        self.scope = scope
        self.now = timezone.now()
        self.municipalities: dict[str, Municipality] = {m.code: m for m in Municipality.objects.all()}
        self.concepts_by_uri: dict[str, Concept] = {c.uri: c for c in Concept.objects.all()}
        self.concepts_by_code = {(c.kind, c.code): c for c in self.concepts_by_uri.values() if c.code}
        self.organizations: dict[str, Organization] = {}
        self.channels: dict[str, ServiceChannel] = {}
        self.changed_service_ids: list[int] = []

    def municipality(self, ref: MunicipalityRef | None) -> Municipality | None:
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
        return municipality

    def concept(self, ref: ConceptRef) -> Concept | None:
        if ref.uri:
            concept = self.concepts_by_uri.get(ref.uri)
            if concept is None:
                concept = Concept.objects.create(
                    kind=ref.kind,
                    uri=ref.uri,
                    code=ref.code,
                    parent_uri=ref.parent_uri,
                    **{f"name_{lang}": value for lang, value in ref.names.items()},
                )
                self.concepts_by_uri[ref.uri] = concept
            return concept
        # Some records carry a class without its URI: fall back to code, then name.
        if ref.code and (ref.kind, ref.code) in self.concepts_by_code:
            return self.concepts_by_code[(ref.kind, ref.code)]
        name = ref.names.get("fi")
        if name:
            return next((c for c in self.concepts_by_uri.values() if c.kind == ref.kind and c.name_fi == name), None)
        return None

    def _upsert(self, model, records: dict, cache: dict, text_fields: list[str], fill, after_save=None) -> dict:
        """Create or update rows by PTV GUID; rows whose payload hash is unchanged are left alone."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        existing = {o.source_id: o for o in model.objects.filter(source=Source.PTV, source_id__in=records)}
        for source_id, record in records.items():
            obj = existing.get(source_id)
            if obj is not None and obj.source_hash == record.source_hash:
                counts["unchanged"] += 1
                cache[source_id] = obj
                continue
            obj = obj or model(source=Source.PTV, source_id=source_id)
            counts["created" if obj.pk is None else "updated"] += 1
            _set_texts(obj, record.texts, text_fields)
            fill(obj, record)
            obj.source_modified, obj.source_hash, obj.last_synced = record.modified, record.source_hash, self.now
            obj.save()
            if after_save is not None:
                after_save(obj, record)
            cache[source_id] = obj
        return counts

    def organizations_write(self, records: dict[str, OrganizationRecord]) -> dict:
        def fill(org: Organization, record: OrganizationRecord) -> None:
            org.organization_type = record.organization_type
            org.business_code = record.business_code
            org.municipality = self.municipality(record.municipality)
            org.web_url = record.web_url[:500]

        return self._upsert(Organization, records, self.organizations, ["name", "summary"], fill)

    def channels_write(self, records: dict[str, ChannelRecord]) -> dict:
        def fill(channel: ServiceChannel, record: ChannelRecord) -> None:
            channel.kind = record.kind
            channel.organization = self.organizations.get(record.organization_id)
            channel.postal_code = record.postal_code[:10]
            channel.municipality = self.municipality(record.municipality)
            channel.latitude, channel.longitude = record.latitude, record.longitude
            channel.phones = record.phones
            channel.emails = record.emails
            channel.web_pages = record.web_pages
            channel.service_hours = record.service_hours
            channel.accessibility = record.accessibility
            channel.languages = record.languages
            channel.is_public = True

        def after_save(channel: ServiceChannel, record: ChannelRecord) -> None:
            channel.area_municipalities.set([m for m in map(self.municipality, record.area_municipalities) if m])

        text_fields = ["name", "summary", "description", "street_address", "post_office"]
        return self._upsert(ServiceChannel, records, self.channels, text_fields, fill, after_save)

    def _channel(self, source_id: str) -> ServiceChannel | None:
        if source_id not in self.channels:
            self.channels[source_id] = ServiceChannel.objects.filter(source=Source.PTV, source_id=source_id).first()
        return self.channels[source_id]

    def _organization(self, source_id: str) -> Organization | None:
        if source_id not in self.organizations:
            self.organizations[source_id] = Organization.objects.filter(source=Source.PTV, source_id=source_id).first()
        return self.organizations[source_id]

    def services_write(self, records: dict[str, ServiceRecord]) -> None:
        run = self.run
        existing = {
            s.source_id: s
            for s in Service.objects.filter(source=Source.PTV, source_id__in=records).defer(
                "embedding", "search_vector", "search_head", "search_text"
            )
        }
        text_fields = ["name", "summary", "description", "user_instruction", "charge_info"]
        for source_id, record in records.items():
            record_hash = hashlib.sha256((record.source_hash + self.scope.signature).encode()).hexdigest()
            service = existing.get(source_id)
            if service is not None and service.source_hash == record_hash and service.is_public:
                run.unchanged += 1
                continue
            service = service or Service(source=Source.PTV, source_id=source_id)
            if service.pk is None:
                run.created += 1
            else:
                run.updated += 1
            _set_texts(service, record.texts, text_fields)
            for lang in ("fi", "sv", "en"):
                setattr(service, f"keywords_{lang}", [k[:200] for k in record.keywords.get(lang, [])])
            service.charge_type = (
                record.charge_type if record.charge_type in {"FreeOfCharge", "Chargeable", "Other"} else ""
            )
            service.languages = record.languages
            service.area_type = record.area_type
            service.publishing_status = record.publishing_status
            service.is_public = True
            service.source_modified = record.modified
            service.source_hash = record_hash
            service.last_synced = self.now
            service.save()
            service.municipalities.set([m for m in map(self.municipality, record.municipalities) if m])
            service.concepts.set([c for c in map(self.concept, record.concepts) if c])
            service.themes.set(self.scope.themes_for(record))
            service.channels.set([c for c in map(self._channel, record.channel_ids) if c])
            ServiceOrganization.objects.filter(service=service).delete()
            roles = {}
            for org_id, role, provision in record.organizations:
                org = self._organization(org_id)
                if org is not None:
                    roles[(org.id, role)] = ServiceOrganization(
                        service=service, organization=org, role=role, provision_type=provision or ""
                    )
            ServiceOrganization.objects.bulk_create(roles.values())
            self.changed_service_ids.append(service.id)

    def hide(self, source_ids: Iterable[str], status: str) -> int:
        return Service.objects.filter(source=Source.PTV, source_id__in=list(source_ids), is_public=True).update(
            is_public=False, publishing_status=status, last_synced=self.now
        )


def _apply(plan: SyncPlan, run: IngestRun, scope: Scope, *, full: bool, force: bool) -> list[int]:
    writer = _Writer(run, scope)
    org_counts = writer.organizations_write(plan.organizations)
    channel_counts = writer.channels_write(plan.channels)
    writer.services_write(plan.services)
    removed = writer.hide(plan.hide_ids - set(plan.services), "Archived")
    if full:
        public = Service.objects.filter(source=Source.PTV, is_public=True)
        unseen = set(public.exclude(source_id__in=list(plan.services)).values_list("source_id", flat=True))
        base = public.count() + removed
        limit = settings.INGEST_DELETE_LIMIT_PERCENT
        if unseen and base and not force and len(unseen) + removed > base * limit / 100:
            raise DeleteValveRefused(
                f"refusing to remove {len(unseen) + removed} of {base} PTV services (over {limit} %); "
                "check the source and run again with --force if this is right"
            )
        removed += writer.hide(unseen, "Removed")
    run.removed = removed
    run.details = {
        "organizations": org_counts,
        "channels": {**channel_counts, "failed": plan.channel_failed},
        "failed_ids": plan.failed_ids[:100],
    }
    return writer.changed_service_ids


def ptv_sync(
    *,
    full: bool = False,
    since: datetime | None = None,
    municipalities: list[str] | None = None,
    include_nationwide: bool | None = None,
    dry_run: bool = False,
    force: bool = False,
    client: ServiceCatalogClient | None = None,
    index: bool = True,
) -> IngestRun:
    """Run one PTV sync and return its IngestRun (status tells how it went)."""
    municipalities = [c.zfill(3) for c in (municipalities or settings.TARMOA_REGION_MUNICIPALITIES)]
    include_nationwide = settings.PTV_INCLUDE_NATIONWIDE if include_nationwide is None else include_nationwide
    if not full and since is None:
        since = last_good_run_start()
        if since is None:
            log.info("No earlier successful PTV run: doing a full sync instead of an incremental one.")
            full = True
    run = IngestRun.objects.create(
        source=Source.PTV,
        kind=IngestRun.Kind.FULL if full else IngestRun.Kind.INCREMENTAL,
        since=None if full else since,
        parameters={
            "municipalities": municipalities,
            "include_nationwide": include_nationwide,
            "dry_run": dry_run,
            "force": force,
        },
    )
    client = client or default_client()
    scope = Scope.build(municipalities, include_nationwide)
    changed: list[int] = []
    try:
        plan = plan_full(client, scope, municipalities) if full else plan_incremental(client, scope, since)
        run.fetched, run.skipped, run.failed = plan.fetched, plan.skipped, plan.failed
        with transaction.atomic():
            changed = _apply(plan, run, scope, full=full, force=force)
            if dry_run:
                raise _DryRunRollback
        run.status = IngestRun.Status.SUCCEEDED
    except _DryRunRollback:
        run.status = IngestRun.Status.DRY_RUN
        changed = []
    except PtvError as exc:
        log.error("PTV sync failed, catalog left as it was: %s", exc)
        run.mark_not_applied(IngestRun.Status.FAILED, str(exc))
        changed = []
    except DeleteValveRefused as exc:
        log.error("PTV sync refused: %s", exc)
        run.mark_not_applied(IngestRun.Status.REFUSED, str(exc))
        changed = []
    except Exception as exc:  # the transaction rolled back
        run.record_crash(exc)
        raise
    run.finished = timezone.now()
    run.save()
    if changed and index:
        services_index_schedule(service_ids=changed)
    return run
