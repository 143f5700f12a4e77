from django.db import migrations, models

from apps.core.db import add_column_in_place, fill_folded_copy


class Migration(migrations.Migration):
    # Department unions are found by their own name, accents optional (the admin searched the union's only).
    dependencies = [("unions", "0003_history")]

    operations = [
        add_column_in_place(
            model_name="departmentunion",
            field_name="search_name",
            field=models.CharField(default="", editable=False, max_length=255),
            table="unions_departmentunion",
            column_sql="varchar(255) NOT NULL DEFAULT ''",
        ),
        fill_folded_copy(app_label="unions", model_name="departmentunion"),
    ]
