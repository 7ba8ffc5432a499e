from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Satisfaction")

    def ready(self) -> None:
        # The rating invitation reacts to a resolution (enquiries/hooks.py).
        from enquiries import hooks
        from feedback import services

        hooks.on_enquiry_change(services.invite_on_change)
