"""Each CĐCS recorded so far gets its first period under a superior union (issue 16, part 2).

Until now a CĐCS belonged to its federation for its whole life: one period under it, from its
establishment, open while it is active, ended at its dissolution. A CĐCS dissolved the day it
was established belonged nowhere for a day and gets none. On PostgreSQL an exclusion
constraint (btree_gist) also refuses two periods of one CĐCS that overlap; SQLite has no such
constraint and relies on UnionAffiliation.clean() and the services.
"""

from django.db import migrations
from django.db.models import F, Q

BATCH = 2_000


def first_periods(apps, schema_editor):
    GrassrootsUnion = apps.get_model("unions", "GrassrootsUnion")
    UnionAffiliation = apps.get_model("unions", "UnionAffiliation")
    unions = GrassrootsUnion.objects.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=F("established_on")))
    rows = unions.order_by("pk").values_list("pk", "federation_id", "established_on", "dissolved_on")
    batch = []
    for union_id, federation_id, established_on, dissolved_on in rows.iterator(chunk_size=BATCH):
        batch.append(
            UnionAffiliation(
                union_id=union_id, federation_id=federation_id, started_on=established_on, ended_on=dissolved_on
            )
        )
        if len(batch) == BATCH:
            UnionAffiliation.objects.bulk_create(batch)
            batch = []
    UnionAffiliation.objects.bulk_create(batch)


def no_periods(apps, schema_editor):
    apps.get_model("unions", "UnionAffiliation").objects.all().delete()


def exclude_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE unions_unionaffiliation ADD CONSTRAINT affiliation_no_overlap "
        "EXCLUDE USING gist (union_id WITH =, daterange(started_on, ended_on) WITH &&)"
    )


def allow_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: dropping it could break anything else that came to use it.
    schema_editor.execute("ALTER TABLE unions_unionaffiliation DROP CONSTRAINT IF EXISTS affiliation_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("unions", "0007_unionaffiliation")]

    # The constraint first: PostgreSQL cannot alter a table with rows inserted in the same
    # transaction whose (deferred) foreign-key checks are still pending.
    operations = [
        migrations.RunPython(exclude_overlaps, allow_overlaps),
        migrations.RunPython(first_periods, no_periods),
    ]
