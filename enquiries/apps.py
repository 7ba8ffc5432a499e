from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = _("Enquiries")

    def ready(self) -> None:
        # CPR numbers: refused in every text field of every project model,
        # masked in every log record (e-mail: settings.EMAIL_BACKEND).
        from enquiries import cpr_guard
        from nemid_cases.logging import install_record_factory

        cpr_guard.install()
        install_record_factory()
