"""Keep the search index of services up to date.

Two parts, both explicit calls (never from save()):
- lexical: `search_vector`, one tsvector holding each language's texts parsed with its
  own configuration (finnish, swedish, english), weighted A = name, B = keywords, themes
  and code-list labels, C = summary, D = description, how-to-start, requirements and the
  accessibility sentences of the service's places (issue #17); `search_head`,
  the same without D, cheap to rank; `search_text` (names, keywords and labels in
  lower case), whose distinct words form the `catalog_searchword` vocabulary that
  corrects typos and finds compound parts (pg_trgm over a few thousand words, not over
  every service); `index_theme_ids` and `index_municipality_ids`, copies of the
  link tables that the search filters and counts facets on. One UPDATE statement per batch, computed inside PostgreSQL rather than one
  ORM round trip per row.
- semantic: one multilingual-e5-small passage vector per service. The text embedded is
  hashed with the model name; a service whose text did not change keeps its vector,
  so only changed text is re-embedded.
The public search never waits for this: rows without a vector are still found lexically.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, NullIf
from psycopg import sql

from catalog.models import Service
from catalog.search import morphology
from catalog.search.embeddings import embed_passages
from catalog.search.postgres import LANGUAGE_CONFIGS

log = logging.getLogger(__name__)

EMBED_BATCH = 32
PASSAGE_MAX_CHARS = 1500


@dataclass
class IndexResult:
    lexical: int = 0
    embedded: int = 0
    embeddings_reused: int = 0


# The service's themes from its classes and the region's extra themes (ServiceCuration), as one array.
_EFFECTIVE_THEMES = sql.SQL(
    "array(select theme_id from catalog_service_themes where service_id = s.id union "
    "select ce.theme_id from catalog_servicecuration c join catalog_servicecuration_extra_themes ce "
    "on ce.servicecuration_id = c.id where c.service_id = s.id order by 1)"
)


def _summary(lang: str) -> sql.Composed:
    """The region's own summary where it wrote one, else the source's."""
    return sql.SQL(
        "coalesce(nullif((select c.{col} from catalog_servicecuration c where c.service_id = s.id), ''), s.{col}, '')"
    ).format(col=sql.Identifier(f"summary_{lang}"))


def _labels(column: str, *, themes: bool = False) -> sql.Composed:
    """Code-list labels of a service (and with `themes`, its themes' names), in one language column.

    Theme names are not in the full-text index: a theme names several needs at once
    ("Ravitsemus ja uni"), so its words labelled every food course "uni", "sömn" and "sleep",
    a sleep query matched them all and "uni" counted as a common word (in 34 of 236 services),
    which the lexical side then dropped. A query's themes reach the ranking through the
    nearest-theme boost instead (engine.THEME_BOOST). The typo vocabulary keeps them.
    """
    labels = sql.SQL(
        "coalesce((select string_agg(c.{col}, ' ') from catalog_service_concepts sc "
        "join catalog_concept c on c.id = sc.concept_id where sc.service_id = s.id), '')"
    ).format(col=sql.Identifier(column))
    if not themes:
        return labels
    return sql.SQL(
        "{} || ' ' || coalesce((select string_agg(t.{col}, ' ') from catalog_theme t where t.id = any({themes})), '')"
    ).format(labels, col=sql.Identifier(column), themes=_EFFECTIVE_THEMES)


def _channel_facts(lang: str) -> sql.Composed:
    """The accessibility sentences of the service's channels' entrances in one language
    (e.g. "esteetön pysäköintipaikka"), so a search for an accessibility fact finds the service."""
    return sql.SQL(
        "coalesce((select string_agg(e -> 'sentence' ->> {lang}, ' ') from catalog_service_channels sc "
        "join catalog_servicechannel ch on ch.id = sc.servicechannel_id "
        "cross join jsonb_array_elements(ch.accessibility_sentences) e where sc.service_id = s.id), '')"
    ).format(lang=sql.Literal(lang))


def _finnish_parts() -> dict[str, sql.Composable]:
    """The Finnish texts of a service by weight, for Voikko's lemmas (append_lemmas)."""
    return {
        "A": sql.SQL("coalesce(s.name_fi, '')"),
        "B": sql.SQL("array_to_string(s.keywords_fi, ' ') || ' ' || {}").format(_labels("name_fi")),
        "C": _summary("fi"),
        "D": sql.SQL("coalesce(s.description_fi, '') || ' ' || coalesce(s.user_instruction_fi, '')"),
    }


def append_lemmas(table: str, ids: Sequence[int], parts: dict[str, sql.Composable]) -> None:
    """Add Voikko's lemmas and compound parts of the Finnish texts to `search_vector` (A-D) and
    `search_head` (A-C) of the rows `ids` of `table` (alias `s` in `parts`), after the snowball
    lexemes were written. Python computes them (morphology.tsvector_literal): PostgreSQL has no
    Voikko dictionary. Nothing happens without Voikko."""
    if not ids or not morphology.available():
        return
    select = sql.SQL("select s.id, {} from {} s where s.id = any(%s)").format(
        sql.SQL(", ").join(parts[w] for w in "ABCD"), sql.Identifier(table)
    )
    update = sql.SQL(
        "update {} s set search_vector = coalesce(s.search_vector, '') || l.v::tsvector, "
        "search_head = coalesce(s.search_head, '') || l.h::tsvector "
        "from unnest(%s::integer[], %s::text[], %s::text[]) as l(id, v, h) where s.id = l.id"
    ).format(sql.Identifier(table))
    with connection.cursor() as cursor:
        cursor.execute(select.as_string(connection.connection), [list(ids)])
        rows = cursor.fetchall()
        full = [morphology.tsvector_literal(dict(zip("ABCD", texts, strict=True))) for _id, *texts in rows]
        head = [morphology.tsvector_literal(dict(zip("ABC", texts[:3], strict=True))) for _id, *texts in rows]
        cursor.execute(update.as_string(connection.connection), [[r[0] for r in rows], full, head])


def _lexical_sql() -> sql.Composed:
    def col(name: str, lang: str) -> sql.Identifier:
        return sql.Identifier("s", f"{name}_{lang}")

    def weighted(config: str, text: sql.Composable, weight: str) -> sql.Composed:
        return sql.SQL("setweight(to_tsvector({}, {}), {})").format(sql.Literal(config), text, sql.Literal(weight))

    full, head = [], []
    for lang, config in LANGUAGE_CONFIGS.items():
        parts = {
            "A": sql.SQL("coalesce({}, '')").format(col("name", lang)),
            "B": sql.SQL("array_to_string({}, ' ') || ' ' || {}").format(
                col("keywords", lang), _labels(f"name_{lang}")
            ),
            "C": _summary(lang),
            "D": sql.SQL("coalesce({}, '') || ' ' || coalesce({}, '') || ' ' || coalesce({}, '') || ' ' || {}").format(
                col("description", lang), col("user_instruction", lang), col("requirements", lang), _channel_facts(lang)
            ),
        }
        full += [weighted(config, text, weight) for weight, text in parts.items()]
        head += [weighted(config, parts[weight], weight) for weight in "ABC"]
    search_text = sql.SQL(
        "lower(concat_ws(' ', s.name_fi, s.name_sv, s.name_en, "
        "array_to_string(s.keywords_fi, ' '), array_to_string(s.keywords_sv, ' '), "
        "array_to_string(s.keywords_en, ' '), {}, {}, {}))"
    ).format(_labels("name_fi", themes=True), _labels("name_sv", themes=True), _labels("name_en", themes=True))
    return sql.SQL(
        "update catalog_service s set search_vector = {}, search_head = {}, search_text = {}, "
        "index_theme_ids = {}, "
        "index_hidden = coalesce((select c.hidden from catalog_servicecuration c where c.service_id = s.id), false), "
        "index_featured = coalesce((select c.featured from catalog_servicecuration c where c.service_id = s.id), false), "
        "index_municipality_ids = array("
        "  select municipality_id from catalog_service_municipalities where service_id = s.id order by 1) "
        "where s.id = any(%s)"
    ).format(sql.SQL(" || ").join(full), sql.SQL(" || ").join(head), search_text, _EFFECTIVE_THEMES)


def passage_text(service: Service) -> str:
    """What the e5 model reads of a service (Finnish first; the model is multilingual)."""
    keywords = ", ".join(service.keywords_fi + service.keywords_sv + service.keywords_en)
    parts = [
        service.name_fi or service.name_sv or service.name_en,
        # The region's own summary (ServiceCuration) when services_embed annotated one.
        getattr(service, "curated_summary", "") or service.summary_fi or service.summary_sv or service.summary_en,
        keywords,
        service.description_fi or service.description_sv or service.description_en,
    ]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())[:PASSAGE_MAX_CHARS]


