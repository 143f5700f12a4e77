"""Federations keep their place in a tree of any depth as a materialised path (issue 16, part 1).

``tree_path`` holds the ids from the root down to the federation itself ("/1/7/"); a subtree
is then one indexed prefix match. The existing rows' paths are filled from their parents;
going back drops the column, so the reverse step has nothing to undo.
"""

from django.db import migrations, models


def fill_tree_paths(apps, schema_editor):
    Federation = apps.get_model("unions", "Federation")
    parents = dict(Federation.objects.values_list("pk", "parent_id"))
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        # Iterative walk up to a root (or a federation whose path is known): no recursion limit.
        chain = []
        while pk is not None and pk not in paths:
            chain.append(pk)
            pk = parents[pk]
        path = paths[pk] if pk is not None else "/"
        for link in reversed(chain):
            path = paths[link] = f"{path}{link}/"
        return path

    rows = [Federation(pk=pk, tree_path=path_of(pk)) for pk in parents]
    Federation.objects.bulk_update(rows, ["tree_path"], batch_size=500)
    # Past versions are scoped by their own path: they take the federation's, where it is now.
    HistoricalFederation = apps.get_model("unions", "HistoricalFederation")
    HistoricalFederation.objects.update(
        tree_path=models.Subquery(Federation.objects.filter(pk=models.OuterRef("id")).values("tree_path")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0010_grassrootsunion_dissolution_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="federation",
            name="tree_path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="place in the hierarchy"
            ),
        ),
        migrations.AddField(
            model_name="historicalfederation",
            name="tree_path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="place in the hierarchy"
            ),
        ),
        migrations.RunPython(fill_tree_paths, migrations.RunPython.noop),
    ]
