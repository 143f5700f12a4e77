from django.db import migrations, models

from apps.core.db import add_column_in_place, fill_folded_copy


class Migration(migrations.Migration):
    # Groups are found by their own name, accents optional (the admin searched the union's only).
    dependencies = [("union_groups", "0003_history")]

    operations = [
        add_column_in_place(
            model_name="uniongroup",
            field_name="search_name",
            field=models.CharField(default="", editable=False, max_length=255),
            table="union_groups_uniongroup",
            column_sql="varchar(255) NOT NULL DEFAULT ''",
        ),
        fill_folded_copy(app_label="union_groups", model_name="uniongroup"),
    ]
