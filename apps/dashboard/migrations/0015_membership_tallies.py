"""Membership tallies: members and movements as running sums per union and day (issue 17, part 1)."""

from django.db import migrations, models


def count_tallies(apps, schema_editor):
    # The figures are computed from the tallies from now on: count them for the periods there
    # are (the kept days were counted from the periods themselves and stay exact). Through the
    # portal's own SQL, which this migration's table matches; a database without periods (a new
    # one) has nothing to count.
    if apps.get_model("members", "MembershipPeriod").objects.exists():
        from apps.dashboard.figures import recount_tallies

        recount_tallies()


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0014_worst_stale_index'),
        ('members', '0011_member_nationality_contract'),
    ]

    operations = [
        migrations.CreateModel(
            name='MembershipTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('members', models.IntegerField()),
                ('female_members', models.IntegerField()),
                ('foreign_members', models.IntegerField()),
                ('joined', models.IntegerField()),
                ('transferred_in', models.IntegerField()),
                ('transferred_out', models.IntegerField()),
                ('left', models.IntegerField()),
                ('union_id', models.BigIntegerField()),
                ('day', models.DateField()),
            ],
            options={
                'verbose_name': 'membership tally',
                'verbose_name_plural': 'membership tallies',
                'constraints': [models.UniqueConstraint(fields=('union_id', 'day'), name='membership_tally_one_per_day')],
            },
        ),
        migrations.RunPython(count_tallies, migrations.RunPython.noop),
]
