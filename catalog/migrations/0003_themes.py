from django.db import migrations


def create_themes(apps, schema_editor):
    from catalog.themes import THEMES

    Theme = apps.get_model("catalog", "Theme")
    for order, data in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(slug=data["slug"], defaults={**data, "order": order})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
