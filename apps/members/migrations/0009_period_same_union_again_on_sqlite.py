from django.db import migrations

from apps.core.db import same_union_trigger

# On SQLite, 0004 added a column with a default to members_membershipperiod, which Django
# does by rebuilding the table, and a rebuilt table loses its triggers: the rule of 0002
# (a period's group belongs to the period's union) was gone there. PostgreSQL kept it.
# tests/core/test_triggers.py now compares the database with apps/core/triggers.py.
PERIOD_GROUP_SAME_UNION = same_union_trigger(
    name="members_membershipperiod_group_same_union",
    table="members_membershipperiod",
    fk_column="group_id",
    parent_table="union_groups_uniongroup",
    message="The union group must belong to the same grassroots union.",
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = "
            "'members_membershipperiod_group_same_union_ins'"
        )
        if cursor.fetchone():
            return
    PERIOD_GROUP_SAME_UNION.code(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("members", "0008_member_federation_search_name")]

    # Going back leaves the triggers: 0002's own reversal drops them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
