"""The query's text and words: normalising, splitting into words, a municipality named in it,
and what the catalog knows of its words (frequencies, typo fixes, compounds), which decides
the terms the lexical side looks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from psycopg import sql

from catalog.models import Service
from catalog.search import lexicon, morphology
from catalog.search.cache import ProcessCache
from catalog.search.postgres import LANGUAGE_CONFIGS
from catalog.search.sql import fetch_all
from catalog.search.types import LexicalTerms, QueryTooLong
from catalog.selectors import region_municipalities

EXPANSIONS_PER_WORD = 3
EXPANSION_MIN_SIMILARITY = 0.6
COMPOUND_MIN_LENGTH = 8
SENTENCE_WORDS = 3
COMMON_SHARE = 0.06
# ... and never more than this many services: ranking a match costs ~15 us (20,000 services).
COMMON_MAX_SERVICES = 500
COMPOUND_PART_MIN_LENGTH = 4
SYNONYM_GAP_SERVICES = 8  # a query word in at most this many services brings its synonyms
# A Swedish or English stem held by more than this many times as many services as hold it in
# that language's own texts (plus this many) is another language's word (Analysis.foreign).
FOREIGN_SHARE = 2
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+")


def normalize_query(raw: str | None) -> str:
    """Whitespace folded, control characters dropped; raises QueryTooLong past the limit."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", raw or ""))
    text = " ".join(text.split())
    if len(text) > settings.SEARCH_QUERY_MAX_LENGTH:
        raise QueryTooLong(f"query is {len(text)} characters; the limit is {settings.SEARCH_QUERY_MAX_LENGTH}")
    return text


def fit_query(raw: str) -> str:
    """`raw` normalised like a typed query and cut at a word boundary to fit the length limit.

    For queries the site builds itself (a survey wish with a theme's hint words), which must
    never fail for being a little too long.
    """
    text = " ".join(unicodedata.normalize("NFC", _CONTROL.sub(" ", raw or "")).split())
    limit = settings.SEARCH_QUERY_MAX_LENGTH
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut[:limit]).strip()


def has_words(query: str) -> bool:
    return any(ch.isalnum() for ch in query)


def query_words(text: str) -> list[str]:
    """The words of a text as typed (runs of letters and digits): how the search splits a query."""
    return _WORD.findall(text)


_SWEDISH = {
    "och", "för", "jag", "att", "med", "till", "inte", "kan", "hur", "var", "vill", "som", "på", "av", "hos",
    "nära", "hjälp", "äldre", "barn", "unga", "stöd", "min", "mitt", "mig", "det", "den", "ett", "är", "om",
    "någon", "något", "söker", "behöver", "eller", "vid", "efter", "mot", "från",
}  # fmt: skip
_ENGLISH = {
    "the", "and", "for", "with", "how", "to", "my", "i", "of", "in", "can", "where", "help", "near", "a",
    "an", "is", "are", "me", "need", "want", "someone", "older", "people", "young", "free", "about", "at",
}  # fmt: skip


def query_language(query: str) -> str:
    """fi, sv or en: the language whose floors apply. Finnish when Voikko knows most words;
    Swedish or English by their common words; otherwise Swedish when the letters ä, ö or å
    appear in words Voikko does not know, else English (nonsense included)."""
    words = [w.lower() for w in query_words(query) if not w.isdigit()]
    if not words:
        return "en"
    if morphology.available() and sum(morphology.known(w) for w in words) * 2 > len(words):
        return "fi"
    swedish, english = len(_SWEDISH & set(words)), len(_ENGLISH & set(words))
    if swedish or english:
        return "sv" if swedish >= english else "en"
    return "sv" if any(ch in query.lower() for ch in "äöå") else "en"


