from django.urls import path

from mailroom import views

app_name = "mailroom"

urlpatterns = [
    path("quarantine/", views.QuarantineListView.as_view(), name="quarantine"),
    path("quarantine/<int:pk>/", views.QuarantineDetailView.as_view(), name="quarantine-detail"),
    path("quarantine/<int:pk>/refile/", views.RefileView.as_view(), name="refile"),
    path("quarantine/<int:pk>/file/", views.FileAsEnquiryView.as_view(), name="file-as-enquiry"),
    path("quarantine/<int:pk>/discard/", views.DiscardView.as_view(), name="discard"),
    path("mailboxes/", views.MailboxListView.as_view(), name="mailboxes"),
    path("enquiries/<str:reference>/", views.EnquiryMailView.as_view(), name="enquiry"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("correspondents/<int:pk>/link/", views.LinkCitizenView.as_view(), name="link-citizen"),
]
