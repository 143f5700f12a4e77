"""Import jobs have their own pages (/imports/), not an admin.

django-tasks-db registers an admin for its queue; its rows are no person's data and carry
no scope, so the portal's admin (which must scope every model, check core.E001) drops it.
The import log is the user-facing record of every job.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
