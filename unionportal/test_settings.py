"""Settings for the test suite: production settings with test-only secrets and fast hashing."""

import os
from copy import deepcopy

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Off, as in development: the tests of the second factor turn it on (tests/accounts/test_two_factor.py).
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")

from unionportal.settings import *  # noqa: F403

# Hashing with a deliberately slow algorithm is the point in production, and a waste in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Nothing is collected for the suite (WhiteNoise would warn about the missing directory);
# tests/core/test_static_files.py collects into its own directory with production's storage.
STATIC_ROOT = None
# Background jobs run in the request that queues them; tests of the queue and the worker
# switch to the database backend with override_settings.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A second alias on the same test database, for the tests of the replica router
# (tests/core/test_replica_router.py): unused unless a test turns DATABASE_ROUTERS on.
DATABASES["replica"] = {**deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}  # noqa: F405
