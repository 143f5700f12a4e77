from django.db import migrations

from apps.core.db import postgresql_only


class Migration(migrations.Migration):
    # A district's name search (issue 4), on PostgreSQL. The trigram index of 0006 answers
    # "nguyen van" for the whole city: its bitmap holds ~48,000 members before the district
    # filter drops nine in ten, and the list's count (LIMIT 2,001) waited for all of it
    # (40-50 ms). With the folded name carried beside the federation, the count reads only
    # the district's own index entries and tests the words there, without the table
    # (an index-only scan, ~7 ms). A rare name or a city-wide search still takes the
    # trigram index: the planner picks between them by their estimates.
    dependencies = [("members", "0007_member_sort_index_covers_scope")]

    operations = [
        postgresql_only(
            "CREATE INDEX member_federation_search_name ON members_member (federation_id) INCLUDE (search_name)",
            "DROP INDEX IF EXISTS member_federation_search_name",
        ),
    ]
