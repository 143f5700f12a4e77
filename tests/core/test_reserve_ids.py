"""reserve_ids: ids for rows written with their ids (the demo's card numbers are made from them)."""

from __future__ import annotations

from apps.core.db import reserve_ids
from apps.unions.models import Federation
from tests import factories


def test_reserved_ids_are_new_even_after_the_last_row_was_deleted(db):
    gone = factories.FederationFactory()
    gone_id = gone.pk
    gone.delete()

    reserved = reserve_ids(Federation, 3)

    assert len(set(reserved)) == 3
    assert min(reserved) > gone_id
    Federation.objects.create(id=reserved[0], code="R1", name="Liên đoàn Lao động R1")
    # The database's own numbering carries on past the reserved ids.
    assert factories.FederationFactory().pk not in reserved
