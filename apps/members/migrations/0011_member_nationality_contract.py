from django.db import migrations, models

import apps.core.countries
from apps.core.db import add_column_in_place, postgresql_only

# Trade Union Law 2024: foreign workers may join a CĐCS with a labour contract of 12 months
# or more. The member's own table gets its columns in place (a rebuilt SQLite table loses its
# triggers, see 0009); the rule's check goes to PostgreSQL only, as SQLite can add a check only
# by rebuilding the table. Member.clean() and the services say the rule on both.
FOREIGN_WORKER_CONTRACT = models.CheckConstraint(
    condition=models.Q(
        ("nationality", "VN"),
        models.Q(("contract_months__gte", 12), ("contract_months__isnull", False)),
        _connector="OR",
    ),
    name="member_foreign_worker_contract",
    violation_error_message="A foreign worker may join the union only with a labour contract of 12 months or more.",
)
CONTRACT_MONTHS = models.PositiveSmallIntegerField(
    blank=True,
    help_text="For foreign workers: at least 12 months.",
    null=True,
    verbose_name="labour contract term (months)",
)
NATIONALITY = models.CharField(
    choices=apps.core.countries.country_choices, default="VN", max_length=2, verbose_name="nationality"
)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_drop_indexes_no_query_uses"),
    ]

    operations = [
        migrations.AddField(model_name="historicalmember", name="contract_months", field=CONTRACT_MONTHS),
        migrations.AddField(model_name="historicalmember", name="nationality", field=NATIONALITY),
        add_column_in_place(
            model_name="member",
            field_name="contract_months",
            field=CONTRACT_MONTHS,
            table="members_member",
            column_sql='smallint NULL CHECK ("contract_months" >= 0)',
        ),
        add_column_in_place(
            model_name="member",
            field_name="nationality",
            field=NATIONALITY,
            table="members_member",
            column_sql="varchar(2) NOT NULL DEFAULT 'VN'",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="member", constraint=FOREIGN_WORKER_CONTRACT)],
            database_operations=[
                postgresql_only(
                    "ALTER TABLE members_member ADD CONSTRAINT member_foreign_worker_contract "
                    "CHECK (nationality = 'VN' OR (contract_months IS NOT NULL AND contract_months >= 12))",
                    "ALTER TABLE members_member DROP CONSTRAINT IF EXISTS member_foreign_worker_contract",
                )
            ],
        ),
    ]
