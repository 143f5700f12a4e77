"""Every response carries a Content-Security-Policy that allows no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy_of(response) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("url", [reverse("admin:login"), "/no-such-page/"])
def test_anonymous_pages_carry_the_policy(client, db, url):
    policy = policy_of(client.get(url))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    everything = " ".join(value for values in policy.values() for value in values)
    assert "'unsafe-inline'" not in everything
    assert "'unsafe-eval'" not in everything


@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:json", "admin:index"])
def test_signed_in_pages_carry_the_policy(client, leader, name):
    client.force_login(leader)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]


def test_inline_attributes_are_allowed_only_by_the_hash_of_known_values(client, db):
    policy = policy_of(client.get(reverse("admin:login")))
    # No inline handler at all: script-src-attr falls back to script-src ('self').
    assert "script-src-attr" not in policy
    keyword, *hashes = policy["style-src-attr"]
    assert keyword == "'unsafe-hashes'"
    assert hashes and all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", value) for value in hashes)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_our_templates_write_no_inline_script_or_handler(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "scripts go in static/js/, data in json_script"
    assert not re.search(r"\son[a-z]+\s*=", text), "handlers are attached in static/js/"
    assert not re.search(r"\sstyle\s*=", text), "styles go in static/css/"
