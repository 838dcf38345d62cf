"""The hybrid search engine over the demo region."""

import pytest

from catalog.models import SearchLog, Service
from catalog.search.engine import search
from catalog.search.query import normalize_query
from catalog.search.types import QueryTooLong, SearchFilters

pytestmark = pytest.mark.django_db


def names(result, n=5):
    return [s.name_fi.lower() for s in result.services[:n]]


def test_short_word_finds_matching_services_first(demo_catalog):
    result = search("kirjasto")
    assert result.count > 0
    assert any("kirjasto" in n for n in names(result, 3))
    top = result.services[0]
    assert result.why[top.id]["matched_words"] == ["kirjasto"]


def test_inflected_finnish_word_matches_base_form(demo_catalog):
    # "kirjastossa" (in the library) must reach services about "kirjasto"
    result = search("kirjastossa")
    assert any("kirjasto" in (s.name_fi + s.summary_fi + s.description_fi).lower() for s in result.services[:3])


def test_typo_still_matches_by_trigram(demo_catalog):
    result = search("kirjastto", mode="lexical")
    assert result.count > 0
    assert any("kirjasto" in n for n in names(result, 5))


def test_whole_sentence_is_understood(demo_catalog):
    result = search("tunnen itseni yksinäiseksi")
    assert result.count > 0
    assert result.good_match
    top_themes = {t.slug for s in result.services[:5] for t in s.themes.all()}
    assert top_themes & {"yhteisollisyys", "mieli"}


def test_swedish_query_finds_finnish_described_services(demo_catalog):
    result = search("motion för äldre")
    assert result.count > 0
    top_themes = {t.slug for s in result.services[:5] for t in s.themes.all()}
    assert "liikunta" in top_themes


def test_theme_filter_keeps_only_that_theme(demo_catalog):
    result = search("retki", filters=SearchFilters(themes=("luonto",)))
    assert result.count > 0
    for service in result.services:
        assert "luonto" in {t.slug for t in service.themes.all()}


def test_municipality_filter_includes_region_wide_and_nationwide(demo_catalog):
    result = search("", filters=SearchFilters(municipality="263"), page_size=500)
    assert result.count > 0
    for service in result.services:
        codes = {m.code for m in service.municipalities.all()}
        assert "263" in codes or service.area_type.startswith("Nationwide")
    assert any(s.area_type.startswith("Nationwide") for s in result.services)


def test_free_and_channel_filters(demo_catalog):
    free = search("", filters=SearchFilters(free=True), page_size=500)
    assert free.count > 0 and all(s.charge_type == "FreeOfCharge" for s in free.services)
    phone = search("", filters=SearchFilters(channel_kinds=("phone",)), page_size=500)
    assert phone.count > 0
    assert all(any(c.kind == "Phone" for c in s.channels.all()) for s in phone.services)


def test_target_group_filter_matches_sub_groups(demo_catalog):
    seniors = search("", filters=SearchFilters(target_group="KR1.1"), page_size=500)
    assert seniors.count > 0
    for service in seniors.services:
        assert service.concepts.filter(code="KR1.1").exists()


def test_facets_count_themes_and_municipalities(demo_catalog):
    result = search("nuoret")
    themes = {f["slug"]: f["count"] for f in result.facets["themes"]}
    assert themes.get("liikunta", 0) > 0
    assert result.facets["municipalities"]


def test_nonsense_gets_honest_help(demo_catalog):
    result = search("qwzx vbnmöp")
    assert not result.good_match
    assert result.suggestions["themes"]


