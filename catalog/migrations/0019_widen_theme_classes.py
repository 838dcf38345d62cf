from django.db import migrations

# Issue #18: each theme takes in what its name promises. Housing support and youth guidance
# (Ohjaamo) under toimeentulo; family counselling, services for older people and carers'
# support under ohjaus (the last two mix in heavy care, which ingest.ptv.scope keeps out).
ADDED = {"toimeentulo": ["P28.5", "P1.4"], "ohjaus": ["P3.7", "P4.2", "P5.14"]}


def widen(apps, schema_editor):
    theme_model = apps.get_model("catalog", "Theme")
    for slug, codes in ADDED.items():
        for theme in theme_model.objects.filter(slug=slug):
            theme.service_class_codes = [*theme.service_class_codes, *(c for c in codes if c not in theme.service_class_codes)]
            theme.save(update_fields=["service_class_codes"])


def narrow(apps, schema_editor):
    theme_model = apps.get_model("catalog", "Theme")
    for slug, codes in ADDED.items():
        for theme in theme_model.objects.filter(slug=slug):
            theme.service_class_codes = [c for c in theme.service_class_codes if c not in codes]
            theme.save(update_fields=["service_class_codes"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0018_search_synonyms")]
    operations = [migrations.RunPython(widen, narrow)]
