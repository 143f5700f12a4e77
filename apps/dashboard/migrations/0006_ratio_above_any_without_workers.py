from django.db import migrations

from apps.dashboard.migrations._summary import forget_kept_days


# A union with members and no workers now ranks above any ratio: kept days are computed again.
class Migration(migrations.Migration):
    dependencies = [("dashboard", "0005_charter_check_counts")]

    operations = [migrations.RunPython(forget_kept_days, migrations.RunPython.noop)]
