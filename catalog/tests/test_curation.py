"""Curation as an overlay: what the region changes reaches search, facets, listings and cards at once."""

from __future__ import annotations

import pytest

from catalog.models import Service, Theme
from catalog.search.engine import search
from catalog.search.results import card_services
from catalog.search.types import SearchFilters
from catalog.services import service_curation_update

pytestmark = pytest.mark.django_db


def _service_outside(theme: Theme) -> Service:
    return Service.objects.filter(is_public=True).exclude(themes=theme).exclude(curation__hidden=True).first()


def test_extra_theme_counts_in_theme_filter_facets_and_cards(demo_catalog):
    theme = Theme.objects.get(slug="luonto")
    service = _service_outside(theme)
    listing = search("", filters=SearchFilters(themes=(theme.slug,)), page_size=1000)
    assert service.id not in [h.service_id for h in listing.hits]
    count_before = next(f["count"] for f in listing.facets["themes"] if f["slug"] == theme.slug)

    service_curation_update(service=service, extra_themes=[theme])

    listing = search("", filters=SearchFilters(themes=(theme.slug,)), page_size=1000)
    assert service.id in [h.service_id for h in listing.hits]
    assert next(f["count"] for f in listing.facets["themes"] if f["slug"] == theme.slug) == count_before + 1
    assert theme in card_services([service.id])[service.id].card_themes
    # The source's own themes are untouched: the extra theme is the overlay's.
    assert not service.themes.filter(pk=theme.pk).exists()


def test_hidden_service_leaves_search_listings_and_its_page(demo_catalog, client):
    service = Service.objects.filter(is_public=True, curation__isnull=True).order_by("id").first()
    name_word = service.name_fi.split()[0]
    assert service.id in [h.service_id for h in search(name_word).hits]

    service_curation_update(service=service, hidden=True, hidden_reason="Toiminta tauolla")

    assert service.id not in [h.service_id for h in search(name_word).hits]
    assert service.id not in [h.service_id for h in search("").hits]
    assert client.get(f"/palvelu/{service.id}/").status_code == 404
    assert Service.objects.get(pk=service.pk).index_hidden is True

    service_curation_update(service=service, hidden=False)
    assert service.id in [h.service_id for h in search(name_word).hits]


def test_region_summary_is_searched_and_shown_without_touching_the_source(demo_catalog):
    service = Service.objects.filter(is_public=True, curation__isnull=True).order_by("-id").first()
    source_summary = service.summary_fi
    # Lexical side only: the semantic side finds look-alikes of any text.
    assert service.id not in [h.service_id for h in search("kävelykaverit", mode="lexical").hits]

    service_curation_update(service=service, summaries={"fi": "Kävelykaverit tapaavat joka tiistai torilla."})

    result = search("kävelykaverit", mode="lexical")
    assert [h.service_id for h in result.hits] == [service.id]
    assert Service.objects.get(pk=service.pk).summary_fi == source_summary


def test_curation_rejects_an_unknown_summary_language(demo_catalog):
    service = Service.objects.filter(is_public=True).first()
    with pytest.raises(ValueError, match="fi, sv or en"):
        service_curation_update(service=service, summaries={"de": "Hallo"})


def test_featured_service_comes_first_in_listings_and_is_marked(demo_catalog):
    theme = Theme.objects.get(slug="liikunta")
    listing = search("", filters=SearchFilters(themes=(theme.slug,)), page_size=1000)
    last = listing.hits[-1].service_id  # last in name order
    service_curation_update(service=Service.objects.get(pk=last), featured=True)

    listing = search("", filters=SearchFilters(themes=(theme.slug,)), page_size=1000)
    assert listing.hits[0].service_id == last
    assert listing.services[0].card_featured is True
    assert not any(s.card_featured for s in listing.services[1:])


def test_cards_show_the_regions_own_summary(demo_catalog, client):
    service = Service.objects.filter(is_public=True, curation__isnull=True).order_by("id").first()
    service_curation_update(service=service, summaries={"fi": "Alueen oma kuvaus palvelusta."})
    assert card_services([service.id])[service.id].summary_fi == "Alueen oma kuvaus palvelusta."
    assert "Alueen oma kuvaus palvelusta." in client.get(f"/palvelu/{service.id}/").content.decode()
