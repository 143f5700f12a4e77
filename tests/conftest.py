"""Personas and shared fixtures.

Two federations; in federation A two unions (A1, A2) each with a chair. Every access
test runs as each persona and also checks the outsider (another union, another federation).
"""

from __future__ import annotations

import io
import json
import logging

import pytest

from apps.accounts.models import User
from apps.core.logs import JsonFormatter, RequestContextFilter
from tests import factories

PASSWORD = "Mat-khau-an-toan-2021"


@pytest.fixture
def federation_a(db):
    return factories.FederationFactory(code="HBT", name="Liên đoàn Lao động quận Hai Bà Trưng")


@pytest.fixture
def federation_b(db):
    return factories.FederationFactory(code="DD", name="Liên đoàn Lao động quận Đống Đa")


@pytest.fixture
def union_a1(federation_a):
    return factories.GrassrootsUnionFactory(
        federation=federation_a,
        code="A1",
        name="Công đoàn Trường THCS Ngô Quyền",
        employer_name="Trường THCS Ngô Quyền",
    )


@pytest.fixture
def union_a2(federation_a):
    return factories.GrassrootsUnionFactory(
        federation=federation_a, code="A2", name="Công đoàn Công ty CP May Thăng Long", employer_name="May Thăng Long"
    )


@pytest.fixture
def union_b1(federation_b):
    return factories.GrassrootsUnionFactory(
        federation=federation_b, code="B1", name="Công đoàn Bệnh viện Đống Đa", employer_name="Bệnh viện Đống Đa"
    )


@pytest.fixture
def district_staff(federation_a):
    return factories.UserFactory(username="canbo", role=User.Role.DISTRICT_STAFF, federation=federation_a)


@pytest.fixture
def leader(federation_a):
    return factories.UserFactory(username="lanhdao", role=User.Role.LEADER, federation=federation_a)


@pytest.fixture
def chair_a1(union_a1):
    return factories.UserFactory(username="chutich_a1", role=User.Role.UNION_CHAIR, union=union_a1)


@pytest.fixture
def chair_a2(union_a2):
    return factories.UserFactory(username="chutich_a2", role=User.Role.UNION_CHAIR, union=union_a2)


@pytest.fixture
def staff_b(federation_b):
    return factories.UserFactory(username="canbo_b", role=User.Role.DISTRICT_STAFF, federation=federation_b)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("quantri", "quantri@example.org", PASSWORD)


@pytest.fixture
def vi(settings):
    """Run in Vietnamese, whatever the request says."""
    from django.utils import translation

    with translation.override("vi"):
        yield


class Log:
    """What the production handler writes, line by line, parsed."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter())
        self.handler.addFilter(RequestContextFilter())

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def events(self, event: str) -> list[dict]:
        return [line for line in self.lines if line.get("event") == event]


@pytest.fixture
def log():
    captured = Log()
    root = logging.getLogger()
    root.addHandler(captured.handler)
    yield captured
    root.removeHandler(captured.handler)
