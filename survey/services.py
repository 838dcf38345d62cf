"""Scoring, the result link and storage of the wellbeing survey.

The result link carries the answers encrypted (Fernet: AES-128-CBC with an HMAC, and a
timestamp), with a key derived from SECRET_KEY (and SECRET_KEY_FALLBACKS, so a key
rotation keeps recent links open). Nothing is stored on the server, and the link reveals
nothing to whoever sees it in a log, a history or a proxy: before, it was only signed, and
its base64 + zlib body showed the answers and the free-text wish.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import zlib
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.search.engine import search
from catalog.search.query import fit_query
from catalog.search.types import SearchFilters
from catalog.selectors import service_target_groups
from survey.card import (
    AGE_BAND_YEARS,
    AGE_BANDS,
    AGE_BOUND_GROUPS,
    AGE_GROUP_NAMES,
    AGE_GROUPS,
    AGE_OWN_GROUP,
    AUDIENCE_GROUPS,
    AUDIENCE_NAME_GROUPS,
    CARD,
    CARD_BY_KEY,
    FLAG_BELOW,
    QUESTION_KEYS,
    CardTheme,
)
from survey.models import SurveyResponse

LINK_MAX_AGE = dt.timedelta(days=30)
_SALT = b"tarmoa.survey.result.v2"
_TOKEN_MAX_LENGTH = 2000


def _fernet_key(secret: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=b"survey result link").derive(secret.encode())
    return base64.urlsafe_b64encode(key)


def encrypt_link_data(data: dict) -> str:
    """The link token of `data` (compressed JSON, encrypted; URL-safe, no padding)."""
    plain = zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 9)
    return _fernet().encrypt(plain).decode().rstrip("=")


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


class SurveyLinkError(ValueError):
    """The result link is broken or has been tampered with."""


class SurveyLinkExpired(SurveyLinkError):
    pass


@dataclass
class Answers:
    municipality: str = ""
    age_band: str = ""
    values: dict[str, int] = field(default_factory=dict)  # question key -> 0..3; skipped ones absent
    support: list[str] = field(default_factory=list)  # card theme keys the person wants support with
    wish: str = ""
    professional: bool = False

    def to_token(self) -> str:
        data = {"m": self.municipality, "a": self.age_band, "v": self.values, "s": self.support, "w": self.wish}
        if self.professional:
            data["p"] = 1
        return encrypt_link_data(data)

    @classmethod
    def from_token(cls, token: str) -> Answers:
        if len(token) > _TOKEN_MAX_LENGTH:
            raise SurveyLinkError("the link is too long")
        raw = (token + "=" * (-len(token) % 4)).encode("ascii", "replace")
        fernet = _fernet()
        try:
            plain = fernet.decrypt(raw)
            issued = fernet.extract_timestamp(raw)
        except (InvalidToken, ValueError, TypeError) as exc:
            raise SurveyLinkError("the link is not valid") from exc
        max_age = LINK_MAX_AGE.total_seconds() if isinstance(LINK_MAX_AGE, dt.timedelta) else LINK_MAX_AGE
        if time.time() - issued > max_age:
            raise SurveyLinkExpired("the link is older than 30 days")
        try:
            data = json.loads(zlib.decompressobj().decompress(plain, 64 * 1024))
        except (ValueError, zlib.error) as exc:
            raise SurveyLinkError("the link's contents are not valid") from exc
        try:
            answers = cls(
                municipality=str(data.get("m", ""))[:3],
                age_band=str(data.get("a", ""))[:10],
                values={
                    k: int(v) for k, v in dict(data.get("v", {})).items() if k in QUESTION_KEYS and 0 <= int(v) <= 3
                },
                support=[k for k in list(data.get("s", [])) if k in CARD_BY_KEY],
                wish=str(data.get("w", ""))[:200],
                professional=bool(data.get("p")),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise SurveyLinkError("the link's contents are not valid") from exc
        return answers


def theme_scores(answers: Answers) -> dict[str, int | None]:
    """Per card theme 0-100 (higher is better), None when no question of the theme was answered."""
    scores: dict[str, int | None] = {}
    for theme in CARD:
        values = [answers.values[q.key] for q in theme.questions if q.key in answers.values]
        scores[theme.key] = round(sum(values) / (3 * len(values)) * 100) if values else None
    return scores


def flagged_themes(answers: Answers) -> list[str]:
    """Card themes to recommend services for: low scores and themes the person asked support with."""
    scores = theme_scores(answers)
    return [
        theme.key
        for theme in CARD
        if theme.key in answers.support or (scores[theme.key] is not None and scores[theme.key] < FLAG_BELOW)
    ]


@dataclass
class ThemeRecommendation:
    theme: object
    score: int | None
    reasons: list[str]
    services: list
    asked_support: bool
    service_reasons: dict[int, list[str]] = field(default_factory=dict)  # service id -> why this one


def _theme_query(theme: CardTheme, answers: Answers) -> str:
    """What the engine is asked: the hints of the questions answered low (sleep trouble asks
    for sleep, not for food), else the theme's hint; the person's own wish first."""
    low = [q.search_hint for q in theme.questions if q.search_hint and answers.values.get(q.key, 3) <= 1]
    hint = " ".join(low) if low else theme.search_hint
    # When wish and hint together pass the length limit, the hint's tail goes.
    return fit_query(f"{answers.wish} {hint}" if answers.wish else hint)


def _age_groups(codes: set[str]) -> set[str]:
    """A service's second-level resident target groups (KR1.2.1 counts as KR1.2)."""
    return {".".join(code.split(".")[:2]) for code in codes if code.startswith("KR1.")}


