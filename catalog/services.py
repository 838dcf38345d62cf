"""Writes to the catalog. Views, tasks and commands call these."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import connection, transaction

from catalog.models import (
    Concept,
    ErrorReport,
    Municipality,
    Region,
    ScopeOverride,
    Service,
    ServiceCuration,
    Source,
    Theme,
)
from catalog.privacy import query_scrub
from catalog.scope import ScopeError, clean_codes, scope_counts, scope_moves, scope_write
from catalog.search.indexing import services_index_lexical
from catalog.tasks import embed_services

log = logging.getLogger(__name__)
CODELIST_DIR = Path(__file__).resolve().parent / "data" / "ptv-codelists"
CODELIST_FILES = {
    "Finto_ServiceClasses.json": Concept.Kind.SERVICE_CLASS,
    "Finto_TargetGroups.json": Concept.Kind.TARGET_GROUP,
    "Finto_LifeEvents.json": Concept.Kind.LIFE_EVENT,
}


class CodelistError(ValueError):
    pass


@dataclass
class CodelistResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def _parse_codelist(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CodelistError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise CodelistError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise CodelistError(f"{path}: expected a JSON array of concepts")
    for position, item in enumerate(data):
        if not isinstance(item, dict):
            raise CodelistError(f"{path}: item {position} is not an object")
    return data


def codelists_load(*, directory: Path = CODELIST_DIR) -> CodelistResult:
    """Load PTV's Finto code lists (service classes, target groups, life events).

    Every file is parsed and validated before anything is written, so a broken file
    changes nothing.
    """
    parsed = [(kind, _parse_codelist(directory / name)) for name, kind in CODELIST_FILES.items()]
    result = CodelistResult()
    with transaction.atomic():
        for kind, items in parsed:
            for item in items:
                label = item.get("Label")
                # Real snapshots carry broken entries (e.g. a duplicate P7.12 without an Id).
                if not item.get("Id") or not isinstance(label, dict):
                    result.skipped += 1
                    continue
                broader = item.get("BroaderUris") or []
                _, created = Concept.objects.update_or_create(
                    uri=item["Id"],
                    defaults={
                        "kind": kind,
                        "code": item.get("Notation") or "",
                        "name_fi": label.get("Fi") or "",
                        "name_sv": label.get("Sv") or "",
                        "name_en": label.get("En") or "",
                        "parent_uri": broader[0] if broader else "",
                    },
                )
                if created:
                    result.created += 1
                else:
                    result.updated += 1
    return result


def region_setup(
    *,
    code: str | None = None,
    name: str | None = None,
    municipality_codes: list[str] | None = None,
    include_nationwide: bool | None = None,
) -> Region:
    """Create or update a region and attach its member municipalities (names arrive with ingest).

    Every argument left out comes from settings (TARMOA_REGION_CODE, TARMOA_REGION_NAME*,
    TARMOA_REGION_MUNICIPALITIES, PTV_INCLUDE_NATIONWIDE): settings seed the first region,
    the row is what the sync, the filters and the pages read afterwards.
    """
    from django.core.cache import cache

    code = code or settings.TARMOA_REGION_CODE
    codes = municipality_codes if municipality_codes is not None else settings.TARMOA_REGION_MUNICIPALITIES
    defaults = {
        "name_fi": name or settings.TARMOA_REGION_NAME,
        "name_sv": settings.TARMOA_REGION_NAME_SV,
        "name_en": settings.TARMOA_REGION_NAME_EN,
        "include_nationwide": settings.PTV_INCLUDE_NATIONWIDE if include_nationwide is None else include_nationwide,
    }
    cache.delete("tarmoa:region")
    with transaction.atomic():
        region, _ = Region.objects.update_or_create(code=code, defaults=defaults)
        for municipality_code in codes:
            municipality, _ = Municipality.objects.get_or_create(
                code=municipality_code, defaults={"name_fi": municipality_code}
            )
            if municipality.region_id != region.id:
                municipality.region = region
                municipality.save(update_fields=["region"])
        Municipality.objects.filter(region=region).exclude(code__in=codes).update(region=None)
    return region


def search_log_record(*, query: str, language: str, filters: dict, result_count: int) -> int:
    """Log one search for the dashboard: no IP, no cookie id, no user; the time rounded down to the hour;
    phone numbers, identity codes, emails and names scrubbed from the query (catalog.privacy)."""
    from django.utils import timezone

    from catalog.models import SearchLog

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    # One INSERT without building a model instance: this runs on every search.
    with connection.cursor() as cursor:
        cursor.execute(
            f"insert into {SearchLog._meta.db_table} (query, language, filters, result_count, hour) "  # noqa: S608
            "values (%s, %s, %s, %s, %s) returning id",
            [query_scrub(query).lower()[:200], language[:5], json.dumps(filters), result_count, hour],
        )
        return cursor.fetchone()[0]


_CLICK_SALT = "tarmoa.search-log-click"
CLICK_MAX_AGE = 3600  # a result page's links count a click for an hour


def search_log_click_ref(*, log_id: int) -> str:
    """The value a result link carries to log its click: signed, so no one can forge a click
    on another search's log line (a bare id could be rewritten by anyone with a GET)."""
    return signing.dumps(log_id, salt=_CLICK_SALT, compress=False)


