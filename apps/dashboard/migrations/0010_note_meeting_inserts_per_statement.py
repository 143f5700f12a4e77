from django.db import migrations

from apps.core.db import note_inserts_per_statement

# A year of a district's group meetings loaded at once (seed_demo, generate_synthetic, a
# bulk load) noted each group's union row by row, one query a meeting; now one statement
# notes each CĐCS once, as dashboard/0007 does for members and periods. Updates and deletes
# keep their row triggers (dashboard/0008).


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0009_cancelled_meetings_leave_groups_quiet")]

    operations = [
        note_inserts_per_statement(
            name="dashboard_note_meeting",
            table="meetings_meeting",
            select=(
                "SELECT ug.union_id, i.held_on FROM inserted i "
                "JOIN union_groups_uniongroup ug ON ug.id = i.group_id"
            ),
        ),
    ]
