from django.db import migrations


def forget_kept_days(apps, schema_editor):
    # The ratio of a union with members and no workers is now the highest, not empty:
    # drop the kept days, readers compute them again.
    for name in ("UnionFigures", "FederationFigures", "FiguresDay"):
        apps.get_model("dashboard", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0005_charter_check_counts")]

    operations = [migrations.RunPython(forget_kept_days, migrations.RunPython.noop)]
