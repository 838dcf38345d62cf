"""Finnish morphology with Voikko: base forms (lemmas) and compound parts of words.

The `finnish` snowball stemmer cuts endings by rule ("unta" -> "unt", "juon" -> "juon") and
cannot split compounds; Voikko (libvoikko with Debian's `voikko-fi` dictionary) knows the
lexicon: "unta" -> "uni", "juon" -> "juoda", "omaishoitajan" -> "omaishoitaja" with the
parts "omainen" and "hoitaa", "unettomuus" -> "unettomuus" derived from "uni".

The index holds a word's lemma as a lexeme of its own ("uni") and each part of a compound
or derivation with a "~" in front ("~uni" for "unettomuus"), so a query lemma matches both
(`'uni' | '~uni'`) while the "why" of a result can still tell a whole word from a part.

Without the library or the dictionary (`make install-voikko` installs them) every function
here returns nothing and search falls back to the snowball stemmer alone.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

log = logging.getLogger(__name__)

PART_PREFIX = "~"
_BASE = re.compile(r"\(([^)+][^)]*)\)")  # "(uni)" in "+une(uni)+ttomu(+ton)"; "(+ton)" is a suffix
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
MIN_PART_LENGTH = 3
# Word classes and verbs that say nothing of a need ("en", "ja", "minä", "olla", "saada").
STOP_CLASSES = {"sidesana", "kieltosana", "asemosana", "huudahdussana"}
STOP_LEMMAS = {"olla", "voida", "saada", "pitää", "haluta", "tarvita", "tulla", "ei", "kuin", "myös"}
_lock = threading.Lock()
_voikko: object | None = None
_loaded = False


def _instance():
    """The process's Voikko, or None when libvoikko or the Finnish dictionary is missing."""
    global _voikko, _loaded
    if _loaded:
        return _voikko
    with _lock:
        if not _loaded:
            try:
                import libvoikko

                _voikko = libvoikko.Voikko("fi")
            except Exception as error:  # noqa: BLE001 - ImportError, OSError (no .so), VoikkoException (no dictionary)
                log.warning("Voikko is not available, Finnish lemmas are not used: %s", error)
                _voikko = None
            _loaded = True
    return _voikko


def available() -> bool:
    return _instance() is not None


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lemmas, parts) of one lower-case word; parts are the bases of a compound or derivation
    other than the lemma itself ("omaishoitaja" -> "omainen", "hoitaa"). Empty when unknown."""
    voikko = _instance()
    if voikko is None or not word:
        return (), ()
    lemmas: dict[str, None] = {}
    parts: dict[str, None] = {}
    with _lock:  # a Voikko handle is not thread-safe
        analyses = voikko.analyze(word)
    for analysis in analyses:
        lemma = (analysis.get("BASEFORM") or "").lower()
        if not lemma or analysis.get("CLASS") in STOP_CLASSES or lemma in STOP_LEMMAS:
            continue
        lemmas[lemma] = None
        for base in _BASE.findall(analysis.get("WORDBASES") or ""):
            base = base.lower()
            if base != lemma and len(base) >= MIN_PART_LENGTH and base.isalpha():
                parts[base] = None
    return tuple(lemmas), tuple(p for p in parts if p not in lemmas)


@lru_cache(maxsize=50_000)
def verb_bases(word: str) -> tuple[str, ...]:
    """The verbs a participle is built on ("nukuttua" -> "nukkua"): Voikko lemmatises a
    participle as itself ("nukuttu"), and people write "en saa nukuttua" for "nukkua"."""
    voikko = _instance()
    if voikko is None or not word:
        return ()
    with _lock:
        analyses = voikko.analyze(word)
    bases: dict[str, None] = {}
    for analysis in analyses:
        if analysis.get("PARTICIPLE"):
            for base in _BASE.findall(analysis.get("WORDBASES") or ""):
                if base.isalpha() and base.lower().endswith(("a", "ä")) and len(base) >= MIN_PART_LENGTH:
                    bases[base.lower()] = None
    return tuple(bases)


@lru_cache(maxsize=50_000)
def function_word(word: str) -> bool:
    """Whether Voikko knows the word only as a function word ("mistä", "saa", "haluan")."""
    voikko = _instance()
    if voikko is None:
        return False
    with _lock:
        known = bool(voikko.analyze(word))
    return known and not analyse(word)[0]


def known(word: str) -> bool:
    """Whether Voikko knows the word (a Finnish word, not a typo or another language's)."""
    voikko = _instance()
    if voikko is None:
        return False
    with _lock:
        return bool(voikko.analyze(word))


def words(text: str) -> list[str]:
    """Lower-case words of a text (letters and inner hyphens), as Voikko reads them."""
    return [w.lower() for w in _WORD.findall(text or "")]


def text_lexemes(text: str) -> tuple[set[str], set[str]]:
    """(lemmas, parts) of every word of a text."""
    lemmas: set[str] = set()
    parts: set[str] = set()
    for word in words(text):
        word_lemmas, word_parts = analyse(word)
        lemmas.update(word_lemmas)
        parts.update(word_parts)
    return lemmas, parts - lemmas


def tsvector_literal(weighted_texts: dict[str, str]) -> str:
    """A tsvector (text form) of the lemmas and "~"-marked parts of texts by weight (A-D).

    Built here rather than by a PostgreSQL configuration: no dictionary of Voikko's kind is
    installed in PostgreSQL. Each lexeme gets one position per weight it occurs in.
    """
    weights: dict[str, set[str]] = {}
    for weight, text in weighted_texts.items():
        lemmas, parts = text_lexemes(text)
        for lexeme in lemmas:
            weights.setdefault(lexeme, set()).add(weight)
        for part in parts:
            weights.setdefault(PART_PREFIX + part, set()).add(weight)
    order = "ABCD"
    items = []
    for lexeme, found in sorted(weights.items()):
        positions = ",".join(f"{i + 1}{w}" for i, w in enumerate(sorted(found, key=order.index)))
        items.append(f"'{_quote(lexeme)}':{positions}")
    return " ".join(items)


def _quote(lexeme: str) -> str:
    return lexeme.replace("\\", "\\\\").replace("'", "''")


def query_lexemes(word: str) -> list[str]:
    """Lexemes a query word looks for: its lemmas as whole words and as parts."""
    lemmas, _parts = analyse(word.lower())
    return [x for lemma in lemmas for x in (lemma, PART_PREFIX + lemma)]


def tsquery_literal(lexemes: list[str]) -> str:
    """lexemes OR-ed as a tsquery (text form), or "" for none."""
    return " | ".join(f"'{_quote(x)}'" for x in dict.fromkeys(lexemes))
