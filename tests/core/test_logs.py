"""The log: one JSON line per request and per event, each with its user and client address, nothing personal."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.logs import JsonFormatter, TextFormatter, mask_digits
from tests.conftest import Log
from tests.factories import MemberFactory

CLIENT = "10.1.2.3"
PASSWORD = "Mật-khẩu-thử-2021"


@pytest.fixture
def browser():
    return Client(REMOTE_ADDR=CLIENT, raise_request_exception=False)


@pytest.fixture
def member(union_a1):
    return MemberFactory(union=union_a1, full_name="Trần Thị Bích Ngọc", national_id="001190012345", phone="0912345678")


def assert_nothing_personal(log: Log, member=None) -> None:
    for secret in (PASSWORD, "canbo", *((member.full_name, member.national_id, member.phone) if member else ())):
        assert secret not in log.text, secret


def test_one_line_per_request_without_the_query_string(browser, log, district_staff, member):
    browser.force_login(district_staff)
    response = browser.get(reverse("portal:search"), {"q": member.national_id[:9] + " " + member.full_name})
    assert response.status_code == 200
    [line] = log.events("request")
    assert line["method"] == "GET" and line["path"] == reverse("portal:search") and line["status"] == 200
    assert line["user_id"] == district_staff.pk and line["client"] == CLIENT
    assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "unionportal.requests" and line["time"].endswith("+00:00")
    assert_nothing_personal(log, member)
    assert member.national_id[:9] not in log.text


def test_an_anonymous_request_has_no_user(browser, log, db):
    browser.get(reverse("admin:login"))
    [line] = log.events("request")
    assert line["user_id"] is None and line["client"] == CLIENT and line["status"] == 200


def test_sign_in_failed_sign_in_and_lockout(browser, log, district_staff, settings):
    district_staff.set_password(PASSWORD)
    district_staff.save()
    login = reverse("admin:login")
    browser.post(login, {"username": "canbo", "password": PASSWORD})
    [signed_in] = log.events("sign_in")
    assert signed_in["user_id"] == district_staff.pk and signed_in["client"] == CLIENT

    browser.post(reverse("admin:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post(login, {"username": "canbo", "password": "sai-mat-khau-" + PASSWORD})
    browser.post(login, {"username": "khong-co-ai", "password": "sai"})
    failed = log.events("sign_in_failed")
    assert len(failed) == settings.AXES_FAILURE_LIMIT + 1
    assert {line["account_id"] for line in failed} == {district_staff.pk, None}
    assert all(line["client"] == CLIENT and line["level"] == "WARNING" for line in failed)
    [locked] = log.events("locked_out")
    assert locked["account_id"] == district_staff.pk and locked["client"] == CLIENT
    assert_nothing_personal(log)
    assert "khong-co-ai" not in log.text


def test_every_view_of_whole_id_numbers(browser, log, district_staff, member):
    browser.force_login(district_staff)
    url = reverse("portal:member_edit", args=[member.union_id, member.pk])
    assert browser.get(url).status_code == 200
    [line] = log.events("id_numbers_view")
    assert line["user_id"] == district_staff.pk and line["client"] == CLIENT
    assert line["model"] == "members.member" and line["records"] == 1 and line["access_id"]
    assert_nothing_personal(log, member)


def test_exports_name_the_list_the_format_and_the_rows(browser, log, district_staff, member):
    browser.force_login(district_staff)
    assert browser.get(reverse("imports:export", args=["officials", "csv"])).status_code == 200
    assert browser.get(reverse("dashboard:export")).status_code == 200
    roster = reverse("admin:unions_grassrootsunion_members_xlsx", args=[member.union_id])
    assert browser.get(roster).status_code == 200
    lines = log.events("export")
    assert [(line["what"], line["format"]) for line in lines] == [
        ("officials", "csv"),
        ("dashboard", "xlsx"),
        ("union_roster", "xlsx"),
    ]
    assert lines[-1]["rows"] == 1 and lines[-1]["whole_id_numbers"] is True
    assert all(line["user_id"] == district_staff.pk and line["client"] == CLIENT for line in lines)
    # The roster with whole ID numbers is also in the access log's lines.
    assert log.events("id_numbers_export")
    assert_nothing_personal(log, member)


def test_the_admin_export_is_logged(browser, log, district_staff, member):
    browser.force_login(district_staff)
    response = browser.get(reverse("admin:members_member_export") + "?format=csv")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [line] = log.events("export")
    assert (line["what"], line["format"], line["user_id"]) == ("members", "csv", district_staff.pk)
    assert_nothing_personal(log, member)


def test_long_digit_runs_are_masked_even_in_tracebacks():
    assert mask_digits("Key (national_id)=(001190012345) exists; call 0912345678") == (
        "Key (national_id)=(00**********) exists; call 09********"
    )
    try:
        raise ValueError("duplicate 001190012345")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", ("0912345678",), None)
        record.exc_info = __import__("sys").exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert "0912345678" not in json.dumps(line) and "001190012345" not in line["exception"]
    assert "0912345678" not in TextFormatter().format(record)


def test_a_crashing_view_shows_the_vietnamese_page_and_no_traceback(browser, log, leader, monkeypatch, settings):
    assert settings.DEBUG is False

    def broken(*args, **kwargs):
        raise RuntimeError("Trần Thị Bích Ngọc 001190012345")

    monkeypatch.setattr("apps.dashboard.views.build_overview", broken)
    browser.force_login(leader)
    response = browser.get(reverse("dashboard:index"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in body and 'lang="vi"' in body
    for leak in ("Traceback", "RuntimeError", "Bích Ngọc", "001190012345", "build_overview"):
        assert leak not in body
    # The traceback is in the log, for the operator, with the ID number masked.
    [error] = [line for line in log.lines if line["logger"] == "django.request"]
    assert "RuntimeError" in error["exception"] and "001190012345" not in log.text
