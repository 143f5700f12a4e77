"""With debug off the portal serves its own static files: admin, site CSS and Chart.js (WhiteNoise)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILES = ["admin/css/base.css", "admin/js/core.js", "css/site.css", "vendor/chart.js/chart.umd.min.js"]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Production's static settings, after `manage.py collectstatic --noinput` into a fresh directory."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(DEBUG=False, STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.mark.parametrize("name", FILES)
def test_static_file_is_served_under_its_hashed_name_cached_for_long(collected, name):
    url = staticfiles_storage.url(name)
    assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
    response = Client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    cache = response["Cache-Control"]
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600


def test_static_files_are_sent_compressed(collected):
    response = Client().get(staticfiles_storage.url("vendor/chart.js/chart.umd.min.js"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_the_pages_link_the_files_that_are_served(collected, leader):
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("dashboard:index")).content.decode()
    links = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any("chart.umd.min." in link for link in links)
    assert any("css/site." in link for link in links)
    for link in links:
        assert Client().get(link).status_code == 200, link
    login = Client().get(reverse("admin:login")).content.decode()
    admin_links = re.findall(r'(?:src|href)="(/static/[^"]+)"', login)
    assert any("admin/css/base." in link for link in admin_links)
    for link in admin_links:
        assert Client().get(link).status_code == 200, link


def test_a_missing_static_file_is_not_found(collected):
    assert Client().get("/static/admin/css/nothing-here.css").status_code == 404
