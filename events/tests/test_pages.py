from datetime import date, timedelta

import pytest
from django.urls import reverse

from events.models import Event
from events.selectors import period

pytestmark = pytest.mark.django_db


def test_period_today_week_and_weekend():
    wednesday = date(2026, 12, 2)
    assert period("today", wednesday) == (wednesday, wednesday)
    assert period("week", wednesday) == (wednesday, wednesday + timedelta(days=6))
    assert period("weekend", wednesday) == (date(2026, 12, 5), date(2026, 12, 6))
    sunday = date(2026, 12, 6)
    assert period("weekend", sunday) == (sunday, sunday)


def test_events_page_lists_each_event_once_with_its_next_time(client, demo_catalog):
    response = client.get(
        reverse("events:list"),
        {"when": "dates", "start": date.today().isoformat(), "end": (date.today() + timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    items = response.context["items"]
    assert len(items) >= 5
    assert len({event.id for event, _ in items}) == len(items)
    starts = [occurrence.start for _, occurrence in items]
    assert starts == sorted(starts)
    assert "Kävelykerho" in response.content.decode()


def test_filters_theme_free_audience_and_accessibility(client, demo_catalog):
    base = {"when": "dates", "start": date.today().isoformat(), "end": (date.today() + timedelta(days=30)).isoformat()}
    liikunta = client.get(reverse("events:list"), {**base, "theme": "liikunta"}).context["items"]
    assert liikunta and all("liikunta" in {t.slug for t in e.themes.all()} for e, _ in liikunta)
    free = client.get(reverse("events:list"), {**base, "free": "on"}).context["items"]
    assert free and all(e.is_free for e, _ in free)
    youth = client.get(reverse("events:list"), {**base, "audience": "youth"}).context["items"]
    assert any(e.name_fi == "Nuorten pelikerho" for e, _ in youth)
    assert not any(e.name_fi == "Seniorien vesijumppa" for e, _ in youth)
    wheelchair = client.get(reverse("events:list"), {**base, "accessibility": "ac_wheelchair"}).context["items"]
    assert wheelchair and all("ac_wheelchair" in e.accessibility for e, _ in wheelchair)


@pytest.mark.parametrize(
    "params",
    [
        {"when": "dates"},
        {"when": "dates", "start": "2026-12-10", "end": "2026-12-01"},
        {"when": "dates", "start": "2026-01-01", "end": "2026-12-31"},
        {"when": "dates", "start": "eilen", "end": "x"},
    ],
)
def test_bad_dates_get_a_clear_message(client, demo_catalog, params):
    response = client.get(reverse("events:list"), params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()


def test_detail_and_calendar_file(client, demo_catalog):
    event = Event.objects.get(source="lahella", source_id="90001")
    html = client.get(reverse("events:detail", args=[event.id])).content.decode()
    assert "Lisää kalenteriin" in html and "https://www.example.fi/90001" in html
    ics = client.get(reverse("events:calendar", args=[event.id]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") >= 5
    assert "SUMMARY:Kävelykerho Väinölänniemellä" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_hidden_or_missing_events_are_404(client, demo_catalog):
    assert not Event.objects.filter(source="lahella", source_id="90004", is_public=True).exists()  # a draft
    cancelled_or_past = Event.objects.filter(is_public=True).first()
    Event.objects.filter(pk=cancelled_or_past.pk).update(is_public=False)
    assert client.get(reverse("events:detail", args=[cancelled_or_past.id])).status_code == 404
    assert client.get(reverse("events:calendar", args=[999999])).status_code == 404


def test_past_events_leave_the_public_pages(client, demo_catalog):
    from datetime import UTC, datetime

    event = Event.objects.get(source="lahella", source_id="90002")
    Event.objects.filter(pk=event.pk).update(end_time=datetime(2020, 1, 1, tzinfo=UTC))
    event.occurrences.all().delete()
    assert client.get(reverse("events:detail", args=[event.id])).status_code == 404
    assert "Käsityökahvila" not in client.get(reverse("events:list")).content.decode()