_ANALYSIS_SQL = sql.SQL(
    # Raw SQL, one round trip per query: vocabulary expansions of the query's words and
    # how many public services hold each word and each expansion (materialized views,
    # no models). Measured about 1 ms at 20,000 services.
    "with cand as ("
    # Look-alikes and longer compounds: a LATERAL trigram lookup in the vocabulary.
    "  select q.plain, v.word, word_similarity(q.plain, v.plain)::float8 as similarity "
    "  from unnest(%(plains)s::text[]) as q(plain) cross join lateral ("
    "    select w.word, w.plain from catalog_searchword w where q.plain <%% w.plain "
    "    order by word_similarity(q.plain, w.plain) desc, w.services desc limit {limit}) as v "
    # Parts of a compound the resident typed ("hiihtokurssi" -> "hiihto", "kurssi"): a scan
    # of the small vocabulary, only for long words.
    "  union all select q.plain, v.word, 1.0 from unnest(%(plains)s::text[]) as q(plain) cross join lateral ("
    "    select w.word from catalog_searchword w "
    "    where length(q.plain) >= {compound} and length(w.plain) >= {part} and w.plain <> q.plain "
    "    and strpos(q.plain, w.plain) > 0 order by length(w.plain) desc, w.services desc limit {limit}) as v"
    "), terms as ("
    "  select 'q' as kind, q.w as plain, q.w as word, 1.0::float8 as similarity "
    "  from unnest(%(words)s::text[]) as q(w) "
    "  union all select 'x', plain, word, similarity from cand"
    ") "
    # Lexemes of each term in the three configurations joined to the frequency view; a
    # query word that a configuration drops entirely is a stop word ("for", "kan", "ja").
    "select t.kind, t.plain, t.word, t.similarity, coalesce(("
    "  select max(l.ndoc) from unnest({lexemes}) as x(lexeme) join catalog_searchlexeme l on l.lexeme = x.lexeme), 0), "
    "  {lexemes}, {stop}, {foreign} "
    "from terms t "
    # Voikko's lemma lexemes (computed in Python) and how many services hold each.
    "union all select 'm', x.lexeme, x.lexeme, 1.0, coalesce(l.ndoc, 0), array[x.lexeme], false, '{{}}'::text[] "
    "from unnest(%(lemmas)s::text[]) as x(lexeme) left join catalog_searchlexeme l on l.lexeme = x.lexeme"
).format(
    # The languages (sv, en) in which the word's stem is mostly another word of another
    # language's texts: the stem is not the word's Finnish stem, and the texts of that language
    # hold it in few of the services that hold it at all ("sova": "sov", 1 Swedish text of 19).
    foreign=sql.SQL("array_remove(array[{}], null)").format(
        sql.SQL(", ").join(
            sql.SQL(
                "case when exists (select 1 from unnest(tsvector_to_array(to_tsvector({config}, t.word))) as x(lexeme) "
                "join catalog_searchlexeme a on a.lexeme = x.lexeme left join catalog_searchlexemelanguage o "
                "on o.config = {config} and o.lexeme = x.lexeme "
                "where x.lexeme <> all(tsvector_to_array(to_tsvector({finnish}, t.word))) "
                "and a.ndoc > {share} * coalesce(o.ndoc, 0) + {share}) then {lang} end"
            ).format(
                config=sql.Literal(config),
                finnish=sql.Literal(LANGUAGE_CONFIGS["fi"]),
                share=sql.Literal(FOREIGN_SHARE),
                lang=sql.Literal(lang),
            )
            for lang, config in LANGUAGE_CONFIGS.items()
            if lang != "fi"
        )
    ),
    lexemes=sql.SQL(" || ").join(
        sql.SQL("tsvector_to_array(to_tsvector({}, t.word))").format(sql.Literal(config))
        for config in LANGUAGE_CONFIGS.values()
    ),
    stop=sql.SQL(" or ").join(
        sql.SQL("to_tsvector({}, t.word) = ''::tsvector").format(sql.Literal(config))
        for config in LANGUAGE_CONFIGS.values()
    ),
    limit=sql.Literal(EXPANSIONS_PER_WORD),
    compound=sql.Literal(COMPOUND_MIN_LENGTH),
    part=sql.Literal(COMPOUND_PART_MIN_LENGTH),
)


def _unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Analysis:
    """What the catalog knows of a query's words: frequencies and vocabulary expansions."""

    frequency: dict[str, int]  # query word -> services holding it
    expansions: tuple[tuple[str, int], ...]  # (vocabulary word, services holding it), best first
    # query word -> its lexemes: snowball stems in the three configurations and Voikko's lemmas
    lexemes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stop_words: frozenset[str] = frozenset()  # query words some configuration drops
    lemma_frequency: dict[str, int] = field(default_factory=dict)  # lemma lexeme -> services
    expansion_sources: dict[str, str] = field(default_factory=dict)  # expansion -> unaccented query word
    # query word -> the languages (sv, en) in which its stem is another language's word (FOREIGN_SHARE)
    foreign: dict[str, frozenset[str]] = field(default_factory=dict)


