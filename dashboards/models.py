from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    """No table: holds the permission to read the managers' dashboards.

    The dashboards only read other apps' data; roles get the permission in
    accounts.roles.ROLE_PERMISSIONS like any other.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Can view the managers' dashboards"))]
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
