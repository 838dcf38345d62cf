"""The search log and error reports keep no personal data (issue #15, "Privacy")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import ErrorReport, SearchLog, Service
from catalog.privacy import query_scrub
from catalog.services import error_report_create, search_log_record
from catalog.tasks import purge_error_reports, purge_search_log

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "kept", "gone"),
    [
        ("… 040-1234567 hetu 010190-123A masennus", ["masennus", "[puhelin]", "[hetu]"], ["1234567", "010190"]),
        ("soita +358 40 123 4567", ["soita"], ["4567"]),
        ("(017) 123 4567 kuopio", ["kuopio"], ["4567"]),
        ("liisa.virtanen@example.org päihteet", ["päihteet", "[sähköposti]"], ["virtanen", "example"]),
        ("nimeni on Matti Meikäläinen ja tarvitsen apua", ["tarvitsen apua"], ["Matti", "Meikäläinen"]),
        ("Anna Korhonen kuntosali", ["kuntosali"], ["Korhonen"]),
        ("masennus 131052+308T", ["masennus"], ["131052"]),
    ],
)
def test_personal_data_is_scrubbed_from_queries(query, kept, gone):
    scrubbed = query_scrub(query)
    assert all(word in scrubbed for word in kept), scrubbed
    assert not any(word in scrubbed for word in gone), scrubbed


@pytest.mark.parametrize(
    "query", ["uimahalli kuopio", "olen väsynyt", "liikunta 70100", "kuntosali 2026", "Kuopion Uimahalli"]
)
def test_ordinary_queries_are_kept_as_they_are(query):
    assert query_scrub(query) == query


def test_the_search_log_stores_the_scrubbed_query():
    log_id = search_log_record(
        query="… 040-1234567 hetu 010190-123A masennus", language="fi", filters={}, result_count=3
    )
    stored = SearchLog.objects.get(id=log_id).query
    assert "1234567" not in stored and "010190" not in stored and "masennus" in stored


def _log_at(days_ago: int) -> SearchLog:
    hour = (timezone.now() - dt.timedelta(days=days_ago)).replace(minute=0, second=0, microsecond=0)
    return SearchLog.objects.create(query=f"q{days_ago}", language="fi", result_count=1, hour=hour)


def test_old_search_log_lines_are_purged_by_the_daily_job_and_the_command(settings, capsys):
    settings.SEARCH_LOG_RETENTION_DAYS = 395
    old, kept = _log_at(400), _log_at(10)
    assert purge_search_log.delay().get() == 1
    assert list(SearchLog.objects.values_list("id", flat=True)) == [kept.id]
    assert not SearchLog.objects.filter(id=old.id).exists()
    call_command("purge_search_log", "--days", "5")
    assert "Deleted 1" in capsys.readouterr().out and not SearchLog.objects.exists()


def test_the_purge_runs_daily_in_beat():
    from tarmoa.celery import app

    assert any(e["task"] == "catalog.tasks.purge_search_log" for e in app.conf.beat_schedule.values())


def test_an_error_report_keeps_the_date_not_the_time():
    service = Service.objects.create(source="ptv", source_id="e-1", name_fi="Kirjasto", is_public=True)
    report = error_report_create(service=service, message="Aukioloajat ovat väärin.")
    report.refresh_from_db()
    assert report.created == timezone.localdate()
    assert not isinstance(report.created, dt.datetime)
    assert ErrorReport._meta.get_field("created").get_internal_type() == "DateField"


def _report_filed(days_ago: int) -> ErrorReport:
    service, _ = Service.objects.get_or_create(source="ptv", source_id="e-2", defaults={"name_fi": "Uimahalli"})
    return ErrorReport.objects.create(
        service=service,
        message=f"Ilmoitus {days_ago} päivän takaa",
        created=timezone.localdate() - dt.timedelta(days=days_ago),
        status=ErrorReport.Status.DONE if days_ago % 2 else ErrorReport.Status.NEW,
    )


def test_error_reports_past_the_retention_are_purged_by_the_daily_job(settings):
    settings.ERROR_REPORT_RETENTION_DAYS = 365
    old, older = _report_filed(366), _report_filed(700)
    edge, new = _report_filed(365), _report_filed(3)
    assert purge_error_reports.delay().get() == 2
    remaining = set(ErrorReport.objects.values_list("id", flat=True))
    assert remaining == {edge.id, new.id}
    assert old.id not in remaining and older.id not in remaining
    assert Service.objects.filter(source_id="e-2").exists()  # the service itself stays


def test_the_purge_error_reports_command_reports_what_it_deleted(settings, capsys):
    settings.ERROR_REPORT_RETENTION_DAYS = 365
    _report_filed(400)
    kept = _report_filed(20)
    call_command("purge_error_reports")
    assert "Deleted 1 error report(s) (retention 365 days)." in capsys.readouterr().out
    assert list(ErrorReport.objects.values_list("id", flat=True)) == [kept.id]
    call_command("purge_error_reports", "--days", "10")
    assert "Deleted 1 error report(s) (retention 10 days)." in capsys.readouterr().out
    assert not ErrorReport.objects.exists()


def test_the_purge_error_reports_command_refuses_a_zero_period():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_error_reports", "--days", "0")


def test_the_error_report_purge_runs_daily_in_beat():
    from tarmoa.celery import app

    assert any(e["task"] == "catalog.tasks.purge_error_reports" for e in app.conf.beat_schedule.values())
