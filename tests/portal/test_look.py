"""The portal's own pages wear Pico CSS (its conditional build, inside <main class="pico">); the admin does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PICO = "vendor/pico/pico.conditional.min.css"


def test_a_portal_page_loads_pico_before_the_projects_css_in_the_light_theme(client, chair_a1, union_a1):
    client.force_login(chair_a1)
    page = client.get(reverse("portal:members", args=[union_a1.pk])).content.decode()
    assert page.index(PICO) < page.index("css/site.css")
    assert '<html lang="vi" data-theme="light">' in page
    assert '<main class="pico">' in page


def test_the_admin_keeps_its_own_theme(client, district_staff):
    client.force_login(district_staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert "vendor/pico" not in page
    assert 'class="pico"' not in page
