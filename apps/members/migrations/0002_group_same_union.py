from django.db import migrations

from apps.core.db import same_union_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("union_groups", "0002_department_union_same_union"),
    ]

    operations = [
        same_union_trigger(
            name=f"{table}_group_same_union",
            table=table,
            fk_column="group_id",
            parent_table="union_groups_uniongroup",
            message="The union group must belong to the same grassroots union.",
        )
        for table in ("members_member", "members_membershipperiod", "members_unionofficial")
    ] + [
        same_union_trigger(
            name="members_unionofficial_member_same_union",
            table="members_unionofficial",
            fk_column="member_id",
            parent_table="members_member",
            message="The official must be a member of this grassroots union.",
        ),
    ]
