"""The interface is Vietnamese first: key strings translate, and the catalogue is complete.

The .mo file is compiled from locale/vi/LC_MESSAGES/django.po by `make messages`
(run by `make test`) before pytest starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from apps.members.models import Member, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion, WorkforceDeclaration

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="vi")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (GrassrootsUnion, "công đoàn cơ sở"),
        (Member, "đoàn viên"),
        (UnionGroup, "tổ công đoàn"),
        (UnionOfficial, "cán bộ công đoàn"),
        (WorkforceDeclaration, "khai báo số lao động"),
    ],
)
def test_model_names_are_vietnamese(model, expected):
    with translation.override("vi"):
        assert str(model._meta.verbose_name_plural) == expected


def test_field_and_choice_labels_are_vietnamese():
    with translation.override("vi"):
        assert str(Member._meta.get_field("national_id").verbose_name) == "số CCCD"
        assert str(Member._meta.get_field("card_number").verbose_name) == "số thẻ đoàn viên"
        assert str(WorkforceDeclaration._meta.get_field("as_of").verbose_name) == "tính đến ngày"
        assert str(Member.Status.LEFT.label) == "đã thôi sinh hoạt"
        assert str(GrassrootsUnion.Status.DISSOLVED.label) == "đã giải thể"
        assert str(UnionOfficial.Role.EXECUTIVE_MEMBER.label) == "ủy viên Ban Chấp hành"


def test_messages_with_placeholders_translate():
    with translation.override("vi"):
        assert (
            gettext("A grassroots union with this code already exists in this federation.")
            == "Đã có công đoàn cơ sở với mã này trong liên đoàn này."
        )
        message = gettext("%(label)s “%(value)s” does not exist or is outside your scope.") % {
            "label": "CĐCS",
            "value": "A9",
        }
        assert message == "CĐCS “A9” không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."
        singular = "Too many failed sign-in attempts. Try again in %(minutes)s minute."
        plural = "Too many failed sign-in attempts. Try again in %(minutes)s minutes."
        assert ngettext(singular, plural, 5) % {"minutes": 5} == (
            "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 5 phút."
        )


def test_english_stays_english():
    with translation.override("en"):
        assert str(GrassrootsUnion._meta.verbose_name_plural) == "grassroots unions"


def test_catalogue_is_complete(catalog):
    assert not catalog.fuzzy, f"{PO_FILE}: the header is marked fuzzy; remove the '#, fuzzy' flag above it."
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{len(untranslated)} untranslated entries in {PO_FILE}: {untranslated}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {PO_FILE} (check them, then remove the flag): {fuzzy}"


def test_catalogue_placeholders_match(catalog):
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog.check()]
    assert not problems, f"Entries in {PO_FILE} whose placeholders or plural forms do not match: {problems}"
