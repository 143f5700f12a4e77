"""Three b-tree indexes (four on PostgreSQL) that no query uses, written on every member insert.

- ``search_name``: searched by words anywhere in the name (LIKE '%word%'), which a b-tree
  cannot serve; the trigram index of 0006 does (and on PostgreSQL Django added a second,
  varchar_pattern_ops, copy for prefixes nobody asks).
- ``union_id`` of members and of periods: the first column of member_union_status and of
  period_union_dates, which serve every lookup by union.

A sheet of 100,000 new members writes each of them 100,000 times. Only the indexes are
dropped here: an AlterField would rebuild the tables on SQLite, and with them their triggers.
"""

import django.db.models.deletion
from django.db import migrations, models

from apps.core.db import postgresql_only

PLAIN = {
    "members_member_search_name_943cae1c": "members_member (search_name)",
    "members_member_union_id_7e3c1ad7": "members_member (union_id)",
    "members_membershipperiod_union_id_f4ec476a": "members_membershipperiod (union_id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_period_same_union_again_on_sqlite"),
        ("unions", "0004_search_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="search_name",
                    field=models.CharField(default="", editable=False, max_length=120),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="union",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="unions.grassrootsunion",
                        verbose_name="grassroots union",
                    ),
                ),
                migrations.AlterField(
                    model_name="membershipperiod",
                    name="union",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="membership_periods",
                        to="unions.grassrootsunion",
                        verbose_name="grassroots union",
                    ),
                ),
            ],
            database_operations=[
                postgresql_only(
                    "DROP INDEX IF EXISTS members_member_search_name_943cae1c_like",
                    "CREATE INDEX members_member_search_name_943cae1c_like"
                    " ON members_member (search_name varchar_pattern_ops)",
                ),
                *(
                    migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} ON {target}")
                    for name, target in PLAIN.items()
                ),
            ],
        ),
    ]
