"""The survey in selkokieli (plain Finnish): hand-written questions, answers and labels
when the reader has chosen it, the standard card otherwise (issue #16)."""

import pytest
from django.urls import reverse

from survey.card import CARD, FORM_SELKO, SCALE_SELKO

pytestmark = pytest.mark.django_db

STANDARD = ["Kuuluuko liikunta elämääsi?", "Saatko nukuttua tarpeeksi?", "Melko hyvin", "Melko huonosti"]
PLAIN = [
    "Miten liikkuminen sujuu sinulla? Liikuntaa on esimerkiksi kävely, pyöräily ja uinti.",
    "Nukutko tarpeeksi? Hyvä uni auttaa jaksamaan.",
    "Aika hyvin",
    "Aika huonosti",
    "Uni, ruoka ja jaksaminen",
    "Annan luvan tallentaa vastaukseni tilastoihin.",
]


def _selko_on(client) -> None:
    response = client.post("/selkokieli/", {"selko": "1", "next": reverse("survey:survey")})
    assert response.status_code == 302


def test_every_question_and_title_has_a_hand_written_plain_version():
    for theme in CARD:
        assert theme.selko_title
        for question in theme.questions:
            assert question.selko and question.selko != str(question.text)
            # Short sentences: selkokieli keeps one thing to a sentence.
            for sentence in question.selko.replace("?", ".").split("."):
                assert len(sentence.split()) <= 12, sentence
    assert [label for _, label in SCALE_SELKO] == ["Hyvin", "Aika hyvin", "Aika huonosti", "Huonosti"]


def test_the_selkokieli_survey_shows_the_plain_questions_and_answers(client, demo_catalog):
    _selko_on(client)
    html = client.get(reverse("survey:survey")).content.decode()
    for text in PLAIN:
        assert text in html, text
    for question in (q for theme in CARD for q in theme.questions):
        assert question.selko in html
    for label in FORM_SELKO.values():
        assert label in html
    # Marked as plain language, as the rest of the site marks it.
    assert 'class="selko-label">Selkokielellä</span> Kysymykset ja vastaukset ovat selkokielellä.' in html
    assert "Valitse jokaiseen kysymykseen yksi vastaus." in html  # the plain intro
    for text in STANDARD:
        assert text not in html, text


def test_the_standard_survey_does_not_show_the_plain_versions(client, demo_catalog):
    html = client.get(reverse("survey:survey")).content.decode()
    for text in STANDARD:
        assert text in html, text
    for text in PLAIN:
        assert text not in html, text
    assert "Kysymykset ja vastaukset ovat selkokielellä" not in html


def test_selkokieli_is_for_the_finnish_survey_only(client, demo_catalog):
    _selko_on(client)
    response = client.get("/sv" + reverse("survey:survey"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aika hyvin" not in html and "Nukutko tarpeeksi?" not in html


def test_a_selkokieli_answer_gives_the_same_result(client, demo_catalog):
    _selko_on(client)
    response = client.post(
        reverse("survey:survey"), {"elintavat_1": "0", "municipality": "297", "submission": "1" * 32}
    )
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert [r.theme.key for r in result.context["recommendations"]] == ["elintavat"]
