"""The wellbeing scope of PTV services: which service classes each theme takes in, and what
an editor includes or excludes one service at a time.

The PTV sync stores the region's published citizen services even when their class (or heavy
care) keeps them out of scope: stored, not public (`Service.scope_status` says why). So a
change of a theme's classes can be counted before it is saved and applied at once from the
stored rows (themes, `is_public`, search index), without waiting for the next sync; and a
single service can be included (`ServiceCuration.scope_override`). The sync (ingest.ptv.scope)
decides with the same functions, so the next run writes what was applied here.

Some classes mix what a theme promises with heavy care: P4.2 "Vanhusten palvelut" holds senior
counselling and 24-hour housing, P5.14 "Kotisairaanhoito ja omaishoito" carers' support and
home nursing. A service whose only wellbeing classes are such mixed ones is decided by its own
words: in scope unless its name, keywords or summary speak of heavy care (HEAVY_CARE_WORDS).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalog.models import ScopeOverride, ScopeStatus, Service, ServiceCuration, Source, Theme

MIXED_CLASSES = {"P4.2", "P5.14"}
# Word stems of heavy care in Finnish and Swedish (24-hour housing, home care, hospital care).
HEAVY_CARE_WORDS = (
    "ympärivuorokau", "palveluasum", "tehostet", "kotihoito", "kotihoidon", "kotisairaanhoi", "sairaala",
    "laitoshoi", "pitkäaikaishoi", "hoivakoti", "vuodeosasto", "saattohoi", "intervallihoi",
    "dygnet runt", "serviceboende", "hemvård", "hemsjukvård", "sjukhus", "anstaltsvård",
)  # fmt: skip
ClassThemes = dict[str, set[int]]  # class code -> theme ids


class ScopeError(ValueError):
    """A scope change that cannot be made (the message is for the editor)."""


def class_themes_map(overrides: dict[int, Sequence[str]] | None = None) -> ClassThemes:
    """Which themes each class code feeds; `overrides` replaces some themes' codes (a preview)."""
    class_themes: ClassThemes = {}
    for theme_id, codes in Theme.objects.values_list("id", "service_class_codes"):
        for code in (overrides or {}).get(theme_id, codes):
            class_themes.setdefault(code, set()).add(theme_id)
    return class_themes


def mapping_signature(class_themes: ClassThemes) -> str:
    return hashlib.sha256(repr(sorted((k, sorted(v)) for k, v in class_themes.items())).encode()).hexdigest()


def themes_of(class_codes: Iterable[str], class_themes: ClassThemes) -> set[int]:
    themes: set[int] = set()
    for code in class_codes:
        themes |= class_themes.get(code, set())
    return themes


def heavy_care(class_codes: set[str], class_themes: ClassThemes, words: Iterable[str]) -> bool:
    """Whether a service comes in through mixed classes only and speaks of heavy care."""
    if any(class_themes.get(code) for code in class_codes - MIXED_CLASSES):
        return False
    text = " ".join(words).lower()
    return any(stem in text for stem in HEAVY_CARE_WORDS)


def scope_status(class_codes: set[str], class_themes: ClassThemes, words: Iterable[str]) -> str:
    if not themes_of(class_codes, class_themes):
        return ScopeStatus.CLASS
    if heavy_care(class_codes, class_themes, words):
        return ScopeStatus.HEAVY_CARE
    return ScopeStatus.IN


def public_for(status: str, override: str) -> bool:
    """Whether a published PTV service in the region is shown to residents."""
    if override == ScopeOverride.EXCLUDE:
        return False
    return override == ScopeOverride.INCLUDE or status == ScopeStatus.IN


# --- the stored rows: count and apply ---------------------------------------------------
@dataclass
class Candidate:
    id: int
    class_codes: set[str]
    words: list[str]
    status: str
    public: bool
    themes: set[int]  # from the class mapping (Service.themes)
    extra: set[int]  # the curation's extra themes
    override: str


@dataclass
class Move:
    candidate: Candidate
    status: str
    public: bool
    themes: set[int]


