"""apps.core.validation.RowValidator: full_clean's outcome for many rows, each field's value checked once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.core import validation
from apps.core.validation import RowValidator
from apps.members.models import Member

RELATIONS = ("union", "group", "federation")


def _member(**values) -> Member:
    fields = {"full_name": "Trần Văn Bình", "gender": "male", "joined_union_on": date(2020, 1, 2), **values}
    return Member(**fields)


def _errors_of(check, instance) -> dict[str, list[str]] | None:
    try:
        check(instance)
    except ValidationError as error:
        return error.message_dict
    return None


CASES = [
    {},
    {"gender": "robot"},
    {"full_name": ""},
    {"full_name": "x" * 500, "email": "không phải thư"},
    {"national_id": "12ab", "phone": "chưa có"},
    {"date_of_birth": date(1990, 6, 5), "email": "an@example.vn"},
]


@pytest.mark.parametrize("values", CASES)
def test_the_outcome_is_full_cleans(values):
    validator = RowValidator(Member, exclude=RELATIONS)

    def django(instance):
        instance.full_clean(exclude=list(RELATIONS), validate_unique=False, validate_constraints=False)

    # Twice through the validator: the remembered outcome is the same as the first.
    assert _errors_of(validator.full_clean, _member(**values)) == _errors_of(django, _member(**values))
    assert _errors_of(validator.full_clean, _member(**values)) == _errors_of(django, _member(**values))


def test_each_distinct_value_of_a_field_is_checked_once(monkeypatch):
    field = Member._meta.get_field("ethnicity")
    checked = []
    original = type(field).clean

    def counting(self, value, instance):
        if self is field:
            checked.append(value)
        return original(self, value, instance)

    monkeypatch.setattr(type(field), "clean", counting)
    validator = RowValidator(Member, exclude=RELATIONS)
    for ethnicity in ["Kinh", "Tày", "Kinh", "Kinh", "Tày", "Mường"]:
        validator.full_clean(_member(ethnicity=ethnicity))

    assert checked == ["Kinh", "Tày", "Mường"]


def test_what_is_remembered_is_bounded(monkeypatch):
    monkeypatch.setattr(validation, "REMEMBERED_PER_FIELD", 3)
    validator = RowValidator(Member, exclude=RELATIONS)
    for number in range(10):
        validator.full_clean(_member(phone=f"09123456{number:02d}"))

    assert len(validator.outcomes["phone"]) == 3


def test_the_models_own_rules_run_even_when_a_field_fails(monkeypatch):
    def clean(self):
        raise ValidationError({"date_of_birth": "quy tắc của mô hình"})

    monkeypatch.setattr(Member, "clean", clean)
    errors = _errors_of(RowValidator(Member, exclude=RELATIONS).full_clean, _member(gender="robot"))

    assert set(errors) == {"gender", "date_of_birth"}


def test_a_relation_must_be_left_to_the_caller():
    with pytest.raises(ValueError, match="union"):
        RowValidator(Member, exclude=("group", "federation"))
