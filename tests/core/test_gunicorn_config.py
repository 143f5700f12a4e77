"""gunicorn.conf.py: the production server configuration loads."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CONFIG = Path(settings.BASE_DIR) / "gunicorn.conf.py"


def test_sync_workers_as_many_as_asked(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(CONFIG))
    assert (config["worker_class"], config["workers"]) == ("sync", 3)


def test_gunicorn_accepts_the_configuration():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
    }
    checked = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(CONFIG), "unionportal.wsgi:application"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
