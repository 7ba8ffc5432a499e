from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Known problems")

    def ready(self) -> None:
        # A new enquiry is linked to the open problems of its category
        # (enquiries/hooks.py).
        from enquiries import hooks
        from problems import services

        hooks.on_enquiry_change(services.link_on_change)
