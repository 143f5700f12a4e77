"""Federations get a kind, a lifespan and the decisions that founded and ended them (issue 16, part 1).

The federations already recorded were the two levels the portal was built on: a federation
with no parent is a province or city federation, one with a parent a district federation.
Their founding dates are unknown (left empty); none has ended.
"""

import django.db.models.deletion
from django.db import migrations, models


def kind_from_parent(apps, schema_editor):
    Federation = apps.get_model("unions", "Federation")
    Federation.objects.filter(parent__isnull=True).update(kind="province")
    Federation.objects.filter(parent__isnull=False).update(kind="district")


class Migration(migrations.Migration):

    dependencies = [
        ('unions', '0005_grassrootsunion_kind'),
    ]

    operations = [
        migrations.AddField(
            model_name='federation',
            name='ended_on',
            field=models.DateField(blank=True, help_text='The first day it no longer exists (a body whose last day was 30/06/2025: 01/07/2025). Empty while it exists.', null=True, verbose_name='no longer exists from'),
        ),
        migrations.AddField(
            model_name='federation',
            name='founded_on',
            field=models.DateField(blank=True, null=True, verbose_name='founded on'),
        ),
        migrations.AddField(
            model_name='federation',
            name='kind',
            field=models.CharField(choices=[('province', 'province or city federation'), ('district', 'district federation'), ('commune', 'commune, ward or special-zone union'), ('industrial_zone', 'industrial-zone union'), ('sector_union', 'sector union'), ('other', 'other directly-superior union')], default='district', max_length=16, verbose_name='kind'),
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('number', models.CharField(help_text='For example 123/QĐ-LĐLĐ.', max_length=64, verbose_name='number')),
                ('signed_on', models.DateField(verbose_name='signed on')),
                ('issuer', models.CharField(help_text='The body that issued it, e.g. Ban Thường vụ LĐLĐ thành phố Hà Nội.', max_length=255, verbose_name='issued by')),
                ('summary', models.TextField(blank=True, verbose_name='summary')),
            ],
            options={
                'verbose_name': 'decision',
                'verbose_name_plural': 'decisions',
                'ordering': ['-signed_on', 'number'],
                'constraints': [models.UniqueConstraint(fields=('issuer', 'number', 'signed_on'), name='decision_unique_per_issuer', violation_error_message='This decision is already recorded.')],
            },
        ),
        migrations.AddField(
            model_name='federation',
            name='ending_decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ended_federations', to='unions.decision', verbose_name='ending decision'),
        ),
        migrations.AddField(
            model_name='federation',
            name='founding_decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='founded_federations', to='unions.decision', verbose_name='founding decision'),
        ),
        migrations.AddConstraint(
            model_name='federation',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('founded_on__isnull', True), ('ended_on__gt', models.F('founded_on')), _connector='OR'), name='federation_ended_after_founded', violation_error_message='A federation must have existed at least one day: end it after its founding.'),
        ),
        migrations.AddConstraint(
            model_name='federation',
            constraint=models.CheckConstraint(condition=models.Q(('ending_decision__isnull', True), ('ended_on__isnull', False), _connector='OR'), name='federation_ending_decision_has_date', violation_error_message='An ending decision needs the date the federation no longer exists from.'),
        ),
        # Last: rows updated before an ALTER TABLE of the same table could leave PostgreSQL with
        # pending trigger events in this transaction.
        migrations.RunPython(kind_from_parent, migrations.RunPython.noop),
    ]