def embedding_hash(text: str) -> str:
    """The text's hash with the model's name: a service is re-embedded when either changes. The
    ONNX backend's own build counts too (onnx_e5.BUILDER_VERSION): a new build computes other vectors."""
    model = f"{settings.EMBEDDING_BACKEND}:{settings.EMBEDDING_MODEL}"
    if settings.EMBEDDING_BACKEND == "onnx":
        from catalog.search.onnx_e5 import BUILDER_VERSION

        model += f":{BUILDER_VERSION}"
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def services_index_lexical(*, service_ids: Sequence[int]) -> int:
    if not service_ids:
        return 0
    statement = _lexical_sql().as_string(connection.connection)
    with connection.cursor() as cursor:
        for start in range(0, len(service_ids), 2000):
            batch = list(service_ids[start : start + 2000])
            cursor.execute(statement, [batch])
            append_lemmas("catalog_service", batch, _finnish_parts())
        # The vocabulary (distinct words of names, keywords and labels) feeds typo correction;
        # lexeme frequencies let the search skip words that would match most services, and
        # their per-language counts tell a Swedish or English stem that is really another
        # language's word (query.foreign_words).
        cursor.execute("refresh materialized view catalog_searchword")
        cursor.execute("refresh materialized view catalog_searchlexeme")
        cursor.execute("refresh materialized view catalog_searchlexemelanguage")
    return len(service_ids)


