from django.db import migrations

from apps.core.db import note_changes_trigger

# Every write to the data a union's dashboard figures come from notes the union and the
# first day it can change (apps.dashboard.figures applies the notes before figures are
# read). Triggers rather than signals: imports, bulk writes, COPY and raw SQL go around
# signals, never around triggers. Updates that leave the watched columns alone note nothing.
NOTE = "INSERT INTO dashboard_pendingfigureschange (union_id, since) "

# A period changes its own union's figures, and also how the same member's other periods
# read (a leave becomes a transfer when a period elsewhere starts the same day).
PERIOD_NOTE = (
    NOTE + "SELECT {row}.union_id, {row}.started_on UNION ALL "
    "SELECT q.union_id, q.started_on FROM members_membershipperiod q WHERE q.member_id = {row}.member_id"
)

NOTES = [
    ("dashboard_note_period", "members_membershipperiod", PERIOD_NOTE,
     ("member_id", "union_id", "started_on", "ended_on")),
    ("dashboard_note_member", "members_member",
     NOTE + "SELECT q.union_id, q.started_on FROM members_membershipperiod q WHERE q.member_id = {row}.id",
     ("gender",)),
    ("dashboard_note_workforce", "unions_workforcedeclaration",
     NOTE + "SELECT {row}.union_id, {row}.as_of",
     ("union_id", "as_of", "total_workers", "female_workers")),
    # A union's rows exist on every kept day (counted or not): a new or moved union is
    # recomputed on all of them.
    ("dashboard_note_union", "unions_grassrootsunion",
     NOTE + "SELECT {row}.id, '0001-01-01'",
     ("federation_id", "sector_id", "name", "established_on", "dissolved_on")),
    ("dashboard_note_group", "union_groups_uniongroup",
     NOTE + "SELECT {row}.union_id, {row}.established_on",
     ("union_id", "established_on", "dissolved_on")),
    ("dashboard_note_department_union", "unions_departmentunion",
     NOTE + "SELECT {row}.union_id, {row}.established_on",
     ("union_id", "established_on", "dissolved_on")),
    ("dashboard_note_meeting", "meetings_meeting",
     NOTE + "SELECT ug.union_id, {row}.held_on FROM union_groups_uniongroup ug WHERE ug.id = {row}.group_id",
     ("group_id", "held_on")),
    ("dashboard_note_official", "members_unionofficial",
     NOTE + "SELECT {row}.union_id, {row}.started_on",
     ("union_id", "group_id", "role", "started_on", "ended_on")),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("meetings", "0002_history"),
        ("members", "0007_member_sort_index_covers_scope"),
        ("union_groups", "0003_history"),
        ("unions", "0003_history"),
    ]

    operations = [
        note_changes_trigger(name=name, table=table, note=note, watched=watched)
        for name, table, note, watched in NOTES
    ]
