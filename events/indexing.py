"""Search index of events, built like the services' (catalog.search.indexing).

A tsvector over names, short descriptions, descriptions and places in the three
configurations (A name, C short description, D the rest), and one e5 passage vector per
event text; unchanged text keeps its vector. Theme names are not indexed, for the reason
catalog.search.indexing._labels gives (a theme names several needs at once).
"""

from __future__ import annotations

from django.db import connection, transaction
from psycopg import sql

from catalog.search.embeddings import embed_passages
from catalog.search.indexing import append_lemmas, embedding_hash
from catalog.search.postgres import LANGUAGE_CONFIGS
from events.models import Event

PASSAGE_MAX_CHARS = 1200


def _lexical_sql() -> sql.Composed:
    def col(name: str, lang: str) -> sql.Identifier:
        return sql.Identifier("e", f"{name}_{lang}")

    full, head = [], []
    for lang, config in LANGUAGE_CONFIGS.items():
        parts = {
            "A": sql.SQL("coalesce({}, '')").format(col("name", lang)),
            "C": sql.SQL("coalesce({}, '')").format(col("short_description", lang)),
            "D": sql.SQL("coalesce({}, '') || ' ' || coalesce({}, '')").format(
                col("description", lang), col("location_name", lang)
            ),
        }
        weighted = [
            sql.SQL("setweight(to_tsvector({}, {}), {})").format(sql.Literal(config), text, sql.Literal(w))
            for w, text in parts.items()
        ]
        full += weighted
        head += [vector for weight, vector in zip(parts, weighted, strict=True) if weight != "D"]
    return sql.SQL("update events_event e set search_vector = {}, search_head = {} where e.id = any(%s)").format(
        sql.SQL(" || ").join(full), sql.SQL(" || ").join(head)
    )


# The Finnish texts by weight for Voikko's lemmas (catalog.search.indexing.append_lemmas, which
# reads all four weights; events have nothing at B).
_FINNISH_PARTS = {
    "A": sql.SQL("coalesce(s.name_fi, '')"),
    "B": sql.SQL("''"),
    "C": sql.SQL("coalesce(s.short_description_fi, '')"),
    "D": sql.SQL("coalesce(s.description_fi, '') || ' ' || coalesce(s.location_name_fi, '')"),
}


def passage_text(event: Event) -> str:
    parts = [
        event.name_fi or event.name_sv or event.name_en,
        event.short_description_fi or event.short_description_sv or event.short_description_en,
        event.description_fi or event.description_sv or event.description_en,
    ]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())[:PASSAGE_MAX_CHARS]


def events_index(*, event_ids: list[int] | None = None) -> int:
    """Full-text index and changed embeddings of events (all when None). Returns how many were embedded."""
    ids = list(Event.objects.values_list("id", flat=True)) if event_ids is None else list(event_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_lexical_sql().as_string(connection.connection), [ids])
    append_lemmas("events_event", ids, _FINNISH_PARTS)
    pending = []
    for event in Event.objects.filter(id__in=ids).only(
        "id", "name_fi", "name_sv", "name_en", "short_description_fi", "short_description_sv",
        "short_description_en", "description_fi", "description_sv", "description_en", "embedding_hash",
    ):  # fmt: skip
        text = passage_text(event)
        digest = embedding_hash(text)
        if text and event.embedding_hash != digest:
            pending.append((event.id, text, digest))
    for start in range(0, len(pending), 32):
        batch = pending[start : start + 32]
        vectors = embed_passages([text for _, text, _ in batch])
        with transaction.atomic():
            for (event_id, _, digest), vector in zip(batch, vectors, strict=True):
                Event.objects.filter(id=event_id).update(embedding=vector, embedding_hash=digest)
    return len(pending)
