"""Every database trigger the portal installs, in one list, with why it exists.

The migrations install them (through the helpers in ``apps.core.db`` or their own SQL);
this list only names them. ``tests/core/test_triggers.py`` compares it with the
triggers the migrated database really has, on PostgreSQL and on SQLite, both ways:
a trigger added, renamed or dropped by a migration must be entered here too.

One entry is one rule. PostgreSQL runs a rule as one trigger (or two, when updates
are filtered on their own); SQLite has no ``INSERT OR UPDATE`` triggers, so the same
rule is one trigger per event there. Each entry names exactly what each database has.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection as default_connection


@dataclass(frozen=True)
class Trigger:
    """One rule a table's triggers keep, and the names of those triggers on each database."""

    table: str
    name: str
    purpose: str
    postgresql: tuple[str, ...]
    sqlite: tuple[str, ...]

    def names_on(self, vendor: str) -> tuple[str, ...]:
        """The trigger names this rule has on ``vendor`` ("postgresql" or "sqlite")."""
        return {"postgresql": self.postgresql, "sqlite": self.sqlite}[vendor]


def _same_union(name: str, table: str, purpose: str) -> Trigger:
    # apps.core.db.same_union_trigger: one BEFORE INSERT OR UPDATE trigger; on SQLite one per event.
    return Trigger(table, name, purpose, postgresql=(name,), sqlite=(f"{name}_ins", f"{name}_upd"))


def _note_changes(name: str, table: str, purpose: str, *, inserts_per_statement: bool = False) -> Trigger:
    # apps.core.db.note_changes_trigger: inserts and deletes, then updates of the watched columns;
    # with apps.core.db.note_inserts_per_statement, PostgreSQL notes inserts in a statement trigger of their own.
    postgresql = (name, f"{name}_upd", f"{name}_ins") if inserts_per_statement else (name, f"{name}_upd")
    return Trigger(table, name, purpose, postgresql=postgresql, sqlite=(f"{name}_ins", f"{name}_del", f"{name}_upd"))


_FIGURES = "notes the CĐCS and day whose dashboard figures change when"

TRIGGERS: tuple[Trigger, ...] = (
    # Integrity that Django's constraints cannot say, kept for imports and bulk writes too
    # (union_groups/0002, members/0002).
    _same_union(
        "uniongroup_department_same_union",
        "union_groups_uniongroup",
        "a group's department union belongs to the group's own CĐCS",
    ),
    _same_union("members_member_group_same_union", "members_member", "a member's group belongs to the member's CĐCS"),
    _same_union(
        "members_membershipperiod_group_same_union",
        "members_membershipperiod",
        "a membership period's group belongs to that period's CĐCS",
    ),
    _same_union(
        "members_unionofficial_group_same_union",
        "members_unionofficial",
        "an official's group belongs to the CĐCS they serve",
    ),
    _same_union(
        "members_unionofficial_member_same_union",
        "members_unionofficial",
        "an official is a member of the CĐCS they serve",
    ),
    # Member.federation, a copy of the member's union's federation that scoping reads (members/0005).
    Trigger(
        "members_member",
        "members_member_federation",
        "fills a member's federation from their CĐCS on every write (SQLite corrects the row just written)",
        postgresql=("members_member_federation",),
        sqlite=("members_member_federation_ins", "members_member_federation_upd"),
    ),
    Trigger(
        "unions_grassrootsunion",
        "unions_grassrootsunion_member_federation",
        "moves the members' federation copy when their CĐCS moves to another federation",
        postgresql=("unions_grassrootsunion_member_federation",),
        sqlite=("unions_grassrootsunion_member_federation",),
    ),
    # The dashboard's summary tables (dashboard/0002, 0007): every reader applies the notes first.
    _note_changes(
        "dashboard_note_period",
        "members_membershipperiod",
        f"{_FIGURES} a membership period changes",
        inserts_per_statement=True,
    ),
    _note_changes(
        "dashboard_note_member",
        "members_member",
        f"{_FIGURES} a member's gender or nationality changes",
        inserts_per_statement=True,
    ),
    _note_changes(
        "dashboard_note_workforce", "unions_workforcedeclaration", f"{_FIGURES} a workforce declaration changes"
    ),
    _note_changes(
        "dashboard_note_union", "unions_grassrootsunion", f"{_FIGURES} a CĐCS is added, moved, renamed or dissolved"
    ),
    # dashboard/0012: a CĐCS's figures of a day count under its superior of that day.
    _note_changes(
        "dashboard_note_affiliation",
        "unions_unionaffiliation",
        f"{_FIGURES} a CĐCS's period under a superior union changes (a move)",
    ),
    # dashboard/0013: the totals as organised today follow a CĐCS to its federation of today.
    _note_changes(
        "dashboard_note_restatement",
        "unions_grassrootsunion",
        "notes the federations whose totals as organised today change when a CĐCS is added, moved or deleted",
    ),
    _note_changes("dashboard_note_group", "union_groups_uniongroup", f"{_FIGURES} a union group changes"),
    _note_changes(
        "dashboard_note_department_union", "unions_departmentunion", f"{_FIGURES} a department union changes"
    ),
    _note_changes(
        "dashboard_note_meeting",
        "meetings_meeting",
        f"{_FIGURES} a group's meeting changes",
        inserts_per_statement=True,
    ),
    _note_changes("dashboard_note_official", "members_unionofficial", f"{_FIGURES} a union office changes"),
)


def expected_triggers(vendor: str) -> set[tuple[str, str]]:
    """(table, trigger name) of every trigger the registry says ``vendor`` has."""
    return {(trigger.table, name) for trigger in TRIGGERS for name in trigger.names_on(vendor)}


def installed_triggers(connection=None) -> set[tuple[str, str]]:
    """(table, trigger name) of every trigger in the database, leaving out those PostgreSQL makes for constraints."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND t.tgconstraint = 0 AND n.nspname = current_schema()"
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            raise NotImplementedError(f"No trigger listing for the {connection.vendor} database.")
        return {(table, name) for table, name in cursor.fetchall()}
