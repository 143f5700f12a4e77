from django.db import migrations

from apps.dashboard.migrations._summary import forget_kept_days


# A cancelled group meeting no longer keeps its group from being quiet (figures.FIGURES_SQL):
# the days kept under the old rule are computed again.
class Migration(migrations.Migration):
    dependencies = [("dashboard", "0008_meeting_status_noted")]

    operations = [migrations.RunPython(forget_kept_days, migrations.RunPython.noop)]
