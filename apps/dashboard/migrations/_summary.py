"""Shared by the dashboard migrations that change what a kept day holds (the loader skips "_" modules)."""


def forget_kept_days(apps, schema_editor):
    """Drop the kept days and their rows: readers compute them again with the new definition."""
    for name in ("UnionFigures", "FederationFigures", "FiguresDay"):
        apps.get_model("dashboard", name).objects.all().delete()
