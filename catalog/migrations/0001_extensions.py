from django.contrib.postgres.operations import CreateExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL extensions the catalog needs: pgvector, pg_trgm and unaccent."""

    initial = True
    dependencies = []
    operations = [
        CreateExtension("vector"),
        TrigramExtension(),
        UnaccentExtension(),
    ]
