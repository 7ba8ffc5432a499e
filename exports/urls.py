from django.urls import path, register_converter

from exports import views


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "export_format")

app_name = "exports"

urlpatterns = [
    path("enquiries.<export_format:fmt>", views.EnquiryExportView.as_view(), name="enquiries"),
    path("actions.<export_format:fmt>", views.ActionExportView.as_view(), name="actions"),
]
