from django.db import migrations

from apps.core.db import postgresql_only


class Migration(migrations.Migration):
    # Member search at city scale (issue 4), on PostgreSQL; SQLite scans, which is fine at its size.
    # - By name: folded_search asks search_name LIKE '%word%' for each word; a trigram
    #   index answers that without reading every member.
    # - By the start of the ID number: national_id LIKE '0791%'; the pattern-ops index
    #   answers a prefix whatever the database's collation (the existing unique index
    #   covers active members only).
    dependencies = [("members", "0005_member_federation")]

    operations = [
        postgresql_only("CREATE EXTENSION IF NOT EXISTS pg_trgm", "SELECT 1"),
        postgresql_only(
            "CREATE INDEX member_search_name_trgm ON members_member USING gin (search_name gin_trgm_ops)",
            "DROP INDEX IF EXISTS member_search_name_trgm",
        ),
        postgresql_only(
            "CREATE INDEX member_national_id_prefix ON members_member (national_id varchar_pattern_ops)",
            "DROP INDEX IF EXISTS member_national_id_prefix",
        ),
        # ID numbers crowd into a few prefixes (half of them start 001): with the default
        # histogram the planner guessed 4 rows for "0791…" where there are 6,000.
        postgresql_only(
            "ALTER TABLE members_member ALTER COLUMN national_id SET STATISTICS 1000",
            "ALTER TABLE members_member ALTER COLUMN national_id SET STATISTICS -1",
        ),
    ]