def test_hidden_curated_services_are_not_found(demo_catalog):
    from catalog.services import service_curation_update

    hit = search("kirjasto").services[0]
    service_curation_update(service=hit, hidden=True, hidden_reason="Suljettu remontin ajaksi")
    assert hit.id not in [s.id for s in search("kirjasto").services]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "😀😀",
        "'; drop table catalog_service; --",
        "<script>alert(1)</script>",
        "a & b | !c",
        "%_\\",
        "\x00\x07",
    ],
)
def test_odd_input_is_safe(demo_catalog, query):
    stored = Service.objects.count()
    result = search(query)
    assert result.count == len(result.hits)
    assert all(s.is_public for s in result.services)
    text = normalize_query(query)
    if text and not any(ch.isalnum() for ch in text):
        assert result.count == 0 and result.suggestions["themes"]  # nothing to look for: help instead
    assert Service.objects.count() == stored  # nothing was dropped or written


def test_query_over_200_characters_is_refused():
    with pytest.raises(QueryTooLong):
        normalize_query("x" * 201)
    assert normalize_query("  a \n b  ") == "a b"


def test_pagination_splits_results(demo_catalog):
    first = search("", page=1, page_size=10)
    second = search("", page=2, page_size=10)
    assert first.count == second.count > 10
    assert not {s.id for s in first.services} & {s.id for s in second.services}
    assert SearchLog.objects.count() == 0  # the engine itself logs nothing; views do


def test_vocabulary_fixes_typos_and_finds_compound_parts(demo_catalog):
    from catalog.search.query import expand_words

    assert "kuntosali" in expand_words(["kuntosli"])
    assert any(w.endswith("jumppa") and w != "jumppa" for w in expand_words(["jumppa"]))
    parts = expand_words(["tupakkavieroitus"])
    assert "vieroitus" in parts


def test_typo_and_compound_queries_reach_the_right_services_lexically(demo_catalog):
    assert any("kuntosali" in n for n in names(search("kuntosli", mode="lexical"), 3))
    assert any("vesijump" in n for n in names(search("jumppa", mode="lexical"), 3))
    assert any("tupakasta" in n for n in names(search("tupakkavieroitus", mode="lexical"), 3))


def test_municipality_named_in_query_becomes_the_filter(demo_catalog):
    result = search("uimahalli iisalmessa")
    assert result.filters.municipality == "140"
    assert result.query == "uimahalli iisalmessa"
    assert result.services
    for service in result.services:
        codes = {m.code for m in service.municipalities.all()}
        assert "140" in codes or service.area_type.startswith("Nationwide")
    whole = search("uimahalli iisalmessa", detect_municipality=False)
    assert whole.filters.municipality == ""


def test_process_caches_load_on_a_machine_that_just_booted(demo_catalog, monkeypatch):
    """time.monotonic() counts from boot: ten seconds after boot an empty cache must still load."""
    import time

    from catalog.search.cache import clear_process_caches
    from catalog.search.query import public_count, split_municipality

    monkeypatch.setattr(time, "monotonic", lambda: 10.0)
    clear_process_caches()
    assert split_municipality("uimahalli iisalmessa") == ("uimahalli", "140")
    assert public_count() > 200


@pytest.mark.parametrize(
    ("query", "filters"), [("liikunta ikäihmisille", SearchFilters()), ("", SearchFilters(municipality="263"))]
)
def test_facets_match_the_link_tables_over_the_whole_result(demo_catalog, query, filters):
    """Facets come from the index copies on each row; they must agree with the link tables."""
    from collections import Counter

    from catalog.models import Service

    result = search(query, filters=filters)
    ids = [h.service_id for h in result.hits]
    assert len(ids) > 20  # more than one page: facets describe every result
    themes = Counter(s for s in Service.objects.filter(id__in=ids).values_list("themes__slug", flat=True) if s)
    # A nationwide service passes every municipality filter, so it counts in every municipality.
    local = Service.objects.filter(id__in=ids).exclude(area_type__startswith="Nationwide")
    nationwide = Service.objects.filter(id__in=ids, area_type__startswith="Nationwide").count()
    municipalities = Counter(c for c in local.values_list("municipalities__code", flat=True) if c)
    expected = {code: municipalities.get(code, 0) + nationwide for code in municipalities}
    assert {f["slug"]: f["count"] for f in result.facets["themes"]} == dict(themes)
    counted = {f["code"]: f["count"] for f in result.facets["municipalities"]}
    assert {code: n for code, n in counted.items() if code in expected} == expected
    assert all(n == nationwide for code, n in counted.items() if code not in expected)


