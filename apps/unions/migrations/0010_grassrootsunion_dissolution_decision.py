import django.db.models.deletion
from django.db import migrations, models

from apps.core.db import postgresql_only

# The decision that dissolved a CĐCS (issue 16), recorded on the CĐCS and not only in its
# history label. The nullable column is added, and dropped, in place on both databases. The check (a decision
# only with a dissolution date) goes to PostgreSQL only, as members/0011's: SQLite can add a
# check only by rebuilding the table, which would drop the triggers on it and fail on those that
# name it. GrassrootsUnion.clean() and unions_dissolve keep the rule on both.
DISSOLUTION_DECISION_HAS_DATE = models.CheckConstraint(
    condition=models.Q(("dissolution_decision__isnull", True), ("dissolved_on__isnull", False), _connector="OR"),
    name="union_dissolution_decision_has_date",
    violation_error_message="A dissolution decision needs the date the union is dissolved on.",
)

INDEX = "unions_grassrootsunion_dissolution_decision_id_c05b338b"


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0009_federation_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="grassrootsunion",
                    name="dissolution_decision",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="dissolved_unions",
                        to="unions.decision",
                        verbose_name="dissolution decision",
                    ),
                )
            ],
            # Django's own SQL for the column and its index, on both databases; written out so that
            # going back drops them in place too (RemoveField would rebuild the table on SQLite).
            database_operations=[
                migrations.RunSQL(
                    [
                        "ALTER TABLE unions_grassrootsunion ADD COLUMN dissolution_decision_id bigint NULL "
                        "REFERENCES unions_decision (id) DEFERRABLE INITIALLY DEFERRED",
                        f"CREATE INDEX {INDEX} ON unions_grassrootsunion (dissolution_decision_id)",
                    ],
                    [
                        f"DROP INDEX IF EXISTS {INDEX}",
                        "ALTER TABLE unions_grassrootsunion DROP COLUMN dissolution_decision_id",
                    ],
                )
            ],
        ),
        migrations.AddField(
            model_name="historicalgrassrootsunion",
            name="dissolution_decision",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="unions.decision",
                verbose_name="dissolution decision",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(model_name="grassrootsunion", constraint=DISSOLUTION_DECISION_HAS_DATE)
            ],
            database_operations=[
                postgresql_only(
                    "ALTER TABLE unions_grassrootsunion ADD CONSTRAINT union_dissolution_decision_has_date "
                    "CHECK (dissolution_decision_id IS NULL OR dissolved_on IS NOT NULL)",
                    "ALTER TABLE unions_grassrootsunion DROP CONSTRAINT IF EXISTS union_dissolution_decision_has_date",
                )
            ],
        ),
    ]
