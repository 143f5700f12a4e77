import pytest

from tests.imports.fake_kind import fake_kind_registered


@pytest.fixture
def fake_kind():
    with fake_kind_registered() as kind:
        yield kind
