"""PTV sync: read the region's services from PTV and write them into the catalog.

Three phases, so that a failure never leaves half a catalog:
1. fetch and map everything over HTTP (no database writes); an HTTP failure ends the
   run as failed with the catalog untouched;
2. decide scope (ingest.ptv.scope): a service is stored when it is published, has a
   citizen target group (KR1 or a KR1.x sub-group) and an area in the region (or
   nationwide, when enabled); it is public when one of the themes takes in one of its
   service classes and it is not heavy care, or an editor included it (catalog.scope);
   the rest are stored not public, for the workspace's scope page to count and include;
3. write in one transaction (ingest.ptv.writer on ingest.sync): upsert by PTV GUID
   (unchanged payloads are skipped, so a second identical run changes nothing), then on
   a full sync sweep the services not seen, behind the delete valve. Removed services are
   hidden, not deleted, so local curation (ServiceCuration) survives even a service that
   disappears for a while.

A public service whose payload hash matches the stored one is not mapped at all (only
its channel and organisation links are read): mapping was most of an unchanged run's CPU.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Service, ServiceChannel, Source
from catalog.selectors import region_current
from catalog.services import services_index_schedule
from ingest.base import (
    DeleteValveRefused,
    MappingError,
    SourceNotConfigured,
    client_options,
    last_good_run_start,
    payload_hash,
)
from ingest.models import IngestRun
from ingest.ptv.client import PtvClientV11, PtvError, ServiceCatalogClient
from ingest.ptv.mapping import (
    ChannelRecord,
    OrganizationRecord,
    ServiceRecord,
    map_channel,
    map_organization,
    map_service,
    service_links,
    service_unusual,
)
from ingest.ptv.scope import UNPLACEABLE, Scope
from ingest.ptv.writer import PtvWriter

log = logging.getLogger(__name__)


class _DryRunRollback(Exception):
    pass


@dataclass
class SyncPlan:
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    channels: dict[str, ChannelRecord] = field(default_factory=dict)
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    hide_ids: set[str] = field(default_factory=set)  # archived, withdrawn or out of scope now
    # Public services whose payload is the one stored: not mapped again; their links still
    # decide which channels and organisations the run reads.
    unchanged: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    failed_ids: list[str] = field(default_factory=list)
    channel_failed: int = 0
    # What was unusual, so that an admin sees it in the run (IngestRun.details["unusual"]).
    producers_without_organization: int = 0  # kept with their free-text name
    producers_without_name: int = 0  # `organization: null` and no name either: nothing to show
    general_texts: int = 0  # services showing texts of their general description
    unplaceable: list[str] = field(default_factory=list)  # services skipped: an area type the sync cannot place
    county_table_areas: int = 0  # county areas without municipalities, placed from the code table

    def unusual(self, client: object) -> dict:
        return {
            "producers_without_organization": self.producers_without_organization,
            "producers_without_name": self.producers_without_name,
            "general_description_texts": self.general_texts,
            "vanished_guids": len(getattr(client, "vanished", [])),
            "vanished_sample": list(getattr(client, "vanished", []))[:20],
            "duplicate_guids": len(getattr(client, "duplicates", [])),
            "duplicate_sample": list(getattr(client, "duplicates", []))[:20],
            "unplaceable_areas": len(self.unplaceable),
            "unplaceable_sample": self.unplaceable[:20],
            "county_table_areas": self.county_table_areas,
        }


def default_client() -> PtvClientV11:
    return PtvClientV11(settings.PTV_API_URL, **client_options())


# --- phase 1 and 2: fetch, map, scope ----------------------------------------------------
def _stored_hashes() -> dict[str, str]:
    """Stored published services, public or kept out of scope (their state is the stored one)."""
    rows = Service.objects.filter(source=Source.PTV, publishing_status="Published")
    return dict(rows.values_list("source_id", "source_hash"))


def _map_services(
    plan: SyncPlan, payloads: Iterable[dict], scope: Scope, seen: set[str], stored: dict[str, str]
) -> None:
    for payload in payloads:
        guid = str(payload.get("id")) if isinstance(payload, dict) else "?"
        if guid in seen:
            continue
        seen.add(guid)
        plan.fetched += 1
        try:
            digest = payload_hash(payload) if isinstance(payload, dict) else None
            # Mapping is most of a run's CPU; a payload already stored as it is needs only its links.
            if digest and guid in stored and stored[guid] == scope.service_hash(digest):
                plan.unchanged[guid] = service_links(payload)
                named, nameless, general = service_unusual(payload)
                plan.producers_without_organization += named
                plan.producers_without_name += nameless
                plan.general_texts += general
                continue
            record = map_service(payload, source_hash=digest)
        except MappingError as exc:
            log.warning("PTV service %s skipped as malformed: %s", guid, exc)
            plan.failed += 1
            plan.failed_ids.append(guid)
            continue
        reason = scope.reason_not_stored(record)
        if reason:
            if reason == UNPLACEABLE:
                log.warning("PTV service %s skipped: areas %s cannot be placed", guid, record.unplaced_areas)
                plan.unplaceable.append(f"{guid}: {', '.join(record.unplaced_areas)}")
            plan.skipped += 1
            plan.hide_ids.add(record.source_id)
            continue
        plan.county_table_areas += len(record.county_areas)
        plan.producers_without_organization += len(record.producers)
        plan.producers_without_name += record.nameless_producers
        plan.general_texts += bool(record.general_text_fields)
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
    wanted_channels |= {cid for channel_ids, _ in plan.unchanged.values() for cid in channel_ids}
    missing = wanted_channels - set(plan.channels)
    if missing:
        _map_channels(plan, client.channels_by_ids(sorted(missing)))
    plan.channels = {cid: c for cid, c in plan.channels.items() if cid in wanted_channels}
    org_ids = {org_id for s in plan.services.values() for org_id, _, _ in s.organizations}
    org_ids |= {org_id for _, org_ids in plan.unchanged.values() for org_id in org_ids}
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
    stored = _stored_hashes()
    for position, code in enumerate(municipalities):
        whole_country = scope.include_nationwide and position == 0
        services = client.services_in_municipality(code, include_whole_country=whole_country)
        _map_services(plan, services, scope, seen, stored)
        _map_channels(plan, client.channels_in_municipality(code, include_whole_country=whole_country))
    _complete_plan(plan, client)
    return plan


def plan_incremental(client: ServiceCatalogClient, scope: Scope, since: datetime) -> SyncPlan:
    plan = SyncPlan()
    changed = client.changed_service_ids(since)
    _map_services(plan, client.services_by_ids(changed), scope, set(), _stored_hashes())
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
def _apply(
    plan: SyncPlan, run: IngestRun, scope: Scope, client: ServiceCatalogClient, *, full: bool, force: bool
) -> list[int]:
    writer = PtvWriter(scope, now=timezone.now())
    writer.begin()
    org_counts = writer.organizations_write(plan.organizations)
    channel_counts = writer.channels_write(plan.channels)
    service_counts, changed = writer.services_write(plan.services)
    run.created, run.updated = service_counts["created"], service_counts["updated"]
    run.unchanged = service_counts["unchanged"] + len(plan.unchanged)
    listed = plan.services.keys() | plan.unchanged.keys()
    removed = service_counts["hidden_by_scope"] + writer.hide(plan.hide_ids - listed, "Archived")
    if full:
        removed += writer.sweep(listed, force=force)
    run.removed = removed
    run.details = {
        "organizations": org_counts,
        "channels": {**channel_counts, "failed": plan.channel_failed},
        "failed_ids": plan.failed_ids[:100],
        # Written this run but kept out of scope (stored, not public: the workspace's scope page).
        "out_of_scope": {
            "class": service_counts["out_of_scope_class"],
            "heavy_care": service_counts["out_of_scope_heavy_care"],
        },
        "unusual": plan.unusual(client),
    }
    return changed


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
    # The region row drives the sync (settings only seed it through setup_region).
    region = region_current()
    if not municipalities:
        municipalities = region.municipality_codes() if region is not None else []
    if not municipalities:
        raise SourceNotConfigured("No region municipalities to sync: run `python manage.py setup_region` first")
    municipalities = [c.zfill(3) for c in municipalities]
    if include_nationwide is None:
        include_nationwide = region.include_nationwide if region is not None else False
    if not full and since is None:
        since = last_good_run_start(Source.PTV)
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
    if hasattr(client, "begin_run"):
        client.begin_run(deadline=settings.INGEST_RUN_DEADLINE_SECONDS)
    scope = Scope.build(municipalities, include_nationwide)
    changed: list[int] = []
    try:
        plan = plan_full(client, scope, municipalities) if full else plan_incremental(client, scope, since)
        run.fetched, run.skipped, run.failed = plan.fetched, plan.skipped, plan.failed
        with transaction.atomic():
            changed = _apply(plan, run, scope, client, full=full, force=force)
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
