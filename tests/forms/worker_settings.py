"""Settings of the ``db_worker`` processes tests/forms/test_email_claims.py starts:
the test settings with production's database task backend and a mail backend
writing to a file (the test reads it: the worker is another process)."""

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.forms.mail_backends.FileLogBackend"
