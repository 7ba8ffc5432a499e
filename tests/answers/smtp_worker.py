"""A Celery worker whose mail goes to an SMTP server, for the retry test.

Run as `python -m tests.answers.smtp_worker celery-args...` with EMAIL_HOST
and EMAIL_PORT in the environment. The harness sets the file-based backend;
this puts SMTP in its place before Django reads the settings.
"""

import os
import sys

os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"

from celery.__main__ import main

sys.argv[0] = "celery"
main()