_analysis_cache = ProcessCache(60, max_entries=1024)


def analyse_words(words: list[str]) -> Analysis:
    """Frequencies and expansions of the words; kept a minute in this process.

    The same query is analysed for services and for events within one request; a minute
    bounds how long a re-indexed catalog can go unnoticed.
    """
    key = tuple(dict.fromkeys(words))
    return _analysis_cache.get(key, lambda: _analyse(key))


# The analysis rows of each word, kept a minute like the analyses: queries are new far more
# often than their words, so most words of a new query were looked up moments ago.
_word_rows_cache = ProcessCache(60, max_entries=8192)


def _word_rows(words: tuple[str, ...], lemmas_of: dict[str, tuple[str, ...]]) -> list[tuple]:
    """The rows of _ANALYSIS_SQL for these words: the cached ones, and one round trip for the rest.

    A word's rows are its own ('q'), the expansions of its unaccented form ('x', words of 4+
    letters) and its lemmas' frequencies ('m'); they do not depend on the other words.
    """
    rows: dict[tuple, None] = {}
    missing = []
    for word in words:
        cached = _word_rows_cache.peek(word)
        if cached is None:
            missing.append(word)
        else:
            rows.update(dict.fromkeys(cached))
    if missing:
        plains = sorted({_unaccent(w) for w in missing if len(w) >= 4})
        lemmas = sorted({x for w in missing for x in lemmas_of[w]})
        fetched = [
            tuple(tuple(v) if isinstance(v, list) else v for v in row)
            for row in fetch_all(_ANALYSIS_SQL, {"words": missing, "plains": plains, "lemmas": lemmas})
        ]
        for word in missing:
            plain = _unaccent(word) if len(word) >= 4 else None
            own = [
                row
                for row in fetched
                if (row[0] == "q" and row[2] == word)
                or (row[0] == "x" and row[1] == plain)
                or (row[0] == "m" and row[2] in lemmas_of[word])
            ]
            _word_rows_cache.put(word, own)
            rows.update(dict.fromkeys(own))
    return list(rows)


def _analyse(words: tuple[str, ...]) -> Analysis:
    if not words:
        return Analysis({}, ())
    lemmas_of = {w: tuple(morphology.query_lexemes(w)) for w in words}
    rows = _word_rows(words, lemmas_of)
    frequency = {word: ndoc for kind, _plain, word, _sim, ndoc, _lex, _stop, _f in rows if kind == "q"}
    stop_words = frozenset(word for kind, _plain, word, _sim, _n, _lex, stop, _f in rows if kind == "q" and stop)
    lexemes = {
        word: tuple(dict.fromkeys([*found, *lemmas_of.get(word, ())]))
        for kind, _plain, word, _sim, _n, found, _stop, _f in rows
        if kind in {"q", "x"}
    }
    lemma_frequency = {word: ndoc for kind, _plain, word, _sim, ndoc, _lex, _stop, _f in rows if kind == "m"}
    foreign = {word: frozenset(f) for kind, _plain, word, _sim, _n, _lex, _stop, f in rows if kind == "q" and f}
    known_plain = {_unaccent(w) for w, n in frequency.items() if n > 0}
    expansions: dict[str, int] = {}
    sources: dict[str, str] = {}
    for kind, plain, word, similarity, ndoc, _lexemes, _stop, _foreign in rows:
        if kind != "x":
            continue
        candidate = _unaccent(word)
        if word in words or candidate == plain:
            continue
        compound = _compound_of(plain, candidate)
        # A typo changes a word's length by a letter or two; "missä" is no misspelt "missbruk".
        # Look-alikes only for words the texts do not contain and Voikko does not know, so a
        # correct word is never "fixed" ("unta" is no misspelt "uinti").
        look_alike = (
            plain not in known_plain
            and similarity >= EXPANSION_MIN_SIMILARITY
            and abs(len(candidate) - len(plain)) <= 2
            and not morphology.known(plain)
        )
        if compound or look_alike:
            expansions.setdefault(word, ndoc)
            sources.setdefault(word, plain)
    return Analysis(frequency, tuple(expansions.items()), lexemes, stop_words, lemma_frequency, sources, foreign)


