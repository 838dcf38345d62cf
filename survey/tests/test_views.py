import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.urls import reverse

from survey.models import SurveyResponse
from survey.services import Answers

pytestmark = pytest.mark.django_db

ANSWERS = {
    "municipality": "297",
    "age_band": "30-44",
    "elintavat_1": "0",
    "elintavat_2": "1",
    "osallisuus_1": "1",
    "liikunta_1": "3",
    "wish": "Haluaisin liikkua muiden kanssa",
    "submission": "0" * 32,
}


def test_survey_page_has_every_question_and_consent(client, demo_catalog):
    html = client.get(reverse("survey:survey")).content.decode()
    assert "Saatko nukuttua tarpeeksi?" in html
    assert "Osio 6/6" in html
    assert 'name="consent"' in html


def test_result_recommends_three_to_five_services_per_flagged_theme(client, demo_catalog):
    response = client.post(reverse("survey:survey"), ANSWERS)
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert result.status_code == 200
    recs = result.context["recommendations"]
    assert [r.theme.key for r in recs] == ["elintavat", "osallisuus"]
    for rec in recs:
        assert 3 <= len(rec.services) <= 5
        assert rec.reasons
        for service in rec.services:
            assert set(rec.theme.catalog_themes) & {t.slug for t in service.themes.all()}


def test_without_consent_nothing_is_stored(client, demo_catalog):
    client.post(reverse("survey:survey"), ANSWERS)
    assert SurveyResponse.objects.count() == 0


def test_with_consent_only_municipality_age_scores_and_week_are_stored(client, demo_catalog):
    client.post(
        reverse("survey:survey"),
        {**ANSWERS, "consent": "on"},
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Secret-Agent/7.0",
    )
    response = SurveyResponse.objects.get()
    assert response.municipality == "297" and response.age_band == "30-44"
    assert response.week.weekday() == 0
    assert response.scores == {"elintavat": 17, "osallisuus": 33, "liikunta": 100}
    assert {f.name for f in SurveyResponse._meta.fields} == {"id", "municipality", "age_band", "week", "scores"}


def test_no_ip_user_agent_or_free_text_reaches_the_database(client, demo_catalog):
    client.post(
        reverse("survey:survey"),
        {**ANSWERS, "consent": "on", "wish": "Matti Meikäläinen haluaa liikkua"},
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Secret-Agent/7.0",
    )
    needles = ["198.51.100.23", "Secret-Agent", "Matti", "Meikäläinen"]
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            text_columns = [
                f.column for f in model._meta.fields if f.get_internal_type() in {"CharField", "TextField", "JSONField"}
            ]
            for column in text_columns:
                for needle in needles:
                    cursor.execute(f'select count(*) from "{table}" where "{column}"::text like %s', [f"%{needle}%"])
                    assert cursor.fetchone()[0] == 0, (table, column, needle)


def test_repeated_submission_is_stored_once(client, demo_catalog):
    data = {**ANSWERS, "consent": "on", "submission": "1" * 32}
    first = client.post(reverse("survey:survey"), data)
    second = client.post(reverse("survey:survey"), data)
    assert first.status_code == second.status_code == 302
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"submission": "x"}, "Vastaa vähintään yhteen"),
        ({**ANSWERS, "liikunta_1": "7"}, "Valitse oikea vaihtoehto"),
        ({**ANSWERS, "wish": "x" * 201}, "Enintään 200"),
    ],
)
def test_bad_input_gets_a_clear_message(client, demo_catalog, data, message):
    response = client.post(reverse("survey:survey"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("token", ["rikki", "a" * 300, "eyJ2Ijp7fX0:1tY:zzz"])
def test_tampered_links_get_a_clear_page(client, token):
    response = client.get(reverse("survey:result", args=[token]))
    assert response.status_code == 400
    assert "Tuloslinkki on virheellinen" in response.content.decode()


def test_expired_link_says_so(client, monkeypatch):
    import survey.services as services

    token = Answers(values={"luonto_1": 0}).to_token()
    monkeypatch.setattr(services, "LINK_MAX_AGE", -1)
    response = client.get(reverse("survey:result", args=[token]))
    assert response.status_code == 400
    assert "vanhentunut" in response.content.decode()


def test_professional_view_requires_login_and_professional_role(client, manager, professional, demo_catalog):
    url = reverse("survey:professional")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))  # anonymous
    client.force_login(manager)
    assert client.get(url).status_code == 403  # signed in, but not a professional
    client.force_login(professional)
    assert client.get(url).status_code == 200
    response = client.post(url, {"support": ["osallisuus", "luonto"], "municipality": "140"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Hyvinvointilähete" in page.content.decode()
    assert [r.theme.key for r in page.context["recommendations"]] == ["luonto", "osallisuus"]
    assert client.post(url, {"municipality": "140"}).status_code == 400
