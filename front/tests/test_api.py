import json

import pytest

from catalog.models import SearchLog

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def test_search_api_returns_documented_shape(client, demo_catalog):
    data = get_json(client, "/api/v1/search?q=kirjasto&lang=fi&kind=service")
    assert data["query"] == "kirjasto"
    assert data["count"] >= len(data["results"]) > 0
    first = data["results"][0]
    assert set(first) == {
        "id",
        "source",
        "source_id",
        "name",
        "summary",
        "themes",
        "municipalities",
        "url",
        "score",
        "featured",
        "why",
    }
    assert first["source"] == "ptv" and len(first["source_id"]) == 36
    assert first["url"].startswith("http://testserver/palvelu/")
    assert {"themes", "municipalities"} <= set(data["facets"])


def test_search_api_language_and_filters(client, demo_catalog):
    data = get_json(client, "/api/v1/search?q=kirjasto&lang=en&theme=kulttuuri&municipality=297")
    assert data["results"]
    for result in data["results"]:
        assert "kulttuuri" in result["themes"]
        assert result["url"].startswith("http://testserver/en/")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=" + "x" * 201, "q"),
        ("q=a&lang=de", "lang"),
        ("q=a&theme=unknown", "theme"),
        ("q=a&page=0", "page"),
        ("q=a&municipality=999", "municipality"),
    ],
)
def test_search_api_rejects_bad_parameters_with_400(client, demo_catalog, query, field):
    data = get_json(client, f"/api/v1/search?{query}", status=400)
    assert field in data["fields"]


def test_openapi_document_describes_search(client):
    spec = get_json(client, "/api/v1/openapi.json")
    assert spec["openapi"].startswith("3.")
    params = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "lang", "theme", "municipality", "page"} <= params


def test_search_log_keeps_no_personal_data(client, demo_catalog):
    client.get("/api/v1/search?q=Kuntosali&lang=fi", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="TestBrowser/1.0")
    entry = SearchLog.objects.get()
    assert entry.query == "kuntosali"
    assert entry.hour.minute == 0 and entry.hour.second == 0
    stored = json.dumps([entry.query, entry.language, entry.filters, str(entry.hour)])
    assert "203.0.113.7" not in stored and "TestBrowser" not in stored
    field_names = {f.name for f in SearchLog._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user", "session", "cookie", "user_agent"}


def test_search_api_returns_events_and_services_by_kind(client, demo_catalog):
    both = get_json(client, "/api/v1/search?q=k%C3%A4vely")
    sources = {r["source"] for r in both["results"]}
    assert "ptv" in sources and sources & {"lahella", "linkedevents"}
    assert get_json(client, "/api/v1/search?q=k%C3%A4vely&kind=all") == both  # the documented default, spelt out
    events = get_json(client, "/api/v1/search?q=k%C3%A4vely&kind=event")
    assert events["results"] and all(r["source"] in {"lahella", "linkedevents"} for r in events["results"])
    assert events["results"][0]["url"].startswith("http://testserver/tapahtumat/")
    services = get_json(client, "/api/v1/search?q=k%C3%A4vely&kind=service")
    assert all(r["source"] == "ptv" for r in services["results"])
    get_json(client, "/api/v1/search?q=k%C3%A4vely&kind=teatteri", status=400)


def test_a_search_embeds_its_query_once_for_services_and_events(client, demo_catalog, monkeypatch):
    """The town named in the query becomes a filter for events too; the rest is embedded once."""
    from catalog.search import embeddings

    calls = []
    real = embeddings.embed_query
    monkeypatch.setattr(embeddings, "embed_query", lambda text: calls.append(text) or real(text))
    data = get_json(client, "/api/v1/search?q=k%C3%A4vely%20kuopiossa")
    assert data["municipality"] == "297"
    assert calls == ["kävely"]
    events = [r for r in data["results"] if r["source"] != "ptv"]
    assert events and all(r["municipalities"] == ["297"] for r in events)


@pytest.mark.parametrize("path", ["/api/v1/search", "/haku/", "/sv/haku/"])
@pytest.mark.parametrize("query", ["liikunta", "koiran rokotus"])
def test_result_cards_load_no_column_one_row_at_a_time(client, demo_catalog, path, query):
    """Cards read only what they show, in one statement: a deferred column (descriptions,
    keywords) read on a card would cost a query per result. "koiran rokotus" is no good match:
    its related searches come from the nearest services' keywords."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, {"q": "lämmittely"})  # the per-process copies (themes, lexicon, counts) load once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"q": query})
    assert response.status_code == 200
    per_row = [
        q["sql"] for q in ctx.captured_queries if 'FROM "catalog_service" WHERE "catalog_service"."id" =' in q["sql"]
    ]
    assert per_row == []
    assert len(ctx.captured_queries) <= 8, [q["sql"][:150] for q in ctx.captured_queries]
    if query == "koiran rokotus" and path.startswith("/api/"):
        assert response.json()["suggestions"]["related"]
