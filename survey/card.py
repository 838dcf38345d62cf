"""The "Mitä sinulle kuuluu?" card (Pohjois-Savon hyvinvointialue) as data.

Six card themes, each with the card's own questions, mapped onto the catalog's eight
themes. Every question is answered on the same four-step scale (or skipped); a theme's
score is the mean of its answers on 0-100, higher meaning better. A theme is flagged
when its score is below FLAG_BELOW or when the person asks for support with it.

Every title, question and answer also has a plain Finnish (selkokieli) version, written by
a person (short sentences, common words, one thing a sentence, an example where a word is
abstract) and shown when the reader has chosen selkokieli. Like the theme descriptions
(catalog/themes.py THEME_SELKO) they are plain strings, not gettext: selkokieli is a
variety of Finnish, offered on the Finnish pages only.
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
# The same four steps in selkokieli ("melko" is a harder word than "aika").
SCALE_SELKO = [(3, "Hyvin"), (2, "Aika hyvin"), (1, "Aika huonosti"), (0, "Huonosti")]
SKIP_SELKO = "En halua vastata"
# The form's other texts in selkokieli (survey.forms.SurveyForm uses them when asked to).
FORM_SELKO = {
    "municipality": "Missä kunnassa asut?",
    "age_band": "Kuinka vanha olet? Voit jättää tämän tyhjäksi.",
    "support": "Missä asioissa haluat apua? Voit valita monta.",
    "wish": "Mitä haluaisit tehdä? Voit jättää tämän tyhjäksi.",
    "consent": "Annan luvan tallentaa vastaukseni tilastoihin.",
}
AGE_BANDS = [
    ("", _("En halua kertoa")),
    ("alle-18", _("alle 18")),
    ("18-29", "18–29"),
    ("30-44", "30–44"),
    ("45-64", "45–64"),
    ("65-74", "65–74"),
    ("75+", _("75 tai yli")),
]


# Age bands against PTV target groups (Finto_TargetGroups): the age-bound groups a person of
# the band may belong to. A service meant only for other age-bound groups (baby cafés,
# KR1.2, for a 70-year-old) is not recommended; one meant for the person's own group comes
# first. Services for everyone (KR1) or for groups not bound to age are always kept.
AGE_BOUND_GROUPS = {"KR1.1", "KR1.2", "KR1.3"}  # older people; children and families; young people
AGE_GROUPS = {
    "alle-18": {"KR1.2", "KR1.3"},
    "18-29": {"KR1.2", "KR1.3"},
    "30-44": {"KR1.2"},
    "45-64": {"KR1.2"},
    "65-74": {"KR1.1"},
    "75+": {"KR1.1"},
}
# Whose group a band counts as "own" (first in the ranking, said in the reason).
AGE_OWN_GROUP = {"alle-18": "KR1.3", "18-29": "KR1.3", "65-74": "KR1.1", "75+": "KR1.1"}
# Events carry no PTV target groups: their Linked Events audience keywords (YSO concepts,
# matched by id or Finnish name) and audience ages are read as the same age-bound groups.
# Audience keywords not listed here (e.g. maahanmuuttajat) are not bound to age.
AUDIENCE_GROUPS = {
    "yso:p2433": "KR1.1",  # ikääntyneet
    "yso:p4354": "KR1.2",  # lapset
    "yso:p13050": "KR1.2",  # lapsiperheet
    "yso:p20513": "KR1.2",  # vauvaperheet
    "yso:p4363": "KR1.2",  # perheet
    "yso:p11617": "KR1.3",  # nuoret
}
AUDIENCE_NAME_GROUPS = {
    "ikääntyneet": "KR1.1",
    "ikäihmiset": "KR1.1",
    "seniorit": "KR1.1",
    "eläkeläiset": "KR1.1",
    "vanhukset": "KR1.1",
    "lapset": "KR1.2",
    "lapsiperheet": "KR1.2",
    "vauvaperheet": "KR1.2",
    "vauvat": "KR1.2",
    "perheet": "KR1.2",
    "taaperot": "KR1.2",
    "leikki-ikäiset": "KR1.2",
    "nuoret": "KR1.3",
    "teini-ikäiset": "KR1.3",
}
# Each band's ages, against an event's audience_min_age / audience_max_age.
AGE_BAND_YEARS = {
    "alle-18": (0, 17),
    "18-29": (18, 29),
    "30-44": (30, 44),
    "45-64": (45, 64),
    "65-74": (65, 74),
    "75+": (75, 120),
}
AGE_GROUP_NAMES = {"KR1.1": _("ikäihmisille"), "KR1.2": _("lapsille ja lapsiperheille"), "KR1.3": _("nuorille")}


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    low_reason: str  # "why suggested" when this answer is low
    search_hint: str = ""  # what the search engine is asked when this answer is low (Finnish)
    selko: str = ""  # the question in selkokieli


@dataclass(frozen=True)
class CardTheme:
    key: str
    title: str
    catalog_themes: tuple[str, ...]
    questions: tuple[Question, ...]
    search_hint: str  # what the search engine is asked for this theme (Finnish)
    selko_title: str = ""  # the title in selkokieli


CARD = (
    CardTheme(
        "liikunta",
        _("Liikunta"),
        ("liikunta",),
        (
            Question(
                "liikunta_1",
                _("Kuuluuko liikunta elämääsi?"),
                _("kerroit, että liikuntaa on elämässäsi vähän"),
                selko="Miten liikkuminen sujuu sinulla? Liikuntaa on esimerkiksi kävely, pyöräily ja uinti.",
            ),
            Question(
                "liikunta_2",
                _("Onko sinulla harrastuksia tai tekemistä, josta nautit?"),
                _("kerroit, ettei sinulla ole juuri mieluisaa tekemistä"),
                selko="Onko sinulla mukavaa tekemistä? Se voi olla esimerkiksi harrastus.",
            ),
        ),
        "liikuntaryhmä ohjattu liikunta aloittelijoille",
        selko_title="Liikunta",
    ),
    CardTheme(
        "luonto",
        _("Luonto ja lähiluonnossa liikkuminen"),
        ("luonto",),
        (
            Question(
                "luonto_1",
                _("Rentoudutko luonnossa?"),
                _("kerroit, että luonnossa rentoutuminen ei juuri toteudu"),
                selko="Tuleeko sinulle luonnossa rauhallinen olo?",
            ),
            Question(
                "luonto_2",
                _("Pääsetkö luontoon silloin, kun haluat?"),
                _("kerroit, ettet pääse luontoon silloin kun haluaisit"),
                selko="Pääsetkö luontoon, kun haluat? Luontoa on esimerkiksi metsä, puisto ja järven ranta.",
            ),
        ),
        "luontopolku retki ulkoilu lähiluonto",
        selko_title="Luonto",
    ),
    CardTheme(
        "elintavat",
        _("Elintavat, mielen hyvinvointi ja ravitsemus"),
        ("ravitsemus", "mieli"),
        (
            Question(
                "elintavat_1",
                _("Saatko nukuttua tarpeeksi?"),
                _("kerroit, ettet saa nukuttua tarpeeksi"),
                "uni unettomuus unikoulu nukkuminen",
                selko="Nukutko tarpeeksi? Hyvä uni auttaa jaksamaan.",
            ),
            Question(
                "elintavat_2",
                _("Syötkö hyvin?"),
                _("kerroit, että syöminen ei suju hyvin"),
                "ravitsemus ravitsemusneuvonta ruoka",
                selko="Syötkö hyvin? Syöt hyvin, kun syöt joka päivä monenlaista ruokaa.",
            ),
            Question(
                "elintavat_3",
                _("Miten olet jaksanut, jos elämässäsi on tapahtunut suuria muutoksia viime aikoina?"),
                _("kerroit, että elämän muutokset ovat kuormittaneet"),
                "keskusteluapu jaksaminen kriisituki",
                selko="Elämässä voi tapahtua isoja muutoksia. Esimerkiksi työ loppuu tai läheinen kuolee. "
                "Miten olet jaksanut viime aikoina?",
            ),
        ),
        "uni ravitsemus keskusteluapu jaksaminen",
        selko_title="Uni, ruoka ja jaksaminen",
    ),
    CardTheme(
        "kulttuuri",
        _("Luovuus, taide ja kulttuuriharrastaminen"),
        ("kulttuuri",),
        (
            Question(
                "kulttuuri_1",
                _("Käytätkö kulttuuripalveluja?"),
                _("kerroit, että käytät kulttuuripalveluja vähän"),
                selko="Käytkö kirjastossa, museossa, teatterissa tai konserteissa?",
            ),
            Question(
                "kulttuuri_2",
                _("Onko sinulla harrastuksia kulttuurin parissa?"),
                _("kerroit, ettei sinulla ole kulttuuriharrastuksia"),
                selko="Onko sinulla taideharrastus? Se voi olla esimerkiksi laulaminen, käsityöt tai maalaaminen.",
            ),
        ),
        "kulttuuri harrastus kirjasto kurssi",
        selko_title="Kulttuuri ja taide",
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
                selko="Onko sinulla ihmisiä, joiden kanssa voit jutella? He voivat olla perhettä, ystäviä tai naapureita.",
            ),
        ),
        "yksinäisyys kohtaamispaikka vertaistuki ystävätoiminta",
        selko_title="Muut ihmiset",
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
                selko="Jaksatko huolehtia itsestäsi ja kodistasi? Esimerkiksi peseytyä, siivota ja tehdä ruokaa.",
            ),
            Question(
                "toimeentulo_2",
                _("Miten kodin ulkopuolinen asioiden hoitaminen sujuu?"),
                _("kerroit, että asioiden hoitaminen kodin ulkopuolella on vaikeaa"),
                selko="Miten asiat sujuvat kodin ulkopuolella? Esimerkiksi kaupassa, pankissa tai lääkärissä.",
            ),
        ),
        "neuvonta asioiden hoitaminen talous tuki arkeen",
        selko_title="Raha, koti ja arki",
    ),
)
CARD_BY_KEY = {theme.key: theme for theme in CARD}
QUESTION_KEYS = [q.key for theme in CARD for q in theme.questions]