def _compound_of(plain: str, candidate: str) -> bool:
    """Whether one word is a compound holding the other: by Voikko's parts when it knows the
    compound ("vesijumppa" holds "jumppa"; "liikunta" does not hold "unta"), else at either end
    of the word ("tupakkavieroitus" ends in "vieroitus")."""
    longer, shorter = (candidate, plain) if len(candidate) >= len(plain) else (plain, candidate)
    if shorter not in longer:
        return False
    lemmas, parts = morphology.analyse(longer)
    if lemmas:
        inner = set(parts) | {p for lemma in lemmas for p in lemma.split("-")}
        if shorter in inner or set(morphology.analyse(shorter)[0]) & set(parts):
            return True
        # Voikko names a derived last part by its root ("vieroitus" -> "vieroittaa"): a word at
        # either end counts when the rest is a word too ("tupakka|vieroitus", not "liik|unta").
        head, tail = longer[: -len(shorter)], longer[len(shorter) :]
        return (longer.endswith(shorter) and morphology.known(head)) or (
            longer.startswith(shorter) and morphology.known(tail)
        )
    return longer.startswith(shorter) or longer.endswith(shorter)


def expand_words(words: list[str]) -> list[str]:
    """Vocabulary words close to the query's words: typo fixes and compounds.

    Compounds both ways: "jumppa" -> "vesijumppa", "tupakkavieroitus" -> "tupakka",
    "vieroitus". Look-alike spellings ("kuntosli" -> "kuntosali") only for words the
    catalog's texts do not contain, so a correct word is never "fixed".
    Only words of 4+ letters are looked up.
    """
    return [word for word, _ in analyse_words([w.lower() for w in words]).expansions]


_slow_changing = ProcessCache(300)


def public_count() -> int:
    """Public services in the catalog; five minutes old at most."""
    return _slow_changing.get("public_count", lambda: Service.objects.filter(is_public=True).count())


def _lower_words(query: str) -> list[str]:
    return [w.lower() for w in query_words(query)]


def content_words(query: str) -> list[str]:
    """The query's lower-case words without stop words of any of the three languages ("for",
    "kan", "ja"); all of them when every word is one."""
    words = _lower_words(query)
    stop = analyse_words(words).stop_words
    return [w for w in words if w not in stop and not morphology.function_word(w)] or words


def query_analysis(query: str) -> tuple[list[str], list[str], Analysis]:
    """(content words, their synonyms, the analysis of every word and synonym): one analysis,
    kept a minute, that lexical_terms, the "why" and the nonsense check share (a query
    without synonyms is analysed once)."""
    words = _lower_words(query)
    analysis = analyse_words(words)
    content = content_words(query)
    foreign = _foreign(query, content, analysis)
    typed = [w for w in content if w not in foreign]
    extra = gap_synonyms(typed, analysis=analysis, dropped=foreign)
    full = analyse_words([*words, *(w for w in extra if w not in words)])
    # A Swedish or English synonym whose stem the catalog holds mostly as another language's
    # word is left out the same way ("sova" and "sover" in the sleep group).
    extra = [w for w in extra if not lexicon.languages(w) & full.foreign.get(w, frozenset())]
    return typed, extra, full


def foreign_words(query: str) -> list[str]:
    """The content words of a Swedish or English query, not Finnish by Voikko, whose stem the
    catalog holds mostly as another language's word ("sova" -> "sov", as Finnish "sovitaan";
    Analysis.foreign). They would match those texts, so the lexical side and the "why" leave
    them out, and the lexicon's synonyms stand in for them."""
    return _foreign(query, content_words(query), analyse_words(_lower_words(query)))


def _foreign(query: str, content: list[str], analysis: Analysis) -> list[str]:
    language = query_language(query)
    if language == "fi":
        return []
    # A word Voikko knows is Finnish, whatever language the rest of the query looked like.
    return [w for w in content if language in analysis.foreign.get(w, ()) and not morphology.known(w)]


