"""Pick a model's text in the reader's language, falling back to Finnish."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

FALLBACK_ORDER = ("fi", "sv", "en")


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def current_language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in FALLBACK_ORDER else "fi"


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """Return ``obj.<field>_<lang>``, else the first non-empty of fi, sv, en."""
    wanted = language or current_language()
    value = getattr(obj, f"{field}_{wanted}", "") or ""
    if value:
        return LocalizedText(value, wanted, False)
    for lang in FALLBACK_ORDER:
        value = getattr(obj, f"{field}_{lang}", "") or ""
        if value:
            return LocalizedText(value, lang, lang != wanted)
    return LocalizedText("", wanted, False)
