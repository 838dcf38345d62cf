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
