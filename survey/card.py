"""The "Mitä sinulle kuuluu?" card (Pohjois-Savon hyvinvointialue) as data.

Six card themes, each with the card's own questions, mapped onto the catalog's eight
themes. Every question is answered on the same four-step scale (or skipped); a theme's
score is the mean of its answers on 0-100, higher meaning better. A theme is flagged
when its score is below FLAG_BELOW or when the person asks for support with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FLAG_BELOW = 50
SCALE = [
    (3, _("Hyvin")),
    (2, _("Melko hyvin")),
    (1, _("Melko huonosti")),
    (0, _("Huonosti")),
]
AGE_BANDS = [
    ("", _("En halua kertoa")),
    ("alle-18", _("alle 18")),
    ("18-29", "18–29"),
    ("30-44", "30–44"),
    ("45-64", "45–64"),
    ("65-74", "65–74"),
    ("75+", _("75 tai yli")),
]


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    low_reason: str  # "why suggested" when this answer is low


@dataclass(frozen=True)
class CardTheme:
    key: str
    title: str
    catalog_themes: tuple[str, ...]
    questions: tuple[Question, ...]
    search_hint: str  # what the search engine is asked for this theme (Finnish)


CARD = (
    CardTheme(
        "liikunta",
        _("Liikunta"),
        ("liikunta",),
        (
            Question("liikunta_1", _("Kuuluuko liikunta elämääsi?"), _("kerroit, että liikuntaa on elämässäsi vähän")),
            Question(
                "liikunta_2",
                _("Onko sinulla harrastuksia tai tekemistä, josta nautit?"),
                _("kerroit, ettei sinulla ole juuri mieluisaa tekemistä"),
            ),
        ),
        "liikuntaryhmä ohjattu liikunta aloittelijoille",
    ),
    CardTheme(
        "luonto",
        _("Luonto ja lähiluonnossa liikkuminen"),
        ("luonto",),
        (
            Question(
                "luonto_1", _("Rentoudutko luonnossa?"), _("kerroit, että luonnossa rentoutuminen ei juuri toteudu")
            ),
            Question(
                "luonto_2",
                _("Pääsetkö luontoon silloin, kun haluat?"),
                _("kerroit, ettet pääse luontoon silloin kun haluaisit"),
            ),
        ),
        "luontopolku retki ulkoilu lähiluonto",
    ),
    CardTheme(
        "elintavat",
        _("Elintavat, mielen hyvinvointi ja ravitsemus"),
        ("ravitsemus", "mieli"),
        (
            Question("elintavat_1", _("Saatko nukuttua tarpeeksi?"), _("kerroit, ettet saa nukuttua tarpeeksi")),
            Question("elintavat_2", _("Syötkö hyvin?"), _("kerroit, että syöminen ei suju hyvin")),
            Question(
                "elintavat_3",
                _("Miten olet jaksanut, jos elämässäsi on tapahtunut suuria muutoksia viime aikoina?"),
                _("kerroit, että elämän muutokset ovat kuormittaneet"),
            ),
        ),
        "uni ravitsemus keskusteluapu jaksaminen",
    ),
    CardTheme(
        "kulttuuri",
        _("Luovuus, taide ja kulttuuriharrastaminen"),
        ("kulttuuri",),
        (
            Question(
                "kulttuuri_1", _("Käytätkö kulttuuripalveluja?"), _("kerroit, että käytät kulttuuripalveluja vähän")
            ),
            Question(
                "kulttuuri_2",
                _("Onko sinulla harrastuksia kulttuurin parissa?"),
                _("kerroit, ettei sinulla ole kulttuuriharrastuksia"),
            ),
        ),
        "kulttuuri harrastus kirjasto kurssi",
    ),
    CardTheme(
        "osallisuus",
        _("Osallisuus, vaikuttaminen ja sosiaaliset suhteet"),
        ("yhteisollisyys",),
        (
            Question(
                "osallisuus_1",
                _("Onko sinulla lähelläsi ihmisiä, joiden kanssa voit jutella?"),
                _("kerroit, ettei lähelläsi ole juuri ihmisiä, joiden kanssa jutella"),
            ),
        ),
        "yksinäisyys kohtaamispaikka vertaistuki ystävätoiminta",
    ),
    CardTheme(
        "toimeentulo",
        _("Toimeentulo ja asuminen"),
        ("toimeentulo", "ohjaus"),
        (
            Question(
                "toimeentulo_1",
                _("Jaksatko pitää huolta itsestäsi ja kodistasi?"),
                _("kerroit, että itsestä ja kodista huolehtiminen on raskasta"),
            ),
            Question(
                "toimeentulo_2",
                _("Miten kodin ulkopuolinen asioiden hoitaminen sujuu?"),
                _("kerroit, että asioiden hoitaminen kodin ulkopuolella on vaikeaa"),
            ),
        ),
        "neuvonta asioiden hoitaminen talous tuki arkeen",
    ),
)
CARD_BY_KEY = {theme.key: theme for theme in CARD}
QUESTION_KEYS = [q.key for theme in CARD for q in theme.questions]
