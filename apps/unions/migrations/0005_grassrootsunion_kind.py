from django.db import migrations, models

from apps.core.db import add_column_in_place

# Trade Union Law 2024: a nghiệp đoàn cơ sở (workers without a labour contract) is a kind of
# CĐCS. The column is added in place: rebuilding the table on SQLite would drop its triggers.
KIND = models.CharField(
    choices=[("union", "grassroots union"), ("occupational", "occupational union")],
    default="union",
    help_text="An occupational union (nghiệp đoàn cơ sở) gathers workers without a labour contract.",
    max_length=16,
    verbose_name="kind",
)


class Migration(migrations.Migration):
    dependencies = [("unions", "0004_search_name")]

    operations = [
        add_column_in_place(
            model_name="grassrootsunion",
            field_name="kind",
            field=KIND,
            table="unions_grassrootsunion",
            column_sql="varchar(16) NOT NULL DEFAULT 'union'",
        ),
        migrations.AddField(model_name="historicalgrassrootsunion", name="kind", field=KIND),
    ]
