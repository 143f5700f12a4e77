"""No ID-number oracle: a role that sees CCCD numbers masked cannot query them by any URL.

Leaders see the last four digits of an ID number. If any search, sort, filter,
autocomplete, export or JSON answer depended on the rest, comparing answers would give
the whole number back digit by digit. The proof: two members, identical except for
their ID numbers (which share the last four digits), swap numbers; every answer a
leader can get must stay byte for byte the same. District staff, who may query the
numbers, do see the swap (so the probes are not blind).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse

from apps.members import services
from apps.members.models import Member
from tests import factories

# Different in every one of the first eight digits, the same visible last four.
FIRST = "001090125555"
SECOND = "079187345555"


def _terms(*numbers: str) -> list[str]:
    """Every prefix and suffix of the numbers, and every run of three digits in them."""
    terms: set[str] = set()
    for number in numbers:
        for end in range(1, len(number) + 1):
            terms.add(number[:end])
            terms.add(number[-end:])
        for start in range(len(number) - 2):
            terms.add(number[start : start + 3])
    return sorted(terms)


TERMS = _terms(FIRST, SECOND)
# Lookups a crafted URL might try on the ID number, on the member list and through a relation.
ID_LOOKUPS = ["", "__startswith", "__istartswith", "__contains", "__endswith", "__gte", "__lt", "__regex", "__isnull"]
MEMBER_RELATIONS = {
    "members.member": "",
    "members.membershipperiod": "member__",
    "members.unionofficial": "member__",
    "members.transferrequest": "member__",
    "meetings.attendance": "member__",
    "unions.grassrootsunion": "members__",
    "union_groups.uniongroup": "members__",
}
AUTOCOMPLETE_SOURCES = [
    ("members", "unionofficial", "member"),
    ("meetings", "attendance", "member"),
    ("members", "membershipperiod", "member"),
]


@pytest.fixture
def twins(federation_a, union_a1, union_a2, district_staff):
    """Two members alike in everything but their ID numbers, with offices, attendance and transfers."""
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    meeting = factories.MeetingFactory(federation=federation_a, organiser_union=union_a1, title="Tọa đàm tổ")
    twins = []
    for number in (FIRST, SECOND):
        member = services.member_enrol(
            union=union_a1,
            group=group,
            joined_on=dt.date(2020, 1, 1),
            full_name="Nguyễn Văn An",
            gender="male",
            date_of_birth=dt.date(1990, 6, 5),
            national_id=number,
        )
        factories.UnionOfficialFactory(member=member, union=union_a1, role="executive", started_on=dt.date(2021, 1, 1))
        factories.AttendanceFactory(meeting=meeting, member=member, name="Nguyễn Văn An")
        services.transfer_request(member=member, to_union=union_a2, on=dt.date(2024, 1, 1), actor=district_staff)
        twins.append(member)
    return twins


def swap_numbers(first: Member, second: Member) -> None:
    """Give each twin the other's number, touching nothing else (no history, same updated_at)."""
    a, b = (Member.objects.filter(pk=first.pk), Member.objects.filter(pk=second.pk))
    number_a, number_b = a.get().national_id, b.get().national_id
    a.update(national_id=None)
    b.update(national_id=number_a)
    a.update(national_id=number_b)


def _query(params: dict) -> str:
    return "?" + urlencode(params) if params else ""


def _probes(user, twins) -> list[tuple[str, str, dict]]:
    """(method, url, post data) for every question the user could put about the twins."""
    probes: list[tuple[str, str, dict]] = []
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        is_member_list = label == "members.member"
        terms = TERMS if is_member_list else [FIRST, SECOND[:4], FIRST[:8]]
        probes += [("get", changelist + _query({"q": term}), {}) for term in terms]
        columns = len(model_admin.list_display) + 1  # + the action checkbox of those who have actions
        orderings = [str(i) for i in range(columns)] + [f"-{i}" for i in range(columns)]
        orderings += ["1.0", "-1.0", "2.1", "0.2"] if is_member_list else []
        probes += [("get", changelist + _query({"o": o}), {}) for o in orderings]
        if label in MEMBER_RELATIONS:
            path = MEMBER_RELATIONS[label] + "national_id"
            probes += [
                ("get", changelist + _query({path + lookup: value}), {})
                for lookup in ID_LOOKUPS
                for value in ([FIRST[:3], FIRST, "0010"] if lookup != "__isnull" else ["True"])
            ]
    member_list = reverse("admin:members_member_changelist")
    probes.append(("get", member_list + _query({"_to_field": "national_id", "_popup": "1"}), {}))
    autocomplete = reverse("admin:autocomplete")
    for index, (app_label, model_name, field_name) in enumerate(AUTOCOMPLETE_SOURCES):
        source = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        # Every source searches through the member admin: all terms through one, a few through the others.
        terms = TERMS if index == 0 else [FIRST, SECOND[:4]]
        probes += [("get", autocomplete + _query({**source, "term": term}), {}) for term in terms]
    export = reverse("admin:members_member_export")
    export_queries = [{"q": term} for term in TERMS] + [{"o": o} for o in ("1", "-1", "0.1", "-1.0")]
    export_queries += [{"national_id__startswith": FIRST[:3]}, {"national_id__gte": FIRST}]
    probes += [
        ("get", export + _query({**params, "format": extension}), {})
        for params in export_queries
        for extension in ("csv", "xlsx")
    ]
    for member in twins:
        probes.append(("get", reverse("admin:members_member_change", args=[member.pk]), {}))
        probes.append(("get", reverse("admin:members_member_history", args=[member.pk]), {}))
    probes += [
        ("get", reverse("dashboard:index"), {}),
        ("get", reverse("dashboard:json"), {}),
        ("get", reverse("dashboard:export"), {}),
    ]
    return probes


