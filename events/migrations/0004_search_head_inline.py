"""Keep events' `search_head` inside the row, as catalog 0023 does for services (same reason)."""

from django.db import migrations

FORWARD = [
    "alter table events_event alter column search_head set storage main",
    "update events_event set search_head = search_head || ''::tsvector where search_head is not null",
]
BACKWARD = ["alter table events_event alter column search_head set storage extended"]


class Migration(migrations.Migration):
    dependencies = [("events", "0003_real_source_fields")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
