"""No English on a Vietnamese page: every page each role can reach, walked with the test client.

Why: Django, its admin and the third-party apps (django-simple-history, django-axes)
each bring their own English; a string the portal's catalogue or Django's ``vi`` catalogue
does not translate shows as English on an otherwise Vietnamese page. Reading every page by
eye after each upgrade is not done, so this walks them.

As each persona (district staff, leader, a chair, a superuser) the walk starts at the admin
index, the dashboard and the import log and follows every link to a page of the portal, one
page per view and set of query parameters (so one change form per model, one history page,
one filter of each kind); it also posts every add form empty (the errors) and every change
form unchanged (the success message), inside a savepoint rolled back after. The visible text
of each page (text, ``title``, ``placeholder``, ``aria-label``, ``alt``, button values) is
checked against the English of the catalogues a page can show: Django's admin, auth and forms
messages, simple-history's, and the portal's own, less those whose
Vietnamese is deliberately the same word ("Email"); plus a few words seen left before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import django
import pytest
import simple_history
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from apps.accounts.models import PersonalDataAccess, User
from apps.accounts.services import personal_data_access_record
from apps.meetings.models import Meeting, MeetingDocument
from apps.members import services
from apps.members.models import UnionOfficial
from tests import factories

DJANGO = Path(django.__path__[0])
# Where each catalogue's English comes from: Django's "en" catalogues list every msgid of
# its version; django-simple-history ships no "en" (nor "vi") catalogue, so its French
# one lists its msgids.
ENGLISH_CATALOGUES = [
    DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    Path(simple_history.__path__[0]) / "locale/fr/LC_MESSAGES/django.po",
    Path(settings.LOCALE_PATHS[0]) / "vi/LC_MESSAGES/django.po",
]
VIETNAMESE_CATALOGUES = [
    DJANGO / "conf/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "contrib/admin/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/vi/LC_MESSAGES/django.po",
    Path(settings.LOCALE_PATHS[0]) / "vi/LC_MESSAGES/django.po",
]
# Left on pages before, whatever the catalogues say.
KNOWN_ENGLISH = [
    "Created",
    "Changed",
    "Deleted",
    "None",
    "Please correct",
    "Save",
    "History",
    "Add",
    "Delete",
    "Search",
    "Filter",
    "Change",
    "View",
    "Home",
    "Select",
    "Reason",
    "Date/time",
    "User",
    "Action",
]
# Vietnamese words (names of people and places in the seeded data, everyday words, and the
# countries' names of the nationality list: "Svalbard và Jan Mayen") that are also English
# words of a catalogue.
NOT_ENGLISH = {"an", "long", "may", "hoa", "ban", "tin", "do", "ha", "van", "to", "nam", "email", "jan"}
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# A path, a file name or a dotted name shown as data ("/admin/…", "members.member"): not prose.
# Or a value the login log writes for what it could not read ("<unknown>").
IDENTIFIER = re.compile(r"[\w./:-]*[./][\w./:-]*|<\w+>( \(\d+\))?")


def _messages(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _same_on_purpose() -> set[str]:
    """English kept as it is in a Vietnamese catalogue ("Email", "CSV")."""
    same = set()
    for path in VIETNAMESE_CATALOGUES:
        for message in _messages(path):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for english in ids:
                if any(text and text.casefold() == english.casefold() for text in strings):
                    same.add(english.casefold())
    return same


@dataclass(frozen=True)
class English:
    text: str
    pattern: re.Pattern
    words: frozenset[str]


def _english(text: str) -> English | None:
    parts = PLACEHOLDER.split(text.strip())
    words = frozenset(word.casefold() for part in parts for word in WORD.findall(part))
    if not words or words <= NOT_ENGLISH or max(len(word) for word in words) < 3:
        return None
    body = r"\s*.+?\s*".join(r"\s+".join(map(re.escape, part.split())) for part in parts)
    body = body.strip()
    start = r"(?<![\w])" if text.strip()[:1].isalnum() else ""
    end = r"(?![\w])" if text.strip()[-1:].isalnum() else ""
    return English(text.strip(), re.compile(start + body + end, re.IGNORECASE), words)


@pytest.fixture(scope="module")
def english() -> dict[str, list[English]]:
    """The English to look for, filed under its longest word (a page's words pick the few to try)."""
    same = _same_on_purpose()
    texts = set(KNOWN_ENGLISH)
    for path in ENGLISH_CATALOGUES:
        for message in _messages(path):
            if not message.id:
                continue
            texts.update(message.id if isinstance(message.id, tuple) else (message.id,))
    by_word: dict[str, list[English]] = {}
    for text in texts:
        item = None if text.casefold() in same or "\n" in text.strip() else _english(text)
        if item is not None:
            by_word.setdefault(max(item.words, key=len), []).append(item)
    return by_word


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read out or shown.

    Left out: scripts and styles, what is hidden (``hidden``, the admin's ``class="hidden"``)
    and what is in another language on purpose (the "English" switch, ``lang="en"``).
    """

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipped: str | None = None  # the tag whose subtree is left out
        self._depth = 0  # how many of that tag are open inside it

    def _left_out(self, tag, attributes) -> bool:
        language = attributes.get("lang") or "vi"
        return (
            tag in ("script", "style")
            or "hidden" in attributes
            or "hidden" in (attributes.get("class") or "").split()
            or (tag != "html" and not language.startswith("vi"))
        )

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._skipped is not None:
            self._depth += tag == self._skipped
            return
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if self._left_out(tag, attributes):
            if tag not in self.VOID:
                self._skipped, self._depth = tag, 1
            return
        for name in self.SHOWN_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == self._skipped:
            self._depth -= 1
            if not self._depth:
                self._skipped = None

    def handle_data(self, data):
        if self._skipped is None and data.strip():
            self.parts.append(" ".join(data.split()))


def english_left(html: str, english: dict[str, list[English]]) -> list[str]:
    """Each piece of visible text holding English, as ``English “text”``; an English piece inside a longer one once."""
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for part in dict.fromkeys(parser.parts):
        words = {word.casefold() for word in WORD.findall(part)}
        if not words - NOT_ENGLISH or IDENTIFIER.fullmatch(part):
            continue
        spans = []
        for item in {item for word in words for item in english.get(word, ())}:
            if item.words <= words:
                spans += [(match.start(), match.end(), item.text) for match in item.pattern.finditer(part)]
        for start, end, text in spans:
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _text in spans):
                found.add(text if text == part else f"{text} “{part}”")
    return sorted(found)


# ---------------------------------------------------------------------------------------
# The world: a small federation with one of everything, and some history.
# ---------------------------------------------------------------------------------------

PERSONAS = ["district_staff", "leader", "chair_a1", "superuser"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back at its end; each test in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _rolled_back_after_each_test(db):
    """Whatever a walk writes is undone before the next one."""


def _build_world() -> dict[str, User]:
    federation = factories.FederationFactory(code="HBT", name="Liên đoàn Lao động quận Hai Bà Trưng")
    union_a1 = factories.GrassrootsUnionFactory(
        federation=federation, code="A1", name="Công đoàn Trường THCS Ngô Quyền", employer_name="Trường THCS Ngô Quyền"
    )
    union_a2 = factories.GrassrootsUnionFactory(
        federation=federation, code="A2", name="Công đoàn Công ty CP May Thăng Long", employer_name="May Thăng Long"
    )
    users = {
        "superuser": User.objects.create_superuser("quantri", "quantri@example.org", "Mat-khau-an-toan-2021"),
        "district_staff": factories.UserFactory(username="canbo", role=User.Role.DISTRICT_STAFF, federation=federation),
        "leader": factories.UserFactory(username="lanhdao", role=User.Role.LEADER, federation=federation),
        "chair_a1": factories.UserFactory(username="chutich_a1", role=User.Role.UNION_CHAIR, union=union_a1),
        "chair_a2": factories.UserFactory(username="chutich_a2", role=User.Role.UNION_CHAIR, union=union_a2),
    }
    for union in (union_a1, union_a2):
        department = factories.DepartmentUnionFactory(union=union, name="Công đoàn bộ phận Văn phòng")
        group = factories.UnionGroupFactory(union=union, department_union=department, name="Tổ Văn phòng")
        factories.UnionGroupFactory(union=union, name="Tổ Kinh doanh")
        factories.WorkforceDeclarationFactory(union=union, note="Khai báo đầu năm")
        member = factories.MemberFactory(union=union, group=group, full_name=f"Anh Văn Bình {union.code}")
        # A history with "Changed" rows, an empty value filled in and a change of group.
        services.member_update(member=member, actor=users["district_staff"], phone="0912345678")
        services.member_update(member=member, actor=users["district_staff"], phone="", email="binh@example.org")
        factories.UnionOfficialFactory(member=member, union=union, role=UnionOfficial.Role.CHAIR)
        meeting = factories.MeetingFactory(
            federation=federation, organiser_union=union, group=group, kind=Meeting.Kind.GROUP_MEETING
        )
        meeting.participating_unions.add(union)
        factories.AttendanceFactory(meeting=meeting, member=member)
        MeetingDocument.objects.create(
            meeting=meeting, title="Biên bản họp", file=ContentFile(b"bien ban", name="bien-ban.txt")
        )
        left = factories.MemberFactory(union=union, full_name=f"An Thị Cúc {union.code}")
        services.member_leave(member=left, on=dt.date(2021, 6, 1), reason="Nghỉ việc")
    leaving = factories.MemberFactory(union=union_a1, full_name="An Văn Chuyển")
    services.transfer_request(member=leaving, to_union=union_a2, on=dt.date(2022, 3, 1), actor=users["chair_a1"])
    arriving = factories.MemberFactory(union=union_a2, full_name="An Thị Đến")
    accepted = services.transfer_request(
        member=arriving, to_union=union_a1, on=dt.date(2021, 9, 1), actor=users["chair_a2"]
    )
    services.transfer_accept(transfer=accepted, actor=users["chair_a1"], group=None)
    personal_data_access_record(
        user=users["district_staff"],
        action=PersonalDataAccess.Action.VIEW,
        model="members.member",
        record_ids=[leaving.pk],
        path="/admin/",
    )
    # Import jobs: one waiting for confirmation with a rejected row, for each CĐCS.
    for user in (users["district_staff"], users["chair_a1"]):
        client = Client()
        client.force_login(user)
        sheet = "Tên tổ công đoàn;Ngày thành lập\nTổ Kế toán;01/02/2021\n;xx\n".encode()
        client.post(
            reverse("imports:upload", args=["groups"]),
            {"file": SimpleUploadedFile("to-cong-doan.csv", sheet), "union": "A1"},
        )
    return users


# ---------------------------------------------------------------------------------------
# The walk.
# ---------------------------------------------------------------------------------------

START = ["admin:index", "home", "dashboard:index", "imports:list", "admin:password_change"]
# Pages left out: signing out ends the walk; the language switch and the raw autocomplete answer no page.
SKIPPED_VIEWS = {"admin:logout", "set_language", "admin:autocomplete", "admin:jsi18n", "admin:view_on_site"}
# django-axes' login records (superusers only) name themselves in English in their own code
# ("Access Log for quantri @ 2026-…", the models' __str__), which no catalogue reaches; their
# field and model names are translated (apps.core.third_party_messages).
SKIPPED_PREFIXES = ("admin:axes_",)


@dataclass
class Walk:
    client: Client
    english: dict[str, list[English]]
    seen: set[tuple] = field(default_factory=set)
    pages: int = 0
    found: dict[str, list[str]] = field(default_factory=dict)

    def key(self, url: str) -> tuple | None:
        parts = urlsplit(url)
        if parts.netloc or parts.scheme or not parts.path.startswith("/"):
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name in SKIPPED_VIEWS or match.view_name.startswith(SKIPPED_PREFIXES):
            return None
        # One page per view, and one with a query (a filter, a sort, a page, a search).
        query = {name for name, _value in parse_qsl(parts.query)} - {"_changelist_filters"}
        return (match.view_name, bool(query))

    def check(self, url: str, response) -> list[str]:
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            return []
        self.pages += 1
        html = response.content.decode()
        left = english_left(html, self.english)
        if left:
            self.found[url] = left
        parser = VisibleText()
        parser.feed(html)
        return [urljoin(url, link.split("#")[0]) for link in parser.links if not link.startswith("#")]

    def visit(self, start: list[str]) -> None:
        queue = list(start)
        while queue:
            url = queue.pop(0)
            key = self.key(url)
            if key is None or key in self.seen:
                continue
            self.seen.add(key)
            response = self.client.get(url)
            queue.extend(self.check(url, response))
            if key[0].endswith("_add") and response.status_code == 200:
                self.post_form(url, response, empty=True)
            elif key[0].endswith("_change") and not key[1] and response.status_code == 200:
                self.post_form(url, response, empty=False)

    def post_form(self, url: str, response, *, empty: bool) -> None:
        """Post the form empty (its errors) or as it is (the success message); nothing is kept."""
        fields = FormFields()
        fields.feed(response.content.decode())
        if not fields.has_submit:
            return
        data = fields.hidden if empty else fields.values
        with transaction.atomic():
            answer = self.client.post(url, {**data, "_save": "1"}, follow=True)
            last = answer.redirect_chain[-1][0] if answer.redirect_chain else url
            self.check(f"{last} (after posting {url})", answer)
            transaction.set_rollback(True)


class FormFields(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.hidden: dict[str, list[str]] = {}
        self.has_submit = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "submit":
                self.has_submit = True
            if (
                not name
                or kind in ("submit", "button", "file")
                or (kind in ("checkbox", "radio") and "checked" not in a)
            ):
                return
            self.values.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
            if kind == "hidden":
                self.hidden.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def _report(found: dict[str, list[str]]) -> Iterator[str]:
    for url, left in sorted(found.items()):
        yield f"{url}: {left}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_english_on_any_page(world, english, persona):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(world[persona])
    walk = Walk(client, english)
    walk.visit([reverse(name) for name in START])
    assert walk.pages > 40, f"only {walk.pages} pages walked: the walk lost its way"
    assert not walk.found, "English left on Vietnamese pages:\n" + "\n".join(_report(walk.found))


def test_the_check_finds_english(english):
    html = (
        '<p class="errornote">Please correct the error below.</p><input type="submit" value="Lưu">'
        '<a title="Show all" href="/">x</a><p>Anh Văn Bình, Công đoàn cơ sở Thăng Long</p>'
    )
    assert english_left(html, english) == ["Please correct the error below.", "Show all"]


def test_no_english_on_the_second_factor_pages(world, english, settings):
    """The pages before the second factor is given, which no link of the walk reaches."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    found: dict[str, list[str]] = {}

    def check(what: str, response) -> None:
        assert response.status_code == 200, f"{what}: {response.status_code}"
        left = english_left(response.content.decode(), english)
        if left:
            found[what] = left

    staff, chair = world["district_staff"], world["chair_a1"]
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(staff)
    # Required and not set up yet: the enrolment, then its error.
    check("enrolment", client.get(reverse("accounts:enrol")))
    check("enrolment, wrong code", client.post(reverse("accounts:enrol"), {"code": "12"}))
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(staff)
    check("code page", client.get(reverse("accounts:verify")))
    check("code page, wrong code", client.post(reverse("accounts:verify"), {"code": "abc"}))
    # Opted in and verified: the security page with the second factor on, and new recovery codes.
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(chair)
    device = TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    check("security page, on", client.get(reverse("accounts:security")))
    check("recovery codes", client.post(reverse("accounts:recovery_codes")))
    assert not found, "English left on Vietnamese pages:\n" + "\n".join(_report(found))
