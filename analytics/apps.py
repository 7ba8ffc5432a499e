from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Statistics and alerts")

    def ready(self) -> None:
        # The statistics are a read model: enquiry changes reach them
        # through the enquiries hook, which marks the days to recompute.
        from analytics import services
        from enquiries import hooks

        hooks.on_enquiry_change(services.mark_enquiry_dirty)
        hooks.on_bulk_change(services.mark_rows_dirty)
