"""Keep `search_head` inside the service row (storage MAIN) instead of in the TOAST table.

The lexical ranking reads `search_head` of every full-text match (ts_rank). Stored
out of line (PostgreSQL's default once a row passes ~2 kB, which 97 % of PTV rows do), each
read was a TOAST index lookup and chunk fetch: at 20,000 services ranking the ~4,000 matches
of a common word took 23 ms, 12 ms inline (README, "Search performance"). With MAIN the
wider columns (descriptions, `search_vector`, the embedding) go out of line first;
`search_head` (1.3 kB on average) is compressed or moved only when a row cannot fit otherwise.
Existing values are rewritten so they move in now, not at their next change.
"""

from django.db import migrations

FORWARD = [
    "alter table catalog_service alter column search_head set storage main",
    "update catalog_service set search_head = search_head || ''::tsvector where search_head is not null",
]
BACKWARD = ["alter table catalog_service alter column search_head set storage extended"]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0022_lexicon_colloquial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
