"""The registry of database triggers (apps.core.triggers) names exactly the triggers the migrations install."""

from __future__ import annotations

from django.db import connection

from apps.core.triggers import TRIGGERS, expected_triggers, installed_triggers


def test_every_trigger_in_the_database_is_in_the_registry(db):
    extra = installed_triggers() - expected_triggers(connection.vendor)
    assert not extra, f"Triggers on {connection.vendor} missing from apps/core/triggers.py: {sorted(extra)}"


def test_every_trigger_in_the_registry_is_in_the_database(db):
    missing = expected_triggers(connection.vendor) - installed_triggers()
    assert not missing, f"Triggers in apps/core/triggers.py not installed on {connection.vendor}: {sorted(missing)}"


def test_each_rule_is_entered_once_and_says_why():
    assert len({(trigger.table, trigger.name) for trigger in TRIGGERS}) == len(TRIGGERS)
    for trigger in TRIGGERS:
        assert trigger.purpose and trigger.postgresql and trigger.sqlite, trigger.name
    for vendor in ("postgresql", "sqlite"):
        names = [name for trigger in TRIGGERS for name in trigger.names_on(vendor)]
        assert len(names) == len(set(names)), vendor