def search_log_click(*, ref: str, service_id: int) -> bool:
    """Record the clicked service of the search `ref` names, once; False for a forged, expired
    or already used reference (the log line is then left as it is)."""
    from django.core.cache import cache

    from catalog.models import SearchLog

    try:
        log_id = signing.loads(ref[:200], salt=_CLICK_SALT, max_age=CLICK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return False
    if not isinstance(log_id, int) or not cache.add(f"search-click:{log_id}", 1, timeout=CLICK_MAX_AGE):
        return False
    return SearchLog.objects.filter(id=log_id, clicked_service__isnull=True).update(clicked_service_id=service_id) == 1


def error_report_create(*, service, message: str) -> ErrorReport:
    """Store a resident's error report (the view limits how many one client may send:
    tarmoa.lib.ratelimit's `report` bucket)."""
    return ErrorReport.objects.create(service=service, message=message)


def _task_send(task, **kwargs) -> None:
    """`task.delay(**kwargs)`; when the broker (Redis) cannot take it, run it here instead.

    The work is small where this is used (the embeddings of the services just changed),
    so doing it in the request is better than failing the request or losing the work.
    """
    try:
        task.delay(**kwargs)
    except Exception as exc:  # kombu's OperationalError and socket errors alike
        log.warning("task broker unavailable (%s): running %s in-process", exc.__class__.__name__, task.name)
        task.apply(kwargs=kwargs)


def services_index_schedule(*, service_ids: Sequence[int]) -> None:
    """After the current transaction commits: lexical index now, embeddings in a Celery job."""
    ids = list(service_ids)

    def _run() -> None:
        services_index_lexical(service_ids=ids)
        _task_send(embed_services, service_ids=ids)

    transaction.on_commit(_run)


def services_scope_apply(*, service_ids: Sequence[int] | None = None) -> dict[str, int]:
    """Apply the current class mapping and overrides to the stored PTV services (all, or some):
    scope status, themes and `is_public` written, the moved services re-indexed at once."""
    with transaction.atomic():
        moves = scope_moves(service_ids=service_ids)
        shown = scope_write(moves)
        if shown:
            transaction.on_commit(lambda: _task_send(embed_services, service_ids=shown))
    return scope_counts(moves)


def scope_theme_update(*, theme: Theme, codes: Sequence[str], actor=None) -> dict[str, int]:
    """Save a theme's service classes and apply them at once (catalog.scope). Returns what moved,
    counted as catalog.scope.scope_preview counts it. The theme's history records who changed it."""
    cleaned = clean_codes(codes)
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        theme.service_class_codes = cleaned
        theme._history_user = actor
        theme.save()
        moves = scope_moves()
        shown = scope_write(moves)
        if shown:
            transaction.on_commit(lambda: _task_send(embed_services, service_ids=shown))
    return scope_counts(moves, theme.id)


def service_curation_update(
    *,
    service: Service,
    hidden: bool | None = None,
    hidden_reason: str | None = None,
    featured: bool | None = None,
    extra_themes: Sequence[Theme] | None = None,
    note: str | None = None,
    summaries: dict[str, str] | None = None,
    summary_selko: str | None = None,
    scope_override: str | None = None,
    scope_reason: str | None = None,
    actor=None,
) -> ServiceCuration:
    """Change what the region says about a service (arguments left as None stay as they are).

    The overlay never touches source fields, so every sync keeps it. The search index is
    updated before this returns (search, facets, listings and cards see the change at once);
    a changed summary is re-embedded in a job after the transaction commits.
    `summaries` maps a language (fi, sv, en) to the region's own summary ("" drops it).
    `summary_selko` is the plain-Finnish summary an editor wrote; it is shown, not indexed.
    `scope_override` ("", "include" or "exclude") includes a PTV service in the wellbeing scope
    whatever its classes, or excludes it (catalog.scope); it is applied at once (public or not,
    re-indexed). An included service needs a theme: its classes' or an extra theme. Raises
    ScopeError (nothing stored) when the override cannot be made.
    `actor` (a user) is recorded in the curation's change history.
    """
    if scope_override is not None and scope_override not in ScopeOverride.values:
        raise ScopeError(f"scope_override must be one of '', include, exclude; got {scope_override!r}")
    if scope_override and service.source != Source.PTV:
        raise ScopeError("only PTV services have a scope to override; hide the service instead")
    with transaction.atomic():
        curation, _ = ServiceCuration.objects.select_for_update().get_or_create(service=service)
        if hidden is not None:
            curation.hidden = hidden
        if hidden_reason is not None:
            curation.hidden_reason = hidden_reason.strip()[:300]
        if featured is not None:
            curation.featured = featured
        if note is not None:
            curation.note = note.strip()
        if summary_selko is not None:
            curation.summary_selko = summary_selko.strip()
        for language, text in (summaries or {}).items():
            if language not in ("fi", "sv", "en"):
                raise ValueError(f"summary language must be fi, sv or en; got {language!r}")
            setattr(curation, f"summary_{language}", text.strip())
        if scope_override is not None:
            curation.scope_override = scope_override
        if scope_reason is not None:
            curation.scope_reason = scope_reason.strip()[:300]
        if curation.scope_override == ScopeOverride.INCLUDE:
            themes = extra_themes if extra_themes is not None else list(curation.extra_themes.all())
            if not themes and not service.themes.exists():
                raise ScopeError("the service's classes map to no theme: choose at least one extra theme to include it")
        curation._history_user = actor
        curation.save()
        if extra_themes is not None:
            curation.extra_themes.set(extra_themes)
        services_scope_apply(service_ids=[service.id])
        services_index_lexical(service_ids=[service.id])
        if summaries:
            transaction.on_commit(lambda: _task_send(embed_services, service_ids=[service.id]))
    return curation


class ForwardError(ValueError):
    pass


def error_report_set_status(*, report: ErrorReport, status: str) -> ErrorReport:
    if status not in ErrorReport.Status.values:
        raise ValueError(f"unknown status {status!r}")
    report.status = status
    report.save(update_fields=["status"])
    return report


def error_report_forward(*, report: ErrorReport, to: str, service_url: str) -> ErrorReport:
    """Email the report to the service's upstream owner and record that it was forwarded.

    The resident's message is sent as it is (it holds no contact details of theirs: the
    form asks for none). Raises ForwardError when there is no address to send to.
    """
    from django.core.mail import send_mail
    from django.utils import timezone

    to = (to or "").strip()
    if not to:
        raise ForwardError("the service has no contact address to forward to")
    service = report.service
    body = "\n".join(
        [
            f"Tarmoa-palvelun käyttäjä ilmoitti virheestä palvelun tiedoissa: {service.name_fi}",
            f"Palvelu Tarmoassa: {service_url}",
            f"Tunniste lähteessä ({service.get_source_display()}): {service.source_id}",
            "",
            "Ilmoitus:",
            report.message,
            "",
            "Korjatkaa tieto lähteeseen (esim. Palvelutietovarantoon), niin se päivittyy Tarmoaan seuraavassa "
            "synkronoinnissa.",
        ]
    )
    send_mail(f"Virheilmoitus palvelun tiedoista: {service.name_fi}"[:200], body, None, [to])
    report.status, report.forwarded_to, report.forwarded_at = ErrorReport.Status.FORWARDED, to, timezone.now()
    report.save(update_fields=["status", "forwarded_to", "forwarded_at"])
    return report
