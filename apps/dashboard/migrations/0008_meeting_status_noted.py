from django.db import migrations

from apps.core.db import note_changes_trigger

# A group meeting counts for the "quiet groups" figure only when it took place, so a change
# of status (cancelled, held) changes the figures: the meeting trigger now watches it too.
# On SQLite, meetings/0004 rebuilt meetings_meeting (new NOT NULL columns, a check), which
# drops the table's triggers: they are created again here in any case.
MEETING_NOTE = note_changes_trigger(
    name="dashboard_note_meeting",
    table="meetings_meeting",
    note=(
        "INSERT INTO dashboard_pendingfigureschange (union_id, since) "
        "SELECT ug.union_id, {row}.held_on FROM union_groups_uniongroup ug WHERE ug.id = {row}.group_id"
    ),
    watched=("group_id", "held_on", "status"),
)
BEFORE = note_changes_trigger(
    name="dashboard_note_meeting",
    table="meetings_meeting",
    note=(
        "INSERT INTO dashboard_pendingfigureschange (union_id, since) "
        "SELECT ug.union_id, {row}.held_on FROM union_groups_uniongroup ug WHERE ug.id = {row}.group_id"
    ),
    watched=("group_id", "held_on"),
)


def replace(new):
    def run(apps, schema_editor):
        # Dropping what is there (nothing, on a rebuilt SQLite table) before creating it again.
        MEETING_NOTE.reverse_code(apps, schema_editor)
        new.code(apps, schema_editor)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0007_note_inserts_per_statement"),
        ("meetings", "0004_meetings_in_full"),
    ]

    operations = [migrations.RunPython(replace(MEETING_NOTE), replace(BEFORE))]
