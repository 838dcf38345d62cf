"""Reads of the catalog. Views, tasks and commands call these."""

from __future__ import annotations

from django.db.models import QuerySet

from catalog.models import Theme


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("order")


def service_search_simple(*, query: str):
    from django.contrib.postgres.search import SearchQuery

    from catalog.models import Service

    return Service.objects.filter(is_public=True, search_vector_fi=SearchQuery(query, config="finnish"))[:20]
