"""Figures count each CĐCS under its superior of the day (unions.UnionAffiliation), issue 16 part 2.

apps.dashboard.figures reads a CĐCS's federation of a day from its periods, so:
- a period inserted, deleted, or given another CĐCS, federation or start notes the CĐCS from
  its start: a move on D recomputes the kept days from D only. The first period also stands
  for the days before it (a CĐCS not yet founded is placed under its first superior), so a
  change to it notes every kept day. Its end reads nothing: a later period starts that day;
- the CĐCS's own federation is no longer read (but for a CĐCS that never had a period), so a
  change of it notes nothing; the union trigger watches the rest as before.

The rows kept so far stay exact: unions/0008 gave each CĐCS one period under the federation
the rows were computed with.
"""

from django.db import migrations

from apps.core.db import note_changes_trigger

NOTE = "INSERT INTO dashboard_pendingfigureschange (union_id, since) "

AFFILIATION_NOTE = (
    NOTE + "SELECT {row}.union_id, CASE WHEN EXISTS ("
    "SELECT 1 FROM unions_unionaffiliation e WHERE e.union_id = {row}.union_id AND e.started_on < {row}.started_on"
    ") THEN {row}.started_on ELSE '0001-01-01' END"
)
UNION_NOTE = NOTE + "SELECT {row}.id, '0001-01-01'"
UNION_WATCHED_BEFORE = ("federation_id", "sector_id", "name", "established_on", "dissolved_on")


def _reverse(operation: migrations.RunPython) -> migrations.RunPython:
    return migrations.RunPython(operation.reverse_code, operation.code)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0011_foreign_members"),
        ("unions", "0008_affiliations_of_existing_unions"),
    ]

    operations = [
        note_changes_trigger(
            name="dashboard_note_affiliation",
            table="unions_unionaffiliation",
            note=AFFILIATION_NOTE,
            watched=("union_id", "federation_id", "started_on"),
        ),
        _reverse(
            note_changes_trigger(
                name="dashboard_note_union",
                table="unions_grassrootsunion",
                note=UNION_NOTE,
                watched=UNION_WATCHED_BEFORE,
            )
        ),
        note_changes_trigger(
            name="dashboard_note_union",
            table="unions_grassrootsunion",
            note=UNION_NOTE,
            watched=UNION_WATCHED_BEFORE[1:],
        ),
    ]
