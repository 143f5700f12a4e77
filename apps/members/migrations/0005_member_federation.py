import django.db.models.deletion
from django.db import migrations, models

# Member.federation is a copy of member.union.federation (issue 4): district staff of a
# city see a million members, and their scope read through the union join kept every
# list from walking an index in order. Triggers keep the copy right whoever writes the
# row (the admin, imports, bulk loads, COPY), and follow a union moved to another
# federation.

POSTGRES_FORWARDS = [
    """
    CREATE OR REPLACE FUNCTION members_member_federation_fn() RETURNS trigger AS $$
    BEGIN
        NEW.federation_id := (SELECT u.federation_id FROM unions_grassrootsunion u WHERE u.id = NEW.union_id);
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER members_member_federation BEFORE INSERT OR UPDATE OF union_id, federation_id "
    "ON members_member FOR EACH ROW EXECUTE FUNCTION members_member_federation_fn();",
    """
    CREATE OR REPLACE FUNCTION unions_grassrootsunion_member_federation_fn() RETURNS trigger AS $$
    BEGIN
        UPDATE members_member SET federation_id = NEW.federation_id WHERE union_id = NEW.id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER unions_grassrootsunion_member_federation AFTER UPDATE OF federation_id "
    "ON unions_grassrootsunion FOR EACH ROW WHEN (NEW.federation_id IS DISTINCT FROM OLD.federation_id) "
    "EXECUTE FUNCTION unions_grassrootsunion_member_federation_fn();",
    "UPDATE members_member m SET federation_id = u.federation_id FROM unions_grassrootsunion u WHERE u.id = m.union_id",
    # District staff's lists: their federation's members in the Vietnamese order (see
    # MemberQuerySet.visible_to and MemberAdmin.get_ordering); also serves the foreign key.
    'CREATE INDEX member_federation_vi_sort ON members_member '
    '(federation_id, given_name COLLATE "vi-x-icu", full_name COLLATE "vi-x-icu", id)',
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS member_federation_vi_sort",
    "DROP TRIGGER IF EXISTS unions_grassrootsunion_member_federation ON unions_grassrootsunion",
    "DROP FUNCTION IF EXISTS unions_grassrootsunion_member_federation_fn()",
    "DROP TRIGGER IF EXISTS members_member_federation ON members_member",
    "DROP FUNCTION IF EXISTS members_member_federation_fn()",
]

# SQLite triggers cannot change NEW: they correct the row just written instead.
SQLITE_UNION_FEDERATION = "(SELECT u.federation_id FROM unions_grassrootsunion u WHERE u.id = NEW.union_id)"
SQLITE_FORWARDS = [
    "CREATE TRIGGER members_member_federation_ins AFTER INSERT ON members_member FOR EACH ROW "
    f"BEGIN UPDATE members_member SET federation_id = {SQLITE_UNION_FEDERATION} WHERE id = NEW.id; END;",
    "CREATE TRIGGER members_member_federation_upd AFTER UPDATE OF union_id, federation_id ON members_member "
    f"FOR EACH ROW WHEN NEW.federation_id IS NOT {SQLITE_UNION_FEDERATION} "
    f"BEGIN UPDATE members_member SET federation_id = {SQLITE_UNION_FEDERATION} WHERE id = NEW.id; END;",
    "CREATE TRIGGER unions_grassrootsunion_member_federation AFTER UPDATE OF federation_id "
    "ON unions_grassrootsunion FOR EACH ROW WHEN NEW.federation_id IS NOT OLD.federation_id "
    "BEGIN UPDATE members_member SET federation_id = NEW.federation_id WHERE union_id = NEW.id; END;",
    "UPDATE members_member SET federation_id = "
    "(SELECT u.federation_id FROM unions_grassrootsunion u WHERE u.id = members_member.union_id)",
    "CREATE INDEX member_federation ON members_member (federation_id)",
]
SQLITE_BACKWARDS = [
    "DROP INDEX IF EXISTS member_federation",
    "DROP TRIGGER IF EXISTS unions_grassrootsunion_member_federation",
    "DROP TRIGGER IF EXISTS members_member_federation_upd",
    "DROP TRIGGER IF EXISTS members_member_federation_ins",
]


def forwards(apps, schema_editor):
    statements = {"postgresql": POSTGRES_FORWARDS, "sqlite": SQLITE_FORWARDS}.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"No member federation triggers for {schema_editor.connection.vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in {"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_history_and_transfers"),
        ("unions", "0003_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="federation",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="unions.federation",
                verbose_name="federation",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
