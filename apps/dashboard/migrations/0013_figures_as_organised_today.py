"""Totals as organised today kept like the totals as organised then (issue 16 part 2, measured in part 8).

A CĐCS that joins, leaves or changes its federation notes both federations (the trigger
``dashboard_note_restatement``); every federation is noted here once, so the kept days get their
totals as organised today at the first read after the migration.
"""

import django.db.models.deletion
from django.db import migrations, models

from apps.core.db import note_changes_trigger

RESTATEMENT_NOTE = "INSERT INTO dashboard_pendingrestatement (federation_id) SELECT {row}.federation_id"


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0012_figures_as_organised_then"),
        ("unions", "0011_federation_tree_path"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingRestatement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("federation_id", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "pending restatement",
                "verbose_name_plural": "pending restatements",
            },
        ),
        migrations.CreateModel(
            name="FederationFiguresToday",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unions", models.PositiveIntegerField()),
                ("members", models.PositiveIntegerField()),
                ("workers", models.PositiveIntegerField()),
                ("female_members", models.PositiveIntegerField()),
                ("female_workers", models.PositiveIntegerField()),
                ("foreign_members", models.PositiveIntegerField()),
                ("groups", models.PositiveIntegerField()),
                ("unions_with_groups", models.PositiveIntegerField()),
                ("unions_with_department_unions", models.PositiveIntegerField()),
                ("quiet_groups", models.PositiveIntegerField()),
                ("joined", models.PositiveIntegerField()),
                ("transferred_in", models.PositiveIntegerField()),
                ("transferred_out", models.PositiveIntegerField()),
                ("left", models.PositiveIntegerField()),
                ("low_ratio", models.PositiveIntegerField(db_default=0)),
                ("few_members", models.PositiveIntegerField(db_default=0)),
                ("more_members_than_workers", models.PositiveIntegerField(db_default=0)),
                ("stale_workforce", models.PositiveIntegerField(db_default=0)),
                ("group_without_leader", models.PositiveIntegerField(db_default=0)),
                ("day", models.DateField()),
                (
                    "federation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="unions.federation"
                    ),
                ),
                (
                    "sector",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="unions.sector"
                    ),
                ),
            ],
            options={
                "verbose_name": "federation figures as organised today",
                "verbose_name_plural": "federation figures as organised today",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "federation", "sector"), name="federation_figures_today_one_per_day"
                    )
                ],
            },
        ),
        note_changes_trigger(
            name="dashboard_note_restatement",
            table="unions_grassrootsunion",
            note=RESTATEMENT_NOTE,
            watched=("federation_id",),
        ),
        migrations.RunSQL(
            "INSERT INTO dashboard_pendingrestatement (federation_id) SELECT id FROM unions_federation",
            migrations.RunSQL.noop,
        ),
    ]
