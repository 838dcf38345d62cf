"""Free of charge and ages or life stages in a query become soft boosts shown as removable chips."""

import pytest

from catalog.search.engine import search
from catalog.search.understanding import Understanding, understand


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ilmainen kuntosali ikäihmisille", Understanding(free=True, target_group="KR1.1")),
        ("harrastus 9-vuotiaalle", Understanding(target_group="KR1.2")),
        ("nuorelle apua", Understanding(target_group="KR1.3")),
        ("motion för äldre", Understanding(target_group="KR1.1")),
        ("gratis simning", Understanding(free=True)),
        ("free gym for seniors", Understanding(free=True, target_group="KR1.1")),
        ("uimahalli", Understanding()),
    ],
)
def test_query_words_are_understood(query, expected):
    assert understand(query) == expected


def test_ignored_understanding_is_dropped():
    assert understand("maksuton jumppa nuorille", ignore=("free", "target_group")) == Understanding()


@pytest.mark.django_db
def test_understanding_boosts_but_never_filters(demo_catalog):
    boosted = search("maksuton liikunta ikäihmisille", page_size=50)
    assert boosted.understood == {"free": True, "target_group": "KR1.1"}
    plain = search("maksuton liikunta ikäihmisille", ignore=("free", "target_group"), page_size=50)
    assert plain.understood == {}
    assert {h.service_id for h in boosted.hits} == {h.service_id for h in plain.hits}
    top = boosted.services[0]
    assert top.charge_type == "FreeOfCharge" or top.concepts.filter(code__startswith="KR1.1").exists()


@pytest.mark.django_db
def test_a_chosen_filter_is_not_understood_again(demo_catalog):
    from catalog.search.types import SearchFilters

    result = search("ilmainen kuntosali", filters=SearchFilters(free=True))
    assert "free" not in result.understood


@pytest.mark.django_db
def test_api_and_page_show_what_was_understood_and_let_it_go(client, demo_catalog):
    data = client.get("/api/v1/search?q=kuntosali ikäihmisille&kind=service").json()
    assert data["understood"] == {"target_group": "KR1.1"}
    data = client.get("/api/v1/search?q=kuntosali ikäihmisille&kind=service&ignore=target_group").json()
    assert data["understood"] == {}
    page = client.get("/haku/?q=ilmainen+kuntosali").content.decode()
    assert 'class="chip"' in page and "ignore=free" in page
    assert 'class="chip"' not in client.get("/haku/?q=ilmainen+kuntosali&ignore=free").content.decode()


@pytest.mark.django_db
def test_nearest_themes_are_those_closest_in_meaning(demo_catalog):
    from catalog.models import Theme
    from catalog.search.engine import THEME_MARGIN, near_theme_ids
    from catalog.search.results import theme_similarities

    similarities = dict((t.slug, s) for t, s in theme_similarities("en saa nukuttua ja väsyttää koko ajan"))
    best = max(similarities.values())
    near = set(
        Theme.objects.filter(id__in=near_theme_ids("en saa nukuttua ja väsyttää koko ajan")).values_list(
            "slug", flat=True
        )
    )
    assert near == {slug for slug, s in similarities.items() if s >= best - THEME_MARGIN}
    assert max(similarities, key=similarities.get) in near
    assert len(near) < len(similarities)  # a margin, not every theme


@pytest.mark.django_db
def test_services_of_the_nearest_themes_gain_the_soft_boost(demo_catalog, monkeypatch):
    from catalog.search import engine
    from catalog.search.engine import near_theme_ids

    query = "haluan liikkua enemmän"
    near = set(near_theme_ids(query))
    monkeypatch.setattr(engine, "THEME_BOOST", 0.0)
    plain = {h.service_id: h.score for h in search(query, page_size=100).hits}
    monkeypatch.setattr(engine, "THEME_BOOST", 0.05)
    boosted = search(query, page_size=100)
    in_near = {s.id for s in boosted.services if set(s.index_theme_ids or []) & near}
    assert in_near, "the demo region has services of the nearest theme"
    for hit in boosted.hits:
        if hit.service_id in plain:
            expected = plain[hit.service_id] * (1.05 if hit.service_id in in_near else 1.0)
            if hit.service_id in {s.id for s in boosted.services}:
                assert hit.score == pytest.approx(expected)
    assert {h.service_id for h in boosted.hits} == set(plain)  # a boost, never a filter