def _fit_to_age(services: list, age_band: str) -> tuple[list, dict[int, list[str]]]:
    """Services in the engine's order, less those meant only for other ages, the person's own
    age group first; with the age reason for those meant for it."""
    allowed = AGE_GROUPS.get(age_band)
    if allowed is None or not services:
        return services, {}
    groups = service_target_groups(service_ids=[s.id for s in services])
    own = AGE_OWN_GROUP.get(age_band)
    band_label = dict(AGE_BANDS).get(age_band, age_band)
    kept, reasons = [], {}
    for service in services:
        sub = _age_groups(groups.get(service.id, set()))
        if sub and sub <= AGE_BOUND_GROUPS and not sub & allowed:
            continue  # e.g. baby cafés (children and families only) for a 70-year-old
        if own in sub:
            reasons[service.id] = [
                str(
                    _("sopii ikäryhmällesi %(band)s: palvelu on tarkoitettu %(group)s")
                    % {"band": band_label, "group": AGE_GROUP_NAMES[own]}
                )
            ]
        kept.append(service)
    kept.sort(key=lambda s: s.id not in reasons)  # stable: the engine's order within each part
    return kept, reasons


def _event_audience_fits(event, allowed: set[str]) -> bool:
    """The event's audience keywords, read as target groups, as _fit_to_age reads a service's."""
    groups = set()
    for keyword in event.audience or []:
        if not isinstance(keyword, dict):
            continue
        names = keyword.get("name") if isinstance(keyword.get("name"), dict) else {}
        name = str(names.get("fi") or "").strip().lower()
        # A keyword not bound to age (or unknown) makes the event open to every age.
        groups.add(AUDIENCE_GROUPS.get(str(keyword.get("id") or "")) or AUDIENCE_NAME_GROUPS.get(name) or "other")
    return not groups or not groups <= AGE_BOUND_GROUPS or bool(groups & allowed)


def _event_ages_fit(event, age_band: str, allowed: set[str]) -> bool:
    """The event's audience ages overlap the band's; an event for children only fits the bands
    whose groups include children and families (parents bring them) or young people."""
    low, high = event.audience_min_age, event.audience_max_age
    if low is None and high is None:
        return True
    low, high = low or 0, high if high is not None else 120
    band_low, band_high = AGE_BAND_YEARS[age_band]
    if low <= band_high and high >= band_low:
        return True
    if high <= 12:
        return "KR1.2" in allowed
    if high <= 17:
        return bool({"KR1.2", "KR1.3"} & allowed)
    return False


def event_fits_age(event, age_band: str) -> bool:
    """Whether an event may be offered to a person of `age_band`, as services are (_fit_to_age):
    one meant only for other ages (a baby café for a 70-year-old) is not; one without audience
    keywords or ages is for everyone. No band (or an unknown one): every event fits."""
    allowed = AGE_GROUPS.get(age_band)
    if allowed is None:
        return True
    return _event_audience_fits(event, allowed) and _event_ages_fit(event, age_band, allowed)


def _theme_services(query: str, filters: SearchFilters, answers: Answers, per_theme: int):
    # More candidates than shown: the age fit may leave some out.
    result = search(query, filters=filters, page_size=per_theme * 4, detect_municipality=False, within_filters=True)
    services, reasons = _fit_to_age(result.services, answers.age_band)
    for service in services:
        words = (result.why.get(service.id) or {}).get("matched_words") or []
        if words:
            reasons.setdefault(service.id, []).append(
                str(_("vastaa kertomaasi: %(words)s") % {"words": ", ".join(words[:3])})
            )
    return services[:per_theme], reasons


def recommendations(answers: Answers, *, per_theme: int = 5) -> list[ThemeRecommendation]:
    """3-5 services per flagged theme in the person's municipality, from the search engine,
    fitted to the person's age band (see survey.card.AGE_GROUPS), each with its reasons."""
    scores = theme_scores(answers)
    out = []
    for key in flagged_themes(answers):
        theme = CARD_BY_KEY[key]
        query = _theme_query(theme, answers)
        filters = SearchFilters(themes=theme.catalog_themes, municipality=answers.municipality)
        services, service_reasons = _theme_services(query, filters, answers, per_theme)
        if len(services) < 3 and answers.municipality:
            # Too little nearby: widen to the whole region rather than recommend nothing.
            services, service_reasons = _theme_services(
                query, SearchFilters(themes=theme.catalog_themes), answers, per_theme
            )
        reasons = [str(q.low_reason) for q in theme.questions if answers.values.get(q.key, 3) <= 1]
        out.append(
            ThemeRecommendation(
                theme=theme,
                score=scores[key],
                reasons=reasons,
                services=services,
                asked_support=key in answers.support,
                service_reasons=service_reasons,
            )
        )
    return out


def week_start(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def survey_response_store(*, answers: Answers, submission_id: str) -> SurveyResponse | None:
    """Store the consented statistics once per submission (a repeated POST stores nothing new).

    The submission id lives a day in the cache only, to recognise a double submit; it is
    never written to the database.
    """
    if not cache.add(f"survey:submitted:{submission_id}", 1, timeout=24 * 3600):
        return None
    scores = {k: v for k, v in theme_scores(answers).items() if v is not None}
    return SurveyResponse.objects.create(
        municipality=answers.municipality, age_band=answers.age_band, week=week_start(), scores=scores
    )
