"""Check the web links of public services (a Celery job): HEAD with timeouts, GET where HEAD is refused.

A link counts as broken on a 4xx/5xx answer (except 401/403/429: the page is there but
keeps robots out) or when it cannot be reached within the timeout. Results go to
LinkCheck, one row per address; editors follow broken ones up in the workspace.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from django.db.models import Q
from django.utils import timezone

from catalog.models import LinkCheck, ServiceChannel

log = logging.getLogger(__name__)

TIMEOUT = (5, 10)  # connect, read (seconds)
NOT_BROKEN = {401, 403, 429}
USER_AGENT = "Tarmoa-linkcheck/1.0 (+https://github.com/tarmoa)"


@dataclass
class LinkResult:
    ok: bool
    status_code: int | None = None
    error: str = ""


def link_probe(url: str, session: requests.Session | None = None) -> LinkResult:
    """One address: HEAD, and GET (streamed, body not read) when the server refuses HEAD."""
    http = session or requests
    try:
        response = http.head(url, timeout=TIMEOUT, allow_redirects=True, headers={"User-Agent": USER_AGENT})
        if response.status_code in (405, 501):
            response = http.get(url, timeout=TIMEOUT, allow_redirects=True, stream=True,
                                headers={"User-Agent": USER_AGENT})  # fmt: skip
            response.close()
    except requests.Timeout:
        return LinkResult(False, None, "timeout")
    except requests.RequestException as exc:
        return LinkResult(False, None, type(exc).__name__)
    code = response.status_code
    return LinkResult(code < 400 or code in NOT_BROKEN, code)


def public_link_urls() -> list[str]:
    """Distinct http(s) addresses on the public channels of public services."""
    urls: set[str] = set()
    channels = ServiceChannel.objects.filter(is_public=True, services__is_public=True).filter(~Q(web_pages=[]))
    for pages in channels.values_list("web_pages", flat=True).distinct():
        for page in pages or []:
            url = page.get("url", "") if isinstance(page, dict) else ""
            if url.startswith(("http://", "https://")) and len(url) <= 500:
                urls.add(url)
    return sorted(urls)


def links_check(*, urls: list[str] | None = None, workers: int = 8) -> dict[str, int]:
    """Check the addresses (default: every public link, and forget the rest) and store each result."""
    prune = urls is None
    urls = public_link_urls() if urls is None else urls
    with requests.Session() as session, ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda url: (url, link_probe(url, session)), urls))
    now = timezone.now()
    broken = 0
    for url, result in results:
        row = LinkCheck.objects.filter(url=url).first()
        failing_since = None
        if not result.ok:
            broken += 1
            failing_since = row.failing_since if row and row.failing_since else now
        LinkCheck.objects.update_or_create(
            url=url,
            defaults={"ok": result.ok, "status_code": result.status_code, "error": result.error[:200],
                      "checked": now, "failing_since": failing_since},
        )  # fmt: skip
    # Addresses no longer on any public channel are forgotten.
    if prune:
        LinkCheck.objects.exclude(url__in=urls).delete()
    log.info("link check: %d addresses, %d broken", len(urls), broken)
    return {"checked": len(urls), "broken": broken}
