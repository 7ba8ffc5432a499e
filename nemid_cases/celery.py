"""The Celery application; tasks live in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nemid_cases.settings")

app = Celery("nemid_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
