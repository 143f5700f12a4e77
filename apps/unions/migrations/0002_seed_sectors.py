from django.db import migrations

# The sectors a district federation reports on; names are the ones in its reports.
SECTORS = [
    ("hcsn", "Hành chính sự nghiệp", False, 10),
    ("truong-hoc", "Trường học công lập", False, 20),
    ("dn-ngoai-nha-nuoc", "Doanh nghiệp ngoài nhà nước", True, 30),
    ("dn-nha-nuoc", "Doanh nghiệp nhà nước", True, 40),
    ("dn-fdi", "Doanh nghiệp có vốn đầu tư nước ngoài (FDI)", True, 50),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("unions", "Sector")
    for code, name, is_enterprise, order in SECTORS:
        Sector.objects.update_or_create(
            code=code, defaults={"name": name, "is_enterprise": is_enterprise, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("unions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
