from django.db import migrations

from apps.core.db import note_inserts_per_statement

# Imports and bulk loads insert members and periods by the thousand (COPY): their notes
# are written once per statement, one per CĐCS, instead of one or more per row. The
# selects give what dashboard/0002's row notes gave, for every inserted row at once.


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0006_ratio_above_any_without_workers")]

    operations = [
        note_inserts_per_statement(
            name="dashboard_note_period",
            table="members_membershipperiod",
            select=(
                "SELECT i.union_id, i.started_on FROM inserted i UNION ALL "
                "SELECT q.union_id, q.started_on FROM members_membershipperiod q "
                "WHERE q.member_id IN (SELECT i.member_id FROM inserted i)"
            ),
        ),
        note_inserts_per_statement(
            name="dashboard_note_member",
            table="members_member",
            select=(
                "SELECT q.union_id, q.started_on FROM members_membershipperiod q "
                "WHERE q.member_id IN (SELECT i.id FROM inserted i)"
            ),
        ),
    ]