def test_municipality_filter_follows_a_reindexed_link_change(demo_catalog):
    from catalog.models import Municipality, Service
    from catalog.search.indexing import services_index_lexical

    service = Service.objects.filter(is_public=True, area_type="LimitedType", municipalities__code="140").first()
    iisalmi = Municipality.objects.get(code="140")
    in_iisalmi = SearchFilters(municipality="140")
    assert service.id in {h.service_id for h in search(service.name_fi, filters=in_iisalmi).hits}
    service.municipalities.remove(iisalmi)
    services_index_lexical(service_ids=[service.id])
    assert service.id not in {h.service_id for h in search(service.name_fi, filters=in_iisalmi).hits}
    assert service.id in {h.service_id for h in search(service.name_fi).hits}


def test_a_query_of_common_words_only_reranks_the_nearest_services(demo_catalog):
    from pgvector.django import CosineDistance

    from catalog.models import Service
    from catalog.search.embeddings import query_vector
    from catalog.search.query import lexical_terms
    from catalog.search.sql import VECTOR_LIMIT

    assert lexical_terms("nuoret").common_only  # in far more than 6 % of the demo services
    result = search("nuoret")
    lexical = [h for h in result.hits if h.lexical_rank]
    assert lexical, "common words still count as matched words"
    nearest = set(
        Service.objects.filter(is_public=True, embedding__isnull=False)
        .order_by(CosineDistance("embedding", query_vector("nuoret")))
        .values_list("id", flat=True)[:VECTOR_LIMIT]
    )
    assert {h.service_id for h in lexical} <= nearest


def test_search_head_stays_in_the_row_where_the_ranking_reads_it(demo_catalog):
    """catalog 0023 / events 0004: ts_rank reads search_head of every match; out of line in
    TOAST each read cost a lookup (23 -> 12 ms for 4,000 matches, README "Search performance")."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select attrelid::regclass::text, attstorage from pg_attribute "
            "where attname = 'search_head' and attrelid in ('catalog_service'::regclass, 'events_event'::regclass)"
        )
        assert dict(cursor.fetchall()) == {"catalog_service": "m", "events_event": "m"}
        cursor.execute(
            "select count(*) filter (where pg_column_toast_chunk_id(search_head) is not null), "
            "count(*) filter (where pg_column_toast_chunk_id(search_vector) is not null), count(*) "
            "from catalog_service where search_head is not null"
        )
        head_out_of_line, vector_out_of_line, rows = cursor.fetchone()
    assert rows > 100 and vector_out_of_line > rows / 2  # wide rows: the default would move search_head out
    assert head_out_of_line == 0


@pytest.mark.django_db
def test_tsquery_literal_of_one_lexeme_matches_exactly_that_lexeme():
    """The cards' "why" asks `search_vector @@` one such tsquery per lexeme (results._CARD_SQL)."""
    from django.db import connection

    from catalog.search.morphology import tsquery_literal

    def tsquery_lexeme(lexeme):
        return tsquery_literal([lexeme])

    tricky = ["kuntosali", "~kuntosali", "o'neil", "back\\slash", "x:*", "a & b", "ääni!", "''"]
    with connection.cursor() as cursor:
        for lexeme in tricky:
            cursor.execute(
                "select array_to_tsvector(array[%s]) @@ %s::tsquery, array_to_tsvector(array[%s]) @@ %s::tsquery, "
                "numnode(%s::tsquery)",
                [lexeme, tsquery_lexeme(lexeme), lexeme + "x", tsquery_lexeme(lexeme), tsquery_lexeme(lexeme)],
            )
            assert cursor.fetchone() == (True, False, 1), lexeme