def gap_synonyms(typed: list[str], *, analysis: Analysis | None = None, dropped: Sequence[str] = ()) -> list[str]:
    """The lexicon's words for the query words the catalog barely uses (in at most
    SYNONYM_GAP_SERVICES services by word or lemma): "juon" -> "alkoholi", "päihde". Words the
    catalog holds find their services themselves, and their synonyms would only crowd them out
    ("jumppa" must find "vesijumppa" first, not every gym). The `dropped` words (foreign_words)
    are gap words however common their stem: the lexical side does not look for them."""
    analysis = analysis or analyse_words(typed)
    gap = []
    for word in typed:
        lemma_counts = [analysis.lemma_frequency.get(x, 0) for x in analysis.lexemes.get(word, ())]
        if max([analysis.frequency.get(word, 0), *lemma_counts]) <= SYNONYM_GAP_SERVICES:
            gap.append(word)
    gap += dropped
    return [w for w in lexicon.synonyms(gap) if w not in typed and w not in dropped] if gap else []


def lexical_terms(query: str) -> LexicalTerms:
    """The words the lexical side looks for (OR-ed) and the column it matches on.

    Stop words of any language are dropped; the curated synonyms (catalog.search.lexicon) of
    words the catalog barely uses are added (gap_synonyms). Words in more than 6 % of the
    services, or in more than COMMON_MAX_SERVICES of them ("luonto", "työ"), select thousands
    of rows to rank and tell little apart; with rarer words present they are left to the
    semantic side, and so are expansions and lemmas that common. A sentence, or a query of
    common words only, matches on names, keywords and summaries (`search_head`) rather than
    every description (`search_vector`).
    """
    typed, extra, analysis = query_analysis(query)
    limit = min(COMMON_SHARE * max(public_count(), 1), COMMON_MAX_SERVICES)
    common = {w for w, n in analysis.frequency.items() if n > limit}
    # Expansions of the content words only (not of a stop word: "inte" is no misspelt "internet").
    sources = {_unaccent(w) for w in [*typed, *extra]}
    expansions = [w for w, n in analysis.expansions if n <= limit and analysis.expansion_sources.get(w) in sources]

    def lemmas_of(group: list[str], *, rare_only: bool) -> list[str]:
        found = [(w, x) for w in group for x in analysis.lexemes.get(w, ()) if x in analysis.lemma_frequency]
        if not rare_only:
            return [x for _w, x in found]
        # A word common as typed or by its lemma ("nuoret", "nuori") is common as a part too.
        common_lemma = {w for w, x in found if x[0] != morphology.PART_PREFIX and analysis.lemma_frequency[x] > limit}
        return [x for w, x in found if w not in common | common_lemma and analysis.lemma_frequency[x] <= limit]

    rare = [w for w in typed if w not in common]
    rare_synonyms = [w for w in extra if w not in common]
    rare_lemmas = lemmas_of(typed, rare_only=True)
    common_only = not rare and not expansions and not rare_lemmas
    match_on = "search_head" if len(typed) >= SENTENCE_WORDS or not (rare or rare_lemmas) else "search_vector"
    return LexicalTerms(
        " OR ".join(typed if common_only else [*rare, *expansions]),
        match_on,
        common_only,
        morphology.tsquery_literal(lemmas_of(typed, rare_only=False) if common_only else rare_lemmas),
        " OR ".join(rare_synonyms),
        morphology.tsquery_literal(lemmas_of(rare_synonyms, rare_only=True)),
    )


def region_municipality_names() -> list[tuple[str, str]]:
    """(code, unaccented lower-case name) for the region's municipalities in fi and sv; cached 5 min."""
    return _slow_changing.get("municipality_names", _load_region_municipality_names)


def _load_region_municipality_names() -> list[tuple[str, str]]:
    names = []
    for municipality in region_municipalities():
        for name in {municipality.name_fi, municipality.name_sv}:
            if name and not name.isdigit():
                names.append((municipality.code, _unaccent(name)))
    return names


def split_municipality(query: str) -> tuple[str, str]:
    """Take a region municipality named in the query ("uimahalli iisalmessa") out of its words.

    Returns (remaining query, municipality code or ""). Inflected forms count: the word
    must share the name's first letters (all but the last two, at least five).
    """
    words = query.split()
    for position, word in enumerate(words):
        plain = _unaccent(word.strip(".,!?;:\"'()"))
        for code, name in region_municipality_names():
            stem = name[: max(5, len(name) - 2)] if len(name) > 5 else name
            if plain.startswith(stem):
                return " ".join(words[:position] + words[position + 1 :]), code
    return query, ""
