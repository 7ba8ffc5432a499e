from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: carries the permission to build the report from data.

    The report itself is computed on request (reports/user_analysis.py).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", _("Can build the taskforce's report from data"))]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
