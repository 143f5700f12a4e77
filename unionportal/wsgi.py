"""WSGI entry point for unionportal."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
application = get_wsgi_application()
