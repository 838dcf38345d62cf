"""The demo region's followed indicators and their themes (loaded by `load_demo`, not by a migration).

The ids belong to the synthetic demo fixtures (ingest/fixtures/sotkanet/README.md). In
production an admin adds the region's real Sotkanet indicators and picks their themes in
the Django admin (Väestöindikaattorit); which indicator feeds which theme is data.
"""

from __future__ import annotations

from catalog.models import Theme
from ingest.models import Indicator

# Sotkanet id -> (Finnish title until the first sync fills it in, theme slugs)
DEMO_INDICATORS: dict[int, tuple[str, tuple[str, ...]]] = {
    5527: ("Yksinäiseksi itsensä tuntevien osuus (%)", ("yhteisollisyys",)),
    5537: ("Vapaa-ajan liikuntaa harrastamattomien osuus (%)", ("liikunta",)),
    5553: ("Psyykkisesti merkittävästi kuormittuneiden osuus (%)", ("mieli",)),
    5566: ("Alkoholia liikaa käyttävien osuus (AUDIT-C) (%)", ("mieli",)),
    5579: ("Toimeentulotukea saaneet henkilöt vuoden aikana, % asukkaista", ("toimeentulo",)),
}


def demo_indicators_seed() -> int:
    """Create the demo indicators and their themes when the region follows none yet; returns how many."""
    if Indicator.objects.exists():
        return 0
    themes = {t.slug: t for t in Theme.objects.all()}
    for sotkanet_id, (title, slugs) in DEMO_INDICATORS.items():
        indicator = Indicator.objects.create(sotkanet_id=sotkanet_id, title_fi=title)
        indicator.themes.set([themes[s] for s in slugs if s in themes])
    return len(DEMO_INDICATORS)
