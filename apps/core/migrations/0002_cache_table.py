from django.core.management import call_command
from django.db import migrations

# The table of the shared cache (settings.CACHES, Django's DatabaseCache), created with the
# schema so that no deploy step can forget it.


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS core_cache")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