# Parts of a page that change with every request, whoever asks.
_PER_REQUEST = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'nonce="[^"]*"'),
]


def _answer(client, method: str, url: str, data: dict) -> tuple[int, bytes]:
    response = getattr(client, method)(url, data)
    body = response.getvalue()
    if body.startswith(b"PK"):
        # A workbook: its sheets, not the zip's timestamps or the file's creation time.
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            body = b"".join(workbook.read(name) for name in sorted(workbook.namelist()) if name != "docProps/core.xml")
    for pattern in _PER_REQUEST:
        body = pattern.sub(b"", body)
    return response.status_code, body


def _answers(client, probes) -> dict[tuple[str, str], tuple[int, bytes]]:
    return {(method, url): _answer(client, method, url, data) for method, url, data in probes}


def _differences(client, user, twins, *, only=None) -> list[str]:
    client.force_login(user)
    probes = [probe for probe in _probes(user, twins) if only is None or only(probe)]
    before = _answers(client, probes)
    swap_numbers(*twins)
    after = _answers(client, probes)
    swap_numbers(*twins)
    return [f"{method.upper()} {url}" for (method, url), answer in before.items() if after[(method, url)] != answer]


def test_leader_cannot_tell_two_members_apart_by_their_id_numbers(client, leader, twins):
    differences = _differences(client, leader, twins)
    assert not differences, "answers that changed with the numbers:\n" + "\n".join(differences)


def test_the_probes_do_see_the_numbers_where_they_may_be_queried(client, district_staff, twins):
    member_list = reverse("admin:members_member_changelist")
    autocomplete = reverse("admin:autocomplete")
    export = reverse("admin:members_member_export")

    def sample(probe) -> bool:
        _method, url, _data = probe
        return url in {f"{member_list}?q={FIRST[:3]}", f"{member_list}?o=2", f"{export}?q={FIRST}&format=csv"} or (
            url.startswith(autocomplete) and url.endswith(f"term={FIRST[:3]}")
        )

    differences = _differences(client, district_staff, twins, only=sample)
    # District staff search and sort by ID number (the column after the action checkbox and
    # the name), and see whole numbers in exports and forms.
    assert f"GET {member_list}?q={FIRST[:3]}" in differences
    assert f"GET {member_list}?o=2" in differences
    assert any(line.startswith("GET " + reverse("admin:autocomplete")) for line in differences)
    assert any(line.startswith("GET " + reverse("admin:members_member_export")) for line in differences)


def test_leader_sees_id_number_changes_masked_in_the_history(client, leader, district_staff, twins):
    member = twins[0]
    services.member_update(member=Member.objects.get(pk=member.pk), national_id="001090987654")
    client.force_login(leader)
    body = client.get(reverse("admin:members_member_history", args=[member.pk])).content.decode()
    assert "5555" in body and "7654" in body
    for hidden in ("00109012", "00109098"):
        assert hidden not in body
    client.force_login(district_staff)
    body = client.get(reverse("admin:members_member_history", args=[member.pk])).content.decode()
    assert FIRST in body and "001090987654" in body


def test_leader_list_offers_no_sorting_on_the_id_number(client, leader, district_staff, twins):
    def id_column_sortable(user) -> bool:
        client.force_login(user)
        changelist = client.get(reverse("admin:members_member_changelist")).context["cl"]
        (header,) = [h for h in result_headers(changelist) if "column-national_id_column" in h["class_attrib"]]
        return header["sortable"]

    assert not id_column_sortable(leader)
    assert id_column_sortable(district_staff)


def test_leader_is_not_invited_to_search_by_id_number(client, leader, district_staff, twins, vi):
    client.force_login(leader)
    assert "CCCD" not in client.get(reverse("admin:members_member_changelist")).context["cl"].search_help_text
    client.force_login(district_staff)
    assert "CCCD" in client.get(reverse("admin:members_member_changelist")).context["cl"].search_help_text
