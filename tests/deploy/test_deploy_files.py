"""The files in deploy/ agree with the code they configure, so the guide (docs/DEPLOY.md) cannot drift.

Their syntax is checked by CI with the real tools (.ci/deploy-check: nginx -t, systemd-analyze
verify) and the whole of them by the production smoke test (.ci/prod-smoke).
"""

from __future__ import annotations

import ast
import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from apps.core.sheets import MAX_BYTES as SHEET_MAX_BYTES
from apps.meetings.models import DOCUMENT_MAX_BYTES
from unionportal import settings as production_settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "unionportal.env.example"
NGINX_SITE = DEPLOY / "nginx" / "unionportal.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
# Where the guide installs the checkout; the units name it.
INSTALL_DIR = Path("/srv/unionportal")

# The typed readers of unionportal/env.py, and the standard library's.
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_database"}


def is_env_reader(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ENV_READERS
    return ast.unparse(func) in {"os.environ.get", "os.getenv"}


def variables_read_by(path: Path) -> set[str]:
    """Names of the environment variables a module reads with a literal name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        name_node = None
        if isinstance(node, ast.Call) and node.args and is_env_reader(node.func):
            name_node = node.args[0]
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and ast.unparse(node.value) == "os.environ"
        ):
            name_node = node.slice
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            found.add(name_node.value)
    return found


def portal_modules() -> list[Path]:
    """Every module the running portal loads settings from: settings, env, wsgi, the apps, gunicorn's conf."""
    modules = [
        ROOT / "gunicorn.conf.py",
        *ROOT.joinpath("unionportal").rglob("*.py"),
        *ROOT.joinpath("apps").rglob("*.py"),
    ]
    # The test settings set variables for the suite; they are never deployed.
    return [module for module in modules if module.name != "test_settings.py"]


def env_example() -> dict[str, str]:
    """The example's variables (set, or commented out to keep the default) with their values."""
    variables = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"#?([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            variables[match[1]] = match[2]
    return variables


def test_the_reader_finds_the_variables_the_settings_read():
    read = variables_read_by(ROOT / "unionportal" / "settings.py")
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_DEBUG"} <= read
    assert "GUNICORN_WORKERS" in variables_read_by(ROOT / "gunicorn.conf.py")


def test_the_env_example_lists_every_variable_the_portal_reads_and_no_other():
    read = set().union(*(variables_read_by(module) for module in portal_modules()))
    listed = set(env_example())
    assert read - listed == set(), "read by the portal, missing from deploy/unionportal.env.example"
    assert listed - read == set(), "in deploy/unionportal.env.example, read by nothing"


def test_every_variable_of_the_env_example_is_explained_by_a_comment_above_it():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.fullmatch(r"#?[A-Z][A-Z0-9_]*=.*", line):
            above = number - 1
            while re.fullmatch(r"#?[A-Z][A-Z0-9_]*=.*", lines[above]):  # a group under one comment
                above -= 1
            assert lines[above].startswith("# ") and len(lines[above]) > 10, f"no comment above {line!r}"


def test_the_env_example_switches_debug_off_and_trusts_the_proxy_it_ships():
    variables = env_example()
    assert variables["DJANGO_DEBUG"] == "0"
    assert variables["DJANGO_BEHIND_TLS_PROXY"] == "1"


def nginx_directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", NGINX_SITE.read_text(), flags=re.MULTILINE)


def nginx_size_in_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def test_nginx_takes_the_largest_upload_the_portal_accepts_with_room_for_the_form():
    (limit,) = nginx_directive("client_max_body_size")
    largest = max(DOCUMENT_MAX_BYTES, SHEET_MAX_BYTES)
    assert nginx_size_in_bytes(limit) >= largest + 1024**2


def test_nginx_waits_longer_than_gunicorn_lets_a_request_run():
    gunicorn_timeout = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"]
    for directive in ("proxy_read_timeout", "proxy_send_timeout"):
        (value,) = nginx_directive(directive)
        assert int(value.removesuffix("s")) > gunicorn_timeout, directive


def test_nginx_sends_the_headers_the_portal_trusts_behind_one_proxy():
    headers = dict(value.split(None, 1) for value in nginx_directive("proxy_set_header"))
    # apps/accounts/client_address.py takes the right-most entry: the address nginx appends.
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert settings.SECURE_PROXY_SSL_HEADER is None or settings.SECURE_PROXY_SSL_HEADER[0] == "HTTP_X_FORWARDED_PROTO"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Host"] == "$host"


def test_nginx_proxies_to_where_gunicorn_listens():
    upstream = re.search(r"upstream unionportal \{\s*server (\S+)", NGINX_SITE.read_text())[1]
    assert upstream == env_example()["GUNICORN_BIND"]


@pytest.mark.parametrize(
    ("status", "location", "words"),
    [
        ("502 504", "/unionportal-unavailable.html", "tạm thời không truy cập được"),
        ("413", "/unionportal-too-large.html", "Tệp gửi lên quá lớn"),
    ],
)
def test_the_pages_nginx_shows_itself_ship_and_are_vietnamese(status, location, words):
    site = NGINX_SITE.read_text()
    assert f"error_page {status} {location};" in site
    block = re.search(rf"location = {re.escape(location)} \{{(.*?)\}}", site, re.DOTALL)[1]
    root = re.search(r"root (\S+);", block)[1]
    page = re.search(r"try_files /(\S+) =404;", block)[1]
    shipped = ROOT / Path(root).relative_to(INSTALL_DIR) / page
    assert 'lang="vi"' in shipped.read_text()
    assert words in shipped.read_text()


def unit_settings(unit: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_reads_the_env_file_and_runs_as_the_portal_user_in_the_checkout(unit):
    values = unit_settings(unit)
    manage_wrapper = (DEPLOY / "manage").read_text()
    (env_file,) = values["EnvironmentFile"]
    assert f"UNIONPORTAL_ENV_FILE:-{env_file}" in manage_wrapper
    assert values["User"] == ["unionportal"]
    assert values["WorkingDirectory"] == [str(INSTALL_DIR)]
    assert values["NoNewPrivileges"] == ["yes"]
    assert values["ProtectSystem"] == ["strict"]
    assert values["PrivateTmp"] == ["yes"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_may_write_where_the_portal_writes(unit):
    (writable,) = unit_settings(unit)["ReadWritePaths"]
    # Production's settings: the suite's own collect nothing (STATIC_ROOT None).
    for directory in (production_settings.MEDIA_ROOT, production_settings.STATIC_ROOT):
        installed = INSTALL_DIR / Path(directory).relative_to(ROOT)
        assert installed.is_relative_to(writable), directory


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_runs_a_command_that_exists(unit):
    (command,) = unit_settings(unit)["ExecStart"]
    if " manage.py " in command:
        assert command.split(" manage.py ")[1].split()[0] in get_commands()
    else:
        assert command.startswith(f"{INSTALL_DIR}/.venv/bin/gunicorn -c gunicorn.conf.py unionportal.wsgi")


def test_the_timer_starts_the_refresh_service():
    timer = DEPLOY / "systemd" / "unionportal-refresh.timer"
    assert timer.with_suffix(".service") in UNITS
    assert "refresh_figures" in timer.with_suffix(".service").read_text()
    assert unit_settings(timer)["Persistent"] == ["true"]