def services_embed(*, service_ids: Iterable[int] | None = None, rebuild: bool = False) -> tuple[int, int]:
    """Embed services whose text changed. Returns (embedded, reused)."""
    queryset = Service.objects.only(
        "id", "name_fi", "name_sv", "name_en", "summary_fi", "summary_sv", "summary_en",
        "description_fi", "description_sv", "description_en", "keywords_fi", "keywords_sv", "keywords_en",
        "embedding_hash",
    ).annotate(curated_summary=Coalesce(
        *(NullIf(f"curation__summary_{lang}", Value("")) for lang in ("fi", "sv", "en")), Value(""),
        output_field=TextField(),
    )).order_by("id")  # fmt: skip
    if service_ids is not None:
        queryset = queryset.filter(id__in=list(service_ids))
    pending: list[tuple[int, str, str]] = []
    for service in queryset.iterator(chunk_size=1000):
        text = passage_text(service)
        digest = embedding_hash(text)
        if rebuild or service.embedding_hash != digest:
            pending.append((service.id, text, digest))
    # Services with the same text (one activity listed in several places) share one vector:
    # embed each distinct text once, and reuse vectors already stored for that text.
    by_digest: dict[str, list[int]] = {}
    texts: dict[str, str] = {}
    for service_id, text, digest in pending:
        by_digest.setdefault(digest, []).append(service_id)
        texts[digest] = text
    pending_ids = [service_id for service_id, _, _ in pending]
    known = dict(
        Service.objects.filter(embedding_hash__in=list(by_digest), embedding__isnull=False)
        .exclude(id__in=pending_ids)
        .values_list("embedding_hash", "embedding")
    )
    embedded = reused = 0
    digests = [d for d in by_digest if d not in known]
    for digest, vector in known.items():
        if digest in by_digest:
            Service.objects.filter(id__in=by_digest[digest]).update(embedding=vector, embedding_hash=digest)
            reused += len(by_digest[digest])
    for start in range(0, len(digests), EMBED_BATCH):
        batch = digests[start : start + EMBED_BATCH]
        vectors = embed_passages([texts[d] for d in batch])
        with transaction.atomic():
            for digest, vector in zip(batch, vectors, strict=True):
                ids = by_digest[digest]
                Service.objects.filter(id__in=ids).update(embedding=vector, embedding_hash=digest)
                embedded += 1
                reused += len(ids) - 1
    return embedded, reused


def services_index(
    *, service_ids: Sequence[int] | None = None, rebuild: bool = False, embed: bool = True
) -> IndexResult:
    """Full-text index and missing or stale embeddings for the given services (all public ones
    when None: services kept out of scope are indexed when catalog.scope shows them)."""
    if service_ids is None:
        service_ids = list(Service.objects.filter(is_public=True).values_list("id", flat=True))
    result = IndexResult(lexical=services_index_lexical(service_ids=service_ids))
    if embed:
        result.embedded, result.embeddings_reused = services_embed(service_ids=service_ids, rebuild=rebuild)
    return result
