"""What the search log may keep: queries scrubbed of personal data, and only for a while.

A resident may type anything into the search box, including a phone number, a personal
identity code (hetu), an email address or a name ("… 040-1234567 hetu 010190-123A
masennus"). Before a query is logged these are replaced by a placeholder; the
dashboard needs the words people search with, not who they are. Log lines older than
SEARCH_LOG_RETENTION_DAYS are deleted by a daily job (`purge_search_log`); residents' error
reports older than ERROR_REPORT_RETENTION_DAYS likewise (`purge_error_reports`).

Names are the hard part: a query is free text. What is taken out is a name introduced as
one ("nimeni on …", "olen Matti …") and a common Finnish first name followed by a
capitalised word (a first name and a surname). Place names and services stay.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from catalog.models import ErrorReport, SearchLog

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Personal identity code: DDMMYY, a century sign (+, -, A-F, U-Y), three digits and a check character.
HETU = re.compile(r"(?<![\w])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w])", re.IGNORECASE)
# A phone number: seven or more digits, optionally with +358, spaces, dashes or brackets between.
PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s\-()]{0,2}\d){6,}(?![\w])")
# The introducing words in any case, the name itself capitalised ("olen väsynyt" stays).
NAME_INTRO = re.compile(
    r"\b((?i:nimeni on|nimi on|mun nimi on|minun nimeni on|olen|mä oon|minä olen|my name is|i am|jag heter))"
    r"\s+[A-ZÅÄÖÜ][\w\-]*(?:\s+[A-ZÅÄÖÜ][\w\-]*)?"
)
FIRST_NAMES = frozenset(
    [
        "aino",
        "anna",
        "anne",
        "anneli",
        "anni",
        "annika",
        "anu",
        "eeva",
        "eija",
        "elina",
        "ella",
        "emilia",
        "emma",
        "helena",
        "hanna",
        "heidi",
        "helmi",
        "irmeli",
        "johanna",
        "julia",
        "kaarina",
        "kaija",
        "katariina",
        "kirsi",
        "kristiina",
        "laura",
        "leena",
        "liisa",
        "maarit",
        "maija",
        "maria",
        "marja",
        "marjatta",
        "minna",
        "nea",
        "niina",
        "noora",
        "outi",
        "paula",
        "päivi",
        "riitta",
        "sari",
        "satu",
        "sofia",
        "susanna",
        "tarja",
        "tiina",
        "tuula",
        "ulla",
        "veera",
        "aapo",
        "aleksi",
        "antero",
        "antti",
        "ari",
        "eero",
        "eino",
        "elias",
        "hannu",
        "heikki",
        "ilkka",
        "jaakko",
        "jani",
        "jari",
        "jarmo",
        "johannes",
        "juha",
        "juhani",
        "jukka",
        "jussi",
        "kalevi",
        "kari",
        "kimmo",
        "lauri",
        "leo",
        "markku",
        "marko",
        "matti",
        "mika",
        "mikael",
        "mikko",
        "niilo",
        "oliver",
        "olli",
        "onni",
        "otto",
        "pasi",
        "pekka",
        "petri",
        "petteri",
        "risto",
        "sami",
        "seppo",
        "tapani",
        "tapio",
        "teemu",
        "timo",
        "tommi",
        "tuomas",
        "vesa",
        "ville",
        "väinö",
    ]
)
CAPITALISED = re.compile(r"^[A-ZÅÄÖÜ][a-zåäöüé\-]+$")


def _names(text: str) -> str:
    words = text.split(" ")
    out: list[str] = []
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if word.lower() in FIRST_NAMES and CAPITALISED.match(word) and CAPITALISED.match(nxt):
            out.append("[nimi]")
            skip = True
        else:
            out.append(word)
    return " ".join(out)


def query_scrub(text: str) -> str:
    """The query with emails, identity codes, phone numbers and names replaced by placeholders."""
    text = EMAIL.sub("[sähköposti]", text)
    text = HETU.sub("[hetu]", text)
    text = PHONE.sub("[puhelin]", text)
    text = NAME_INTRO.sub(lambda m: f"{m.group(1)} [nimi]", text)
    return _names(text)


def search_log_purge(*, days: int | None = None) -> int:
    """Delete search log lines older than `days` (default SEARCH_LOG_RETENTION_DAYS); returns how many."""
    days = settings.SEARCH_LOG_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = SearchLog.objects.filter(hour__lt=cutoff).delete()
    return deleted


def error_report_purge(*, days: int | None = None) -> int:
    """Delete error reports filed more than `days` (default ERROR_REPORT_RETENTION_DAYS) ago.

    Whatever their status: the privacy notice promises the period from filing. Returns how many.
    """
    days = settings.ERROR_REPORT_RETENTION_DAYS if days is None else days
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    deleted, _ = ErrorReport.objects.filter(created__lt=cutoff).delete()
    return deleted
