from django.db import migrations

from apps.unions.sectors import ensure_standard_sectors


def seed(apps, schema_editor):
    ensure_standard_sectors(apps.get_model("unions", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("unions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
