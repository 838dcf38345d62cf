"""Writes of the admin-edited indicator list: which Sotkanet indicators the region follows, in which themes."""

from __future__ import annotations

from django.db import transaction

from catalog.models import Theme
from ingest.models import Indicator


class UnknownTheme(ValueError):
    pass


def indicator_themes_set(*, sotkanet_id: int, themes: list[str], is_active: bool = True) -> Indicator:
    """Follow (or stop following) one Sotkanet indicator and set its themes (catalog theme slugs).

    A new indicator gets its titles, unit and decimals from the next Sotkanet sync.
    """
    found = list(Theme.objects.filter(slug__in=themes))
    missing = set(themes) - {t.slug for t in found}
    if missing:
        raise UnknownTheme(f"unknown theme(s): {', '.join(sorted(missing))}")
    with transaction.atomic():
        indicator, _ = Indicator.objects.get_or_create(sotkanet_id=sotkanet_id)
        if indicator.is_active != is_active:
            indicator.is_active = is_active
            indicator.save(update_fields=["is_active"])
        indicator.themes.set(found)
    return indicator