def _candidates(service_ids: Iterable[int] | None = None) -> list[Candidate]:
    """The region's published PTV services as stored, public or not."""
    rows = Service.objects.filter(source=Source.PTV, publishing_status="Published")
    if service_ids is not None:
        rows = rows.filter(id__in=list(service_ids))
    ids: list[int] = []
    found: dict[int, Candidate] = {}
    for sid, status, public, n_fi, n_sv, s_fi, s_sv, k_fi, k_sv in rows.values_list(
        "id",
        "scope_status",
        "is_public",
        "name_fi",
        "name_sv",
        "summary_fi",
        "summary_sv",
        "keywords_fi",
        "keywords_sv",
    ).order_by("id"):
        ids.append(sid)
        words = [n_fi, n_sv, s_fi, s_sv, *k_fi, *k_sv]
        found[sid] = Candidate(sid, set(), words, status, public, set(), set(), "")
    if not ids:
        return []
    concepts = Service.concepts.through.objects.filter(service_id__in=ids, concept__kind="service_class")
    for sid, code in concepts.values_list("service_id", "concept__code"):
        if code:
            found[sid].class_codes.add(code)
    for sid, theme_id in Service.themes.through.objects.filter(service_id__in=ids).values_list(
        "service_id", "theme_id"
    ):
        found[sid].themes.add(theme_id)
    curations = ServiceCuration.objects.filter(service_id__in=ids)
    for sid, override in curations.exclude(scope_override="").values_list("service_id", "scope_override"):
        found[sid].override = override
    extra = ServiceCuration.extra_themes.through.objects.filter(servicecuration__service_id__in=ids)
    for sid, theme_id in extra.values_list("servicecuration__service_id", "theme_id"):
        found[sid].extra.add(theme_id)
    return list(found.values())


def _moves(class_themes: ClassThemes, candidates: list[Candidate]) -> list[Move]:
    moves = []
    for c in candidates:
        status = scope_status(c.class_codes, class_themes, c.words)
        public = public_for(status, c.override)
        themes = themes_of(c.class_codes, class_themes)
        if (status, public, themes) != (c.status, c.public, c.themes):
            moves.append(Move(c, status, public, themes))
    return moves


def _counts(moves: list[Move], theme_id: int | None) -> dict[str, int]:
    """How many services a change moves: into and out of residents' view, and of `theme_id`."""
    counts = {
        "public_added": sum(m.public and not m.candidate.public for m in moves),
        "public_removed": sum(m.candidate.public and not m.public for m in moves),
        "theme_added": 0,
        "theme_removed": 0,
    }
    if theme_id is not None:
        for m in moves:
            before = m.candidate.public and theme_id in (m.candidate.themes | m.candidate.extra)
            after = m.public and theme_id in (m.themes | m.candidate.extra)
            counts["theme_added"] += after and not before
            counts["theme_removed"] += before and not after
    return counts


def _clean_codes(codes: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    for code in cleaned:
        if len(code) > 20:
            raise ScopeError(f"too long a class code: {code[:30]}")
    return cleaned


def scope_preview(*, theme: Theme, codes: Iterable[str]) -> dict[str, int]:
    """What saving `codes` as the theme's classes would move, counted from the stored rows."""
    class_themes = class_themes_map({theme.id: _clean_codes(codes)})
    return _counts(_moves(class_themes, _candidates()), theme.id)


def scope_write(moves: list[Move]) -> list[int]:
    """Store the moves and re-index the moved services (search, facets and pages see them at once).

    Returns the ids of the services now shown that were not: the sync does not embed
    out-of-scope rows, so the caller embeds these (catalog.services does, after the commit).
    """
    from catalog.search.indexing import services_index_lexical

    if not moves:
        return []
    groups: dict[tuple[str, bool], list[int]] = {}
    for m in moves:
        groups.setdefault((m.status, m.public), []).append(m.candidate.id)
    for (status, public), ids in groups.items():
        Service.objects.filter(id__in=ids).update(scope_status=status, is_public=public)
    theme_moves = [m for m in moves if m.themes != m.candidate.themes]
    if theme_moves:
        through = Service.themes.through
        through.objects.filter(service_id__in=[m.candidate.id for m in theme_moves]).delete()
        through.objects.bulk_create(
            [through(service_id=m.candidate.id, theme_id=t) for m in theme_moves for t in sorted(m.themes)]
        )
    services_index_lexical(service_ids=[m.candidate.id for m in moves])
    return [m.candidate.id for m in moves if m.public and not m.candidate.public]


def scope_moves(*, service_ids: Iterable[int] | None = None) -> list[Move]:
    """What the current mapping and overrides change in the stored rows (all, or `service_ids`)."""
    return _moves(class_themes_map(), _candidates(service_ids))


def scope_counts(moves: list[Move], theme_id: int | None = None) -> dict[str, int]:
    return _counts(moves, theme_id)


def clean_codes(codes: Iterable[str]) -> list[str]:
    return _clean_codes(codes)


def scope_summary() -> dict:
    """How many published PTV services are stored per scope status, and how many are public."""
    rows = Service.objects.filter(source=Source.PTV, publishing_status="Published")
    return {
        "in_scope": rows.filter(scope_status=ScopeStatus.IN).count(),
        "out_class": rows.filter(scope_status=ScopeStatus.CLASS).count(),
        "out_heavy_care": rows.filter(scope_status=ScopeStatus.HEAVY_CARE).count(),
        "public": rows.filter(is_public=True).count(),
    }