def test_word_analyses_are_reused_by_the_next_query_with_the_same_words(demo_catalog, monkeypatch):
    from catalog.search import query
    from catalog.search.cache import clear_process_caches
    from catalog.search.query import analyse_words

    sent = []
    real_fetch_all = query.fetch_all

    def recording_fetch_all(statement, params):
        sent.append(params)
        return real_fetch_all(statement, params)

    monkeypatch.setattr(query, "fetch_all", recording_fetch_all)

    def analysis_statements(words):
        sent.clear()
        result = analyse_words(words)
        return result, list(sent)

    clear_process_caches()
    analyse_words(["kuntosali", "kuopio"])
    mixed, statements = analysis_statements(["kuntosali", "uinti"])
    assert len(statements) == 1 and statements[0]["words"] == ["uinti"]
    _, statements = analysis_statements(["uinti", "kuntosali"])
    assert statements == []  # every word known: no round trip
    clear_process_caches()
    fresh, statements = analysis_statements(["kuntosali", "uinti"])
    assert len(statements) == 1 and fresh == mixed  # assembled from cached words = computed at once
    assert mixed.frequency["kuntosali"] > 0 and mixed.lexemes["uinti"]


def test_a_themes_name_labels_no_service_with_its_words(demo_catalog):
    """The theme "Ravitsemus ja uni" once labelled every food course "uni", "sömn" and "sleep":
    a sleep query matched them all, and "uni" counted as common and was dropped."""
    from catalog.models import Service, Theme
    from catalog.search.engine import search
    from catalog.search.query import lexical_terms
    from catalog.search.sql import rankings
    from catalog.search.types import SearchFilters

    food = Service.objects.get(name_fi="Kasvisruokaa arkeen -kurssi")
    assert Theme.objects.get(slug="ravitsemus").id in food.index_theme_ids
    for query in ("uni", "sömn", "sleep"):
        lexical, _, _, _ = rankings(query, SearchFilters(), lexical_terms(query), "lexical")
        assert food.id not in {sid for sid, _ in lexical}, query
    result = search("en saa unta öisin")
    assert result.good_match and result.services[0].name_fi.startswith("Unikoulu")


def test_a_swedish_word_is_neither_counted_nor_matched_by_a_finnish_words_stem(demo_catalog):
    """Swedish "sova" stems to "sov", and so do Finnish "sovitaan" and "sovittu": the word counted
    as common (in 19 services, 1 of them Swedish) and was dropped, so "jag kan inte sova" found
    nothing; kept, it matched every "ajasta sovitaan" and said "Träff: sova"."""
    from django.db import connection

    from catalog.search import lexicon
    from catalog.search.query import analyse_words, lexical_terms, query_analysis

    with connection.cursor() as cursor:
        cursor.execute(
            "select id from catalog_service where is_public and search_vector @@ 'sov'::tsquery "
            "and not to_tsvector('swedish', concat_ws(' ', name_sv, summary_sv, description_sv, user_instruction_sv)) "
            "@@ 'sov'::tsquery"
        )
        finnish_only = {row[0] for row in cursor.fetchall()}
    assert len(finnish_only) > 10  # the collision is real in the demo texts
    analysis = analyse_words(["sova"])
    assert analysis.frequency["sova"] > 10 and "sv" in analysis.foreign["sova"]
    typed, extra, _ = query_analysis("jag kan inte sova")
    assert typed == [] and "sömn" in extra and not {"sova", "sover"} & set(extra)

    result = search("jag kan inte sova")
    assert result.good_match and result.services[0].name_fi.startswith("Unikoulu")
    assert not finnish_only & {h.service_id for h in result.hits}
    assert all("sova" not in why["matched_words"] for why in result.why.values())
    # The "why" names the synonyms a Swede reads first: "sömn" before "uni".
    shown = result.why[result.services[0].id]["synonyms"]
    assert shown and all("sv" in lexicon.languages(word) for word in shown)
    # A Finnish query keeps its own stem: "sovitaan" is Finnish, and Finnish texts hold it.
    assert "sovitaan" in lexical_terms("ajasta sovitaan").text.split(" OR ")
