"""An index for the dashboard's list of CĐCS whose workforce declaration is missing or stale, worst first.

The list reads a day's counted rows ordered by ``declared_on`` (missing first) and takes ten:
without an index in that order PostgreSQL read every CĐCS's row of the day (20,000 for a city,
110 ms of the city dashboard's 130 ms of SQL at 1,000,000 members); with it, ten index entries
(0.1 ms). Missing declarations sort first: PostgreSQL says NULLS FIRST; SQLite sorts NULL first
in ascending order and refuses the words in an index. Not declared on the model for that reason.
"""

from django.db import migrations

NAME = "union_figures_worst_stale"
COLUMNS = {"postgresql": "day, declared_on NULLS FIRST, union_id", "sqlite": "day, declared_on, union_id"}


def create(apps, schema_editor):
    columns = COLUMNS[schema_editor.connection.vendor]
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON dashboard_unionfigures ({columns}) WHERE counted")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0013_figures_as_organised_today")]

    operations = [migrations.RunPython(create, drop)]
