"""The survey's privacy (issue #15): the result link reveals nothing, is never logged or cached,
and statistics cannot be inflated in bulk from one client."""

from __future__ import annotations

import base64
import contextlib
import logging
import zlib

import pytest
from django.urls import reverse

from survey.models import SurveyResponse
from survey.services import Answers, SurveyLinkError
from survey.tests.test_views import ANSWERS

pytestmark = pytest.mark.django_db
WISH = "Haluaisin vertaistukea masennukseen"


def _decoded_views(token: str) -> list[bytes]:
    """Everything an onlooker could get from the link without the key: base64 and zlib, as the old signed links allowed."""
    views = []
    for part in token.split(":") + [token]:
        raw = part.lstrip(".")
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except ValueError:
            continue
        views.append(data)
        for start in range(0, min(len(data), 80)):
            with contextlib.suppress(zlib.error):
                views.append(zlib.decompress(data[start:]))
    return views


def test_the_result_link_reveals_neither_answers_nor_wish():
    token = Answers(municipality="297", values={"elintavat_1": 0}, support=["luonto"], wish=WISH).to_token()
    for view in _decoded_views(token):
        assert b"masennu" not in view and b"luonto" not in view and b"297" not in view
    assert Answers.from_token(token).wish == WISH


def test_a_link_signed_the_old_way_is_refused_clearly():
    from django.core import signing

    old = signing.dumps({"w": WISH}, salt="tarmoa.survey.result", compress=True)
    with pytest.raises(SurveyLinkError):
        Answers.from_token(old)


def test_a_link_made_before_a_key_rotation_still_opens(settings):
    token = Answers(wish=WISH).to_token()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert Answers.from_token(token).wish == WISH


def test_the_result_page_is_not_cached_and_its_link_never_reaches_the_log(client, demo_catalog, caplog):
    token = Answers(values={"elintavat_1": 0}, wish=WISH).to_token()
    response = client.get(reverse("survey:result", args=[token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # A bad link is a 400, which Django's request logger writes with its path.
    with caplog.at_level(logging.WARNING, logger="django.request"):
        bad = client.get(reverse("survey:result", args=[token[:-5] + "AAAAA"]))
    assert bad.status_code == 400 and "no-store" in bad["Cache-Control"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/kartoitus/tulos/" in logged and token[:20] not in logged


def test_statistics_are_capped_per_client_but_everyone_gets_their_result(client, settings, demo_catalog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "survey_store": (3, 3600), "survey": (100, 60)}
    for n in range(6):
        response = client.post(
            reverse("survey:survey"), {**ANSWERS, "consent": "on", "submission": f"{n:032x}"}, REMOTE_ADDR="192.0.2.7"
        )
        assert response.status_code == 302  # a class behind one address is never turned away
    assert SurveyResponse.objects.count() == 3
    client.post(reverse("survey:survey"), {**ANSWERS, "consent": "on", "submission": "f" * 32}, REMOTE_ADDR="192.0.2.8")
    assert SurveyResponse.objects.count() == 4


def test_survey_posts_in_bulk_get_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "survey": (2, 60)}
    for _ in range(2):
        client.post(reverse("survey:survey"), {"wish": "x" * 300})
    response = client.post(reverse("survey:survey"), {"wish": "x" * 300})
    assert response.status_code == 429 and response["Retry-After"]
    assert client.get(reverse("survey:survey")).status_code == 200  # the form itself is not limited


def test_the_access_log_of_gunicorn_loses_the_token_too():
    from tarmoa.lib.logfilters import RedactPrivateLinks

    class Atoms(dict):  # gunicorn's SafeAtoms: a dict subclass its format depends on
        pass

    atoms = Atoms({"r": "GET /sv/kartoitus/tulos/gAAAAABsecret/ HTTP/1.1", "s": "200"})
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '"%(r)s" %(s)s', (), None)
    record.args = atoms
    RedactPrivateLinks().filter(record)
    assert record.args is atoms and "secret" not in record.getMessage() and "/kartoitus/tulos/" in record.getMessage()
