"""Roles as groups: professional, editor, manager, admin (accounts.access)."""

from django.db import migrations

ROLES = ("professional", "editor", "manager", "admin")
# Groups the first sessions used before the roles had names of their own.
LEGACY = {"professionals": "professional", "managers": "manager"}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in LEGACY.items():
        legacy = Group.objects.filter(name=old).first()
        if legacy is not None and not Group.objects.filter(name=new).exists():
            legacy.name = new
            legacy.save(update_fields=["name"])
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
