"""What a resident puts into a sentence besides the need: free of charge, an age or life stage.

"ilmainen kuntosali ikäihmisille" asks for gyms, preferably free ones for older people. These
become soft boosts (engine.search), never silent filters: the page shows each as a chip that
takes it away (the `ignore` parameter), and the resident's own filters always win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.search import morphology
from catalog.search.query import query_words

FREE_WORDS = {"ilmainen", "maksuton", "ilmaiseksi", "maksutta", "gratis", "avgiftsfri", "avgiftsfritt", "free"}
# Target groups (PTV KR1.x) by Finnish lemma or a Swedish or English word.
LIFE_STAGES = {
    "KR1.1": {"ikäihminen", "ikääntynyt", "seniori", "vanhus", "eläkeläinen", "äldre", "senior", "seniorer",
              "pensionär", "pensionärer", "elderly", "seniors", "older", "pensioner", "pensioners"},
    "KR1.2": {"lapsi", "lapsiperhe", "vauva", "taapero", "koululainen", "barn", "barnfamilj", "barnfamiljer",
              "child", "children", "kids", "kid", "toddler"},
    "KR1.3": {"nuori", "nuoriso", "teini", "unga", "ungdom", "ungdomar", "youth", "teen", "teens", "teenager"},
}  # fmt: skip
_AGE = re.compile(r"(\d{1,3})\s*-?\s*(?:v\b|vuotia\w*|vuoti\w*|år\w*|years?\b|year-old\w*|yo\b)", re.IGNORECASE)
BOOST = 0.15  # a boosted hit's score grows by this share: it reorders near-equals, never buries a match


@dataclass(frozen=True)
class Understanding:
    free: bool = False
    target_group: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in {"free": self.free, "target_group": self.target_group}.items() if v}

    def __bool__(self) -> bool:
        return bool(self.free or self.target_group)


def _age_group(age: int) -> str:
    if age < 13:
        return "KR1.2"
    if age < 30:
        return "KR1.3"
    return "KR1.1" if age >= 65 else ""


def understand(query: str, *, ignore: tuple[str, ...] = ()) -> Understanding:
    """Free of charge and a target group said in the query, minus what the resident took away."""
    words = [w.lower() for w in query_words(query)]
    lemmas = {lemma for w in words for lemma in morphology.analyse(w)[0]} | set(words)
    free = bool(lemmas & FREE_WORDS) and "free" not in ignore
    group = ""
    if "target_group" not in ignore:
        match = _AGE.search(query)
        if match:
            group = _age_group(int(match.group(1)))
        for code, stages in LIFE_STAGES.items():
            if not group and lemmas & stages:
                group = code
    return Understanding(free=free, target_group=group)
