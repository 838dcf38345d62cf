"""The curated synonym lexicon (SearchSynonymGroup) applied to a query's words.

Neither the words nor the vectors bridge some everyday phrasings: "en saa nukuttua" and
"unettomuus", "juon liikaa" and "alkoholi, päihde", "laskut" and "velka". The region's
editors keep groups of words that mean one need; a query word found in a group (as typed,
or by its Voikko lemma) brings the group's other words into the lexical side. Read once a
minute per process, so an editor's change reaches every worker within a minute.
"""

from __future__ import annotations

from catalog.models import SearchSynonymGroup
from catalog.search import morphology
from catalog.search.cache import ProcessCache

_cache = ProcessCache(60)


def _load() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """From one read of the groups: key (a word as written in a group, or its lemma) -> the other
    words of its groups; and word (a phrase's words one by one) -> the languages (fi, sv, en) of
    the groups listing it."""
    index: dict[str, dict[str, None]] = {}
    found: dict[str, set[str]] = {}
    for group in SearchSynonymGroup.objects.filter(is_active=True):
        words = [w.strip().lower() for w in group.words if w.strip()]
        for word in words:
            keys = {word, *morphology.analyse(word)[0]} if " " not in word else {word}
            for key in keys:
                index.setdefault(key, {}).update(dict.fromkeys(w for w in words if w != word))
        for language, phrases in (("fi", group.words_fi), ("sv", group.words_sv), ("en", group.words_en)):
            for phrase in phrases:
                for word in phrase.lower().split():
                    found.setdefault(word, set()).add(language)
    return (
        {key: tuple(words) for key, words in index.items()},
        {word: frozenset(languages) for word, languages in found.items()},
    )


def languages(word: str) -> frozenset[str]:
    """The languages the lexicon lists `word` in (empty when it does not list it)."""
    return _cache.get("lexicon", _load)[1].get(word, frozenset())


def synonyms(words: list[str]) -> list[str]:
    """The lexicon's words for the query's lower-case words, in order: found as typed, by lemma,
    or by the verb a participle is built on ("nukuttua" -> "nukkua"; Voikko lemmatises it as
    "nukuttu"). Compound parts are not looked up: "nuorisotalo" would bring every word for
    young people and crowd out the youth centres it names (measured with `make eval`)."""
    index = _cache.get("lexicon", _load)[0]
    if not index:
        return []
    out: dict[str, None] = {}
    for word in words:
        for key in (word, *morphology.analyse(word)[0], *morphology.verb_bases(word)):
            for synonym in index.get(key, ()):
                for part in synonym.split():
                    out.setdefault(part, None)
    return [w for w in out if w not in words]


def language_first(words: list[str], language: str) -> list[str]:
    """The words the lexicon lists in `language` (fi, sv, en) first, each group in its order: a
    Swede's "why" names "sömn" before "uni"."""
    return sorted(words, key=lambda word: language not in languages(word))
