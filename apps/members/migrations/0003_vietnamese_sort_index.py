from django.db import migrations

from apps.core.db import postgresql_only


class Migration(migrations.Migration):
    # Member lists are ordered by given name then full name in ICU's Vietnamese collation
    # (see apps.core.db.vietnamese_order); this index serves that order on PostgreSQL.
    atomic = True

    dependencies = [("members", "0002_group_same_union")]

    operations = [
        postgresql_only(
            'CREATE INDEX member_vi_sort ON members_member '
            '(given_name COLLATE "vi-x-icu", full_name COLLATE "vi-x-icu", id)',
            "DROP INDEX IF EXISTS member_vi_sort",
        ),
    ]
