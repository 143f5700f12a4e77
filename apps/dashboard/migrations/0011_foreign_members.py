from django.db import migrations, models

from apps.dashboard.migrations._summary import forget_kept_days

# Trade Union Law 2024: foreign members are counted (figure_definitions "foreign_members").
# The kept days are dropped first (readers compute them again with the new column), so the
# columns are added to empty tables. A member's nationality now changes the figures: the
# update trigger of dashboard/0002 watches it beside the gender. Inserts and deletes are
# noted as before (the statement trigger of 0007 on PostgreSQL), whatever the columns.
NOTE = (
    "INSERT INTO dashboard_pendingfigureschange (union_id, since) "
    "SELECT q.union_id, q.started_on FROM members_membershipperiod q WHERE q.member_id = {row}.id"
)


def watch(*columns):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS dashboard_note_member_upd"
            + (" ON members_member" if vendor == "postgresql" else "")
        )
        if vendor == "postgresql":
            changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
            schema_editor.execute(
                f"CREATE TRIGGER dashboard_note_member_upd AFTER UPDATE OF {', '.join(columns)} ON members_member "
                f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION dashboard_note_member_fn();"
            )
        elif vendor == "sqlite":
            changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)
            schema_editor.execute(
                f"CREATE TRIGGER dashboard_note_member_upd AFTER UPDATE OF {', '.join(columns)} ON members_member "
                f"FOR EACH ROW WHEN {changed} BEGIN {NOTE.format(row='OLD')}; {NOTE.format(row='NEW')}; END;"
            )
        else:
            raise NotImplementedError(f"No change-noting trigger for the {vendor} database.")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0010_note_meeting_inserts_per_statement"),
        ("members", "0011_member_nationality_contract"),
    ]

    operations = [
        migrations.RunPython(forget_kept_days, migrations.RunPython.noop),
        migrations.AddField(
            model_name="unionfigures",
            name="foreign_members",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="federationfigures",
            name="foreign_members",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(watch("gender", "nationality"), watch("gender")),
    ]
