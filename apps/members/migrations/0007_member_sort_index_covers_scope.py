from django.db import migrations

from apps.core.db import postgresql_only


class Migration(migrations.Migration):
    # The Vietnamese-order index of 0003, now carrying federation_id (issue 4): a page of the
    # member list picks its ids from the index alone (an index-only scan, filtered on the
    # scope) and joins its unions and groups for those 50 rows only, so page 500 no longer
    # reads 25,000 rows from the table.
    dependencies = [("members", "0006_member_search_indexes")]

    operations = [
        postgresql_only(
            'CREATE INDEX member_vi_sort_scoped ON members_member '
            '(given_name COLLATE "vi-x-icu", full_name COLLATE "vi-x-icu", id) INCLUDE (federation_id)',
            "DROP INDEX IF EXISTS member_vi_sort_scoped",
        ),
        postgresql_only(
            "DROP INDEX IF EXISTS member_vi_sort",
            'CREATE INDEX member_vi_sort ON members_member '
            '(given_name COLLATE "vi-x-icu", full_name COLLATE "vi-x-icu", id)',
        ),
    ]
