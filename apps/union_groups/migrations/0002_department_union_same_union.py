from django.db import migrations

from apps.core.db import same_union_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("union_groups", "0001_initial"),
    ]

    operations = [
        same_union_trigger(
            name="uniongroup_department_same_union",
            table="union_groups_uniongroup",
            fk_column="department_union_id",
            parent_table="unions_departmentunion",
            message="The department union must belong to the same grassroots union.",
        ),
    ]
