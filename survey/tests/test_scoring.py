import pytest

from survey.card import CARD, QUESTION_KEYS
from survey.services import (
    Answers,
    SurveyLinkError,
    SurveyLinkExpired,
    encrypt_link_data,
    flagged_themes,
    theme_scores,
)


def test_card_covers_the_seed_themes_and_maps_to_catalog_themes():
    assert len(CARD) == 6
    mapped = {slug for theme in CARD for slug in theme.catalog_themes}
    assert mapped == {
        "liikunta",
        "luonto",
        "ravitsemus",
        "mieli",
        "kulttuuri",
        "yhteisollisyys",
        "toimeentulo",
        "ohjaus",
    }
    assert "Saatko nukuttua tarpeeksi?" in [str(q.text) for t in CARD for q in t.questions]


def test_scores_are_means_on_0_to_100_and_skipped_themes_are_none():
    answers = Answers(values={"liikunta_1": 3, "liikunta_2": 0, "osallisuus_1": 1})
    scores = theme_scores(answers)
    assert scores["liikunta"] == 50
    assert scores["osallisuus"] == 33
    assert scores["luonto"] is None


def test_low_scores_and_asked_support_are_flagged_in_card_order():
    answers = Answers(values={"liikunta_1": 3, "elintavat_1": 0, "osallisuus_1": 1}, support=["kulttuuri"])
    assert flagged_themes(answers) == ["elintavat", "kulttuuri", "osallisuus"]
    assert flagged_themes(Answers(values={k: 3 for k in QUESTION_KEYS})) == []


def test_token_round_trip_and_tampering():
    answers = Answers(municipality="297", values={"luonto_1": 2}, support=["mieli", "liikunta"], wish="haluan ulos")
    token = answers.to_token()
    back = Answers.from_token(token)
    assert back.values == {"luonto_1": 2} and back.support == ["liikunta"]  # unknown theme keys dropped
    assert back.municipality == "297" and back.wish == "haluan ulos"
    with pytest.raises(SurveyLinkError):
        Answers.from_token(token[:-3] + "abc")
    # Even a correctly encrypted link (only the server can make one) is checked value by value.
    forged = encrypt_link_data({"v": {"luonto_1": 99, "x": 1}})
    assert Answers.from_token(forged).values == {}  # out-of-range and unknown answers are ignored


def test_expired_token(monkeypatch):
    token = Answers(values={"luonto_1": 1}).to_token()
    import survey.services as services

    monkeypatch.setattr(services, "LINK_MAX_AGE", -1)
    with pytest.raises(SurveyLinkExpired):
        Answers.from_token(token)
