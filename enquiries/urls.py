from django.urls import path, register_converter

from enquiries import views
from enquiries.sla_views import BreachListView


class ReferenceConverter:
    """An enquiry reference such as NID-2010-004711."""

    regex = r"[A-Za-z0-9]{1,5}-\d{4}-\d{1,12}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "enquiries"

urlpatterns = [
    path("", views.EnquiryListView.as_view(), name="list"),
    path("breaches/", BreachListView.as_view(), name="breaches"),
    path("bulk-triage/", views.BulkTriageView.as_view(), name="bulk-triage"),
    path("new/", views.EnquiryCreateView.as_view(), name="create"),
    path("saved-filters/", views.SavedFilterCreateView.as_view(), name="savedfilter-create"),
    path(
        "saved-filters/<int:pk>/delete/",
        views.SavedFilterDeleteView.as_view(),
        name="savedfilter-delete",
    ),
    path("citizens/", views.CitizenListView.as_view(), name="citizen-list"),
    path("citizens/new/", views.CitizenFormView.as_view(), name="citizen-create"),
    path("citizens/lookup/", views.CitizenLookupView.as_view(), name="citizen-lookup"),
    path("citizens/<int:pk>/", views.CitizenDetailView.as_view(), name="citizen-detail"),
    path("citizens/<int:pk>/edit/", views.CitizenFormView.as_view(), name="citizen-edit"),
    path(
        "citizens/<int:pk>/reveal-cpr/",
        views.CitizenRevealCprView.as_view(),
        name="citizen-reveal-cpr",
    ),
    path("<reference:reference>/", views.EnquiryDetailView.as_view(), name="detail"),
    path("<reference:reference>/edit/", views.EnquiryEditView.as_view(), name="edit"),
    path("<reference:reference>/notes/", views.AddNoteView.as_view(), name="add-note"),
    path("<reference:reference>/status/", views.TransitionView.as_view(), name="transition"),
    path("<reference:reference>/assignee/", views.AssignView.as_view(), name="assign"),
]
