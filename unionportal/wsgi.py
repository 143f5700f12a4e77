"""WSGI entry point for unionportal: what gunicorn (and runserver) serve."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from unionportal.statement_timeout import limit_statement_time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
# Only web requests are limited; management commands never load this module (see there).
limit_statement_time(settings.DATABASES, settings.DATABASE_STATEMENT_TIMEOUT)
application = get_wsgi_application()
