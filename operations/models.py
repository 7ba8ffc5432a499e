"""When the background processes were last seen alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per kind of background process, touched while it runs.

    The worker touches `worker` each time it runs the heartbeat task; the
    beat touches `beat` each time it sends a scheduled task. Without them,
    escalations and e-mails stop, which nothing else on a page would show.
    """

    class Process(models.TextChoices):
        WORKER = "worker", _("Celery worker")
        BEAT = "beat", _("Celery beat")

    process = models.CharField(_("process"), max_length=10, choices=Process, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.get_process_display()}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
