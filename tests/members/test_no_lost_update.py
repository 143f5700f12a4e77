"""Two people edit the same record at once: the second save is refused, the first one stands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


def _fields_of(form) -> dict[str, str]:
    data = {}
    for name, field in form.fields.items():
        rendered = field.widget.format_value(form[name].value())
        if isinstance(rendered, list):
            rendered = rendered[0] if rendered else ""
        if rendered is not None:
            data[form.add_prefix(name)] = str(rendered)
    return data


def form_data(response) -> dict[str, str]:
    """The values of the change form as the page rendered them (what a browser would post back)."""
    data = _fields_of(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(_fields_of(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_fields_of(form))
    return data


@pytest.mark.parametrize("kind", ["member", "union"])
def test_second_of_two_concurrent_edits_is_refused(client, district_staff, union_a1, kind, vi):
    if kind == "member":
        record = factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn Gốc")
        url = reverse("admin:members_member_change", args=[record.pk])
        field = "full_name"
    else:
        record = union_a1
        url = reverse("admin:unions_grassrootsunion_change", args=[record.pk])
        field = "name"
    client.force_login(district_staff)
    first = form_data(client.get(url))
    second = dict(first)

    first[field] = "Sửa lần một"
    assert client.post(url, first).status_code == 302

    second[field] = "Sửa lần hai"
    response = client.post(url, second)
    assert response.status_code == 200
    assert "người khác đã sửa" in response.content.decode().lower()
    record.refresh_from_db()
    assert getattr(record, field) == "Sửa lần một"
